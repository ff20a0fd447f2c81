// The app's state and its transitions: who is signed in, the account, the application, the
// photos picked on this device, upload progress, the current screen and the global error.
// Screens read it and call its methods; IPC events update it.

import type { UnlistenFn } from '@tauri-apps/api/event';
import { call, on } from './ipc';
import { locale, onLocaleChange } from '../i18n/locale.svelte';
import { IpcError, isSessionLost, toIpcError } from './errors';
import {
  ASIDE_SCREENS,
  guardScreen,
  needsConsent,
  screenAfterRestore,
  screenOnChange,
  type Screen,
} from './flow';
import {
  CONSENT_VERSION,
  MAX_PHOTO_BYTES,
  PHOTO_SIDE_HEADER,
  type Account,
  type AppInfo,
  type Application,
  type CardView,
  type Check,
  type LocalPhoto,
  type LocalPhotos,
  type PhotoSide,
  type RejectReason,
  type SessionInfo,
  type UploadProgress,
  type Validity,
} from './bindings';

const NO_PHOTOS: LocalPhotos = { portrait: null, emblem: null };

class AppStore {
  screen = $state<Screen>('loading');
  info = $state<AppInfo | null>(null);
  login = $state<string | null>(null);
  account = $state<Account | null>(null);
  application = $state<Application | null>(null);
  local = $state<LocalPhotos>({ ...NO_PHOTOS });
  progress = $state<Record<PhotoSide, UploadProgress | null>>({ portrait: null, emblem: null });
  /** Error code shown in the global banner (errors not tied to a field). */
  banner = $state<string | null>(null);
  /** What the card in each local photo says (null: not read, or no reader). */
  cards = $state<Record<PhotoSide, CardView | null>>({ portrait: null, emblem: null });
  /** A side's card is being read. */
  reading = $state<Record<PhotoSide, boolean>>({ portrait: false, emblem: false });
  /** The cross-checks of the saved details against the cards. */
  checks = $state<Check[]>([]);
  /** Values from the card for the form to show, until the user confirms them there. */
  fromCard = $state<{ name?: string; idNumber?: string } | null>(null);
  /** Rejection reasons being fixed before a resubmission. */
  fixing = $state<RejectReason[]>([]);
  /** Where to go once consent is given (the screen that asked for it). */
  afterConsent = $state<Screen>('form');
  /** The side the capture screen photographs. */
  captureSide = $state<PhotoSide | null>(null);
  /** Where help and settings return to. */
  returnTo = $state<Screen | null>(null);

  #listening: Promise<UnlistenFn[]> | null = null;
  #loadingApplication: Promise<Application | null> | null = null;
  #loadingAccount: Promise<Account | null> | null = null;

  get signedIn(): boolean {
    return this.login !== null;
  }

  /** Start-up: events, app info, restored session, then the screen for the application. */
  async start(): Promise<void> {
    await this.listen();
    // The shell shows notifications itself, in the language chosen here.
    const tellShell = (next: string) => void call('app_set_locale', { locale: next }).catch(() => undefined);
    onLocaleChange(tellShell);
    tellShell(locale());
    try {
      this.info = await call('app_info', {});
    } catch (err) {
      this.fail(err);
    }
    let session = null;
    try {
      session = await call('session_restore', {});
    } catch (err) {
      this.screen = 'signin';
      this.fail(err);
      return;
    }
    if (session === null) {
      this.screen = 'signin';
      return;
    }
    this.login = session.login;
    this.go('home');
    const application = await this.loadApplication();
    if (application && this.screen === 'home') {
      this.go(screenAfterRestore(application));
    }
    this.warn(session);
  }

  /** Show a sign-in warning (signed in, but only for this run) unless an error is showing. */
  warn(session: SessionInfo): void {
    const warning = session.warning;
    if (warning && this.banner === null) this.banner = toIpcError(warning).code;
  }

  /** Subscribe to the shell's events once. */
  listen(): Promise<UnlistenFn[]> {
    this.#listening ??= Promise.all([
      on('verification-changed', (a) => this.applyApplication(a)),
      on('upload-progress', (p) => {
        this.progress[p.side] = p;
      }),
    ]).catch((err: unknown) => {
      this.fail(err);
      return [];
    });
    return this.#listening;
  }

  /**
   * Show a screen; a new screen starts without an old error. Screens with personal data
   * open the consent screen first while consent to the current text is missing.
   */
  go(screen: Screen): void {
    const shown = guardScreen(screen, this.application);
    if (shown !== screen) this.afterConsent = screen;
    this.banner = null;
    this.screen = shown;
  }

  /** Open help or settings from the header, remembering where to come back to. */
  openAside(screen: Screen): void {
    if (!ASIDE_SCREENS.includes(this.screen) && this.screen !== 'loading') {
      this.returnTo = this.screen;
    }
    this.go(screen);
  }

  /** Leave help or settings for the screen they were opened from. */
  closeAside(): void {
    const back = this.returnTo ?? (this.signedIn ? 'home' : 'signin');
    this.returnTo = null;
    this.go(this.signedIn || back === 'signin' ? back : 'signin');
  }

  /** True while consent to the current text is missing. */
  get needsConsent(): boolean {
    return needsConsent(this.application);
  }

  /** Record consent to the current text, then continue where consent was asked for. */
  async acceptConsent(): Promise<void> {
    const a = await call('verification_consent', { version: CONSENT_VERSION });
    this.applyApplication(a);
    this.go(this.afterConsent);
  }

  /**
   * Report an error that is not tied to a field in the banner. A lost session also signs the
   * user out locally and goes to the sign-in screen.
   */
  fail(err: unknown): IpcError {
    const e = toIpcError(err);
    if (isSessionLost(e.code) && this.signedIn) {
      this.clearSession();
      this.screen = 'signin';
    } else if (e.code === 'CONSENT_REQUIRED' && this.signedIn && this.screen !== 'consent') {
      this.afterConsent = ASIDE_SCREENS.includes(this.screen) ? 'form' : this.screen;
      this.screen = 'consent';
    }
    this.banner = e.code;
    return e;
  }

  dismissBanner(): void {
    this.banner = null;
  }

  async signIn(login: string, password: string, register: boolean): Promise<void> {
    const session = register
      ? await call('auth_register', { login, password })
      : await call('auth_login', { login, password });
    this.clearSession();
    this.login = session.login;
    this.go('home');
    this.warn(session);
  }

  async signOut(): Promise<void> {
    let failure: unknown = null;
    try {
      await call('auth_logout', {});
    } catch (err) {
      failure = err;
    }
    this.clearSession();
    this.go('signin');
    if (failure !== null) this.banner = toIpcError(failure).code;
  }

  clearSession(): void {
    this.login = null;
    this.account = null;
    this.application = null;
    this.local = { ...NO_PHOTOS };
    this.cards = { portrait: null, emblem: null };
    this.checks = [];
    this.fromCard = null;
    this.progress = { portrait: null, emblem: null };
    this.fixing = [];
    this.returnTo = null;
    this.afterConsent = 'form';
  }

  /** Fetch the account (tier, limits); errors go to the banner. */
  loadAccount(): Promise<Account | null> {
    this.#loadingAccount ??= call('account_get', {})
      .then((a) => {
        this.account = a;
        return a;
      })
      .catch((err: unknown) => {
        this.fail(err);
        return null;
      })
      .finally(() => {
        this.#loadingAccount = null;
      });
    return this.#loadingAccount;
  }

  /** Fetch the application; a changed status may move the screen (see screenOnChange). */
  loadApplication(): Promise<Application | null> {
    this.#loadingApplication ??= call('verification_get', {})
      .then((a) => {
        this.applyApplication(a);
        return a;
      })
      .catch((err: unknown) => {
        this.fail(err);
        return null;
      })
      .finally(() => {
        this.#loadingApplication = null;
      });
    return this.#loadingApplication;
  }

  /** Refresh what is picked on this device but not uploaded. */
  async loadLocalPhotos(): Promise<void> {
    try {
      this.local = await call('photos_local', {});
    } catch (err) {
      this.fail(err);
    }
    for (const side of ['portrait', 'emblem'] as const) {
      const photo = this.local[side];
      if (photo !== null && photo.check.ok && this.cards[side] === null) void this.readCard(side);
    }
  }

  /**
   * Read the card in `side`'s local photo. A card that cannot be read is simply not checked:
   * no error is shown for it.
   */
  async readCard(side: PhotoSide): Promise<void> {
    this.reading[side] = true;
    try {
      this.cards[side] = await call('card_read', { side });
    } catch {
      this.cards[side] = null;
    } finally {
      this.reading[side] = false;
    }
  }

  /** Cross-check the saved details with the cards read so far. */
  async loadChecks(): Promise<void> {
    const p = this.application?.personal;
    if (!p) {
      this.checks = [];
      return;
    }
    try {
      this.checks = await call('card_checks', {
        name: p.name,
        idNumber: p.id_number,
        validity: p.validity ?? null,
      });
    } catch {
      this.checks = [];
    }
  }

  /** A new application from a reply or a `verification-changed` event. */
  applyApplication(a: Application): void {
    if (!this.signedIn) return;
    const previous = this.application;
    if (previous && previous.revision > a.revision && previous.id === a.id) return;
    this.application = a;
    if (this.account && this.account.verification !== a.status) {
      this.account = { ...this.account, verification: a.status };
    }
    if (a.status === 'approved' && previous?.status !== 'approved') void this.loadAccount();
    const next = screenOnChange(this.screen, a.status);
    if (next !== this.screen) this.go(next);
  }

  /** Start fixing a rejected application: flag exactly the parts the reviewer named. */
  startFix(): void {
    this.fixing = this.application ? [...this.application.reasons] : [];
    this.go('form');
  }

  async savePersonal(name: string, idNumber: string, validity: Validity | null): Promise<void> {
    const a = await call('verification_save_personal', { name, idNumber, validity });
    this.applyApplication(a);
  }

  /**
   * Pick a file (desktop: the native dialog; phone: the camera or the photo library); a photo
   * that fails the local check is kept for display, never uploaded.
   */
  async pickPhoto(side: PhotoSide): Promise<LocalPhoto | null> {
    const photo = this.info?.mobile ? await captureOnPhone(side) : await call('photo_pick', { side });
    if (photo !== null) this.setLocal(side, photo);
    return photo;
  }

  /** Photograph `side` with the live camera (the capture screen). */
  openCamera(side: PhotoSide): void {
    this.captureSide = side;
    this.go('capture');
  }

  /** A picture taken on the capture screen: checked and kept like a chosen file. */
  async keepCapture(side: PhotoSide, bytes: Uint8Array): Promise<LocalPhoto> {
    if (bytes.byteLength > MAX_PHOTO_BYTES) throw new IpcError('PHOTO_TOO_LARGE', 'The photo is too large.');
    const photo = await call('photo_capture', bytes, { headers: { [PHOTO_SIDE_HEADER]: side } });
    this.setLocal(side, photo);
    return photo;
  }

  /** A file dropped on the window, for `side`. */
  async dropPhoto(side: PhotoSide, path: string): Promise<LocalPhoto> {
    const photo = await call('photo_drop', { side, path });
    this.setLocal(side, photo);
    return photo;
  }

  /** A new local photo of `side`: its card is read next. */
  setLocal(side: PhotoSide, photo: LocalPhoto): void {
    this.local[side] = photo;
    this.cards[side] = null;
    if (photo.check.ok) void this.readCard(side);
  }

  /** Upload the picked photos and submit; progress arrives as events. */
  async submit(): Promise<void> {
    this.progress = { portrait: null, emblem: null };
    const a = await call('verification_submit', {});
    this.fixing = [];
    this.local = { ...NO_PHOTOS };
    this.cards = { portrait: null, emblem: null };
    this.checks = [];
    this.applyApplication(a);
    if (this.screen === 'review') this.go('waiting');
  }
}

export const app = new AppStore();

/**
 * On a phone: the system's camera / photo library sheet through a file input, then the bytes
 * to the shell. `null` when the user cancels.
 */
async function captureOnPhone(side: PhotoSide): Promise<LocalPhoto | null> {
  const input = document.createElement('input');
  input.type = 'file';
  // `image/*`, not a list of types: Android's WebView (wry's WebChromeClient) offers the camera
  // for `capture` only when the accept list is exactly `image/*`. The shell checks the format
  // by content either way.
  input.accept = 'image/*';
  input.setAttribute('capture', 'environment');
  const file = await new Promise<File | null>((resolve) => {
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null));
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
  if (file === null) return null;
  if (file.size > MAX_PHOTO_BYTES) throw new IpcError('PHOTO_TOO_LARGE', 'The photo is too large.');
  return call('photo_capture', new Uint8Array(await file.arrayBuffer()), {
    headers: { [PHOTO_SIDE_HEADER]: side },
  });
}
