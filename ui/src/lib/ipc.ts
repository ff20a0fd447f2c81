// Typed wrappers around the app shell's IPC commands and events. Every wrapper rejects with
// an IpcError carrying the shell's stable error code.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { toIpcError } from './errors';
import type {
  Account,
  AppInfo,
  Application,
  FieldErrors,
  LocalPhoto,
  LocalPhotos,
  PhotoSide,
  SessionInfo,
  UploadProgress,
  Validity,
} from './types';

async function call<T>(
  cmd: string,
  args?: Record<string, unknown> | Uint8Array,
  options?: { headers: Record<string, string> },
): Promise<T> {
  try {
    return await invoke<T>(cmd, args, options);
  } catch (err) {
    throw toIpcError(err);
  }
}

export const appInfo = (): Promise<AppInfo> => call('app_info');

/** Tell the shell the language the user chose (for the notifications it shows itself). */
export const appSetLocale = (locale: string): Promise<null> => call('app_set_locale', { locale });

export const sessionRestore = (): Promise<SessionInfo | null> => call('session_restore');

export const authLogin = (login: string, password: string): Promise<SessionInfo> =>
  call('auth_login', { login, password });

export const authRegister = (login: string, password: string): Promise<SessionInfo> =>
  call('auth_register', { login, password });

export const authLogout = (): Promise<null> => call('auth_logout');

export const accountGet = (): Promise<Account> => call('account_get');

export const verificationGet = (): Promise<Application> => call('verification_get');

export const validateFields = (
  name: string,
  idNumber: string,
  validity: Validity | null = null,
): Promise<FieldErrors> => call('validate_fields', { name, idNumber, validity });

export const verificationSavePersonal = (
  name: string,
  idNumber: string,
  validity: Validity | null = null,
): Promise<Application> => call('verification_save_personal', { name, idNumber, validity });

/** Record the user's consent to the processing described by consent text `version`. */
export const verificationConsent = (version: string): Promise<Application> =>
  call('verification_consent', { version });

export const photoPick = (side: PhotoSide): Promise<LocalPhoto | null> =>
  call('photo_pick', { side });

/** A file dropped on the window; the shell accepts only paths that were actually dropped. */
export const photoDrop = (side: PhotoSide, path: string): Promise<LocalPhoto> =>
  call('photo_drop', { side, path });

/**
 * A photo taken with the camera or chosen from the library on a phone: the file's bytes go
 * to the shell as the raw body, the side in a header; the same checks as a picked file.
 */
export const photoCapture = (side: PhotoSide, bytes: Uint8Array): Promise<LocalPhoto> =>
  call('photo_capture', bytes, { headers: { 'x-okpay-side': side } });

export const photosLocal = (): Promise<LocalPhotos> => call('photos_local');

export const verificationSubmit = (): Promise<Application> => call('verification_submit');

export const EVENT_UPLOAD_PROGRESS = 'upload-progress';
export const EVENT_VERIFICATION_CHANGED = 'verification-changed';

export function onUploadProgress(handler: (p: UploadProgress) => void): Promise<UnlistenFn> {
  return listen<UploadProgress>(EVENT_UPLOAD_PROGRESS, (e) => handler(e.payload));
}

/** Files dragged over or dropped on the window, position in CSS pixels of the page. */
export type DragDrop =
  | { type: 'enter' | 'over'; x: number; y: number }
  | { type: 'drop'; paths: string[]; x: number; y: number }
  | { type: 'leave' };

export async function onDragDrop(handler: (e: DragDrop) => void): Promise<UnlistenFn> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === 'leave') {
      handler({ type: 'leave' });
      return;
    }
    const { x, y } = p.position.toLogical(window.devicePixelRatio || 1);
    if (p.type === 'drop') handler({ type: 'drop', paths: p.paths, x, y });
    else handler({ type: p.type, x, y });
  });
}

export function onVerificationChanged(handler: (a: Application) => void): Promise<UnlistenFn> {
  return listen<Application>(EVENT_VERIFICATION_CHANGED, (e) => handler(e.payload));
}
