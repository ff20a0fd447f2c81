// The app's state and its transitions: who is signed in, the account, the application, the
// photos picked on this device, upload progress, the current screen and the global error.
// Screens read it and call its methods; IPC events update it.

import type { UnlistenFn } from '@tauri-apps/api/event';
import * as ipc from './ipc';
import { IpcError, isSessionLost, toIpcError } from './errors';
import { screenAfterRestore, screenOnChange, type Screen } from './flow';
import type {
  Account,
  AppInfo,
  Application,
  LocalPhotos,
  PhotoSide,
  RejectReason,
  SessionInfo,
  UploadProgress,
} from './types';

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
  /** Rejection reasons being fixed before a resubmission. */
  fixing = $state<RejectReason[]>([]);

  #listening: Promise<UnlistenFn[]> | null = null;
  #loadingApplication: Promise<Application | null> | null = null;
  #loadingAccount: Promise<Account | null> | null = null;

  get signedIn(): boolean {
    return this.login !== null;
  }

  /** Start-up: events, app info, restored session, then the screen for the application. */
  async start(): Promise<void> {
    await this.listen();
    try {
      this.info = await ipc.appInfo();
    } catch (err) {
      this.fail(err);
    }
    let session = null;
    try {
      session = await ipc.sessionRestore();
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
      this.go(screenAfterRestore(application.status));
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
      ipc.onVerificationChanged((a) => this.applyApplication(a)),
      ipc.onUploadProgress((p) => {
        this.progress[p.side] = p;
      }),
    ]).catch((err: unknown) => {
      this.fail(err);
      return [];
    });
    return this.#listening;
  }

  /** Show a screen; a new screen starts without an old error. */
  go(screen: Screen): void {
    this.banner = null;
    this.screen = screen;
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
    }
    this.banner = e.code;
    return e;
  }

  dismissBanner(): void {
    this.banner = null;
  }

  async signIn(login: string, password: string, register: boolean): Promise<void> {
    const session = register
      ? await ipc.authRegister(login, password)
      : await ipc.authLogin(login, password);
    this.clearSession();
    this.login = session.login;
    this.go('home');
    this.warn(session);
  }

  async signOut(): Promise<void> {
    let failure: unknown = null;
    try {
      await ipc.authLogout();
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
    this.progress = { portrait: null, emblem: null };
    this.fixing = [];
  }

  /** Fetch the account (tier, limits); errors go to the banner. */
  loadAccount(): Promise<Account | null> {
    this.#loadingAccount ??= ipc
      .accountGet()
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
    this.#loadingApplication ??= ipc
      .verificationGet()
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
      this.local = await ipc.photosLocal();
    } catch (err) {
      this.fail(err);
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

  async savePersonal(name: string, idNumber: string): Promise<void> {
    const a = await ipc.verificationSavePersonal(name, idNumber);
    this.applyApplication(a);
  }

  async pickPhoto(side: PhotoSide): Promise<void> {
    const photo = await ipc.photoPick(side);
    if (photo !== null) this.local[side] = photo;
  }

  /** Upload the picked photos and submit; progress arrives as events. */
  async submit(): Promise<void> {
    this.progress = { portrait: null, emblem: null };
    const a = await ipc.verificationSubmit();
    this.fixing = [];
    this.local = { ...NO_PHOTOS };
    this.applyApplication(a);
    if (this.screen === 'review') this.go('waiting');
  }
}

export const app = new AppStore();
