// Typed wrappers around the app shell's IPC commands and events. Every wrapper rejects with
// an IpcError carrying the shell's stable error code.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
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
} from './types';

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toIpcError(err);
  }
}

export const appInfo = (): Promise<AppInfo> => call('app_info');

export const sessionRestore = (): Promise<SessionInfo | null> => call('session_restore');

export const authLogin = (login: string, password: string): Promise<SessionInfo> =>
  call('auth_login', { login, password });

export const authRegister = (login: string, password: string): Promise<SessionInfo> =>
  call('auth_register', { login, password });

export const authLogout = (): Promise<null> => call('auth_logout');

export const accountGet = (): Promise<Account> => call('account_get');

export const verificationGet = (): Promise<Application> => call('verification_get');

export const validateFields = (name: string, idNumber: string): Promise<FieldErrors> =>
  call('validate_fields', { name, idNumber });

export const verificationSavePersonal = (name: string, idNumber: string): Promise<Application> =>
  call('verification_save_personal', { name, idNumber });

export const photoPick = (side: PhotoSide): Promise<LocalPhoto | null> =>
  call('photo_pick', { side });

export const photosLocal = (): Promise<LocalPhotos> => call('photos_local');

export const verificationSubmit = (): Promise<Application> => call('verification_submit');

export const EVENT_UPLOAD_PROGRESS = 'upload-progress';
export const EVENT_VERIFICATION_CHANGED = 'verification-changed';

export function onUploadProgress(handler: (p: UploadProgress) => void): Promise<UnlistenFn> {
  return listen<UploadProgress>(EVENT_UPLOAD_PROGRESS, (e) => handler(e.payload));
}

export function onVerificationChanged(handler: (a: Application) => void): Promise<UnlistenFn> {
  return listen<Application>(EVENT_VERIFICATION_CHANGED, (e) => handler(e.payload));
}
