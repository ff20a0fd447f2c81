// The typed IPC wrappers against Tauri's own IPC mock: command names, camelCase argument
// names, and rejections turned into IpcError with the shell's code.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { IpcError } from '../../src/lib/errors';
import type * as Ipc from '../../src/lib/ipc';

let ipc: typeof Ipc;
const calls: { cmd: string; args: unknown }[] = [];

beforeAll(async () => {
  // The mocks install themselves on `window`; in Node the global object stands in for it.
  (globalThis as unknown as { window: typeof globalThis }).window = globalThis;
  ipc = await import('../../src/lib/ipc');
});

afterEach(() => {
  clearMocks();
  calls.length = 0;
});

function answer(reply: (cmd: string, args: unknown) => unknown): void {
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      return reply(cmd, args);
    },
    { shouldMockEvents: true },
  );
}

describe('ipc wrappers', () => {
  it('call the documented commands with camelCase arguments', async () => {
    answer(() => null);
    await ipc.appInfo();
    await ipc.sessionRestore();
    await ipc.authLogin('a@b.cn', 'pw-123456');
    await ipc.authRegister('13800138000', 'pw-123456');
    await ipc.authLogout();
    await ipc.accountGet();
    await ipc.verificationGet();
    await ipc.validateFields('张三', '11010519491231002X');
    await ipc.verificationSavePersonal('张三', '11010519491231002X', {
      start: '2016-03-01',
      end: null,
      long_term: true,
    });
    await ipc.photoPick('emblem');
    await ipc.photosLocal();
    await ipc.verificationSubmit();
    await ipc.verificationConsent('2026-11');
    await ipc.photoDrop('portrait', '/home/u/id-front.jpg');
    expect(calls.map((c) => c.cmd)).toEqual([
      'app_info',
      'session_restore',
      'auth_login',
      'auth_register',
      'auth_logout',
      'account_get',
      'verification_get',
      'validate_fields',
      'verification_save_personal',
      'photo_pick',
      'photos_local',
      'verification_submit',
      'verification_consent',
      'photo_drop',
    ]);
    expect(calls[2]?.args).toEqual({ login: 'a@b.cn', password: 'pw-123456' });
    expect(calls[7]?.args).toEqual({
      name: '张三',
      idNumber: '11010519491231002X',
      validity: null,
    });
    expect(calls[8]?.args).toEqual({
      name: '张三',
      idNumber: '11010519491231002X',
      validity: { start: '2016-03-01', end: null, long_term: true },
    });
    expect(calls[9]?.args).toEqual({ side: 'emblem' });
    expect(calls[12]?.args).toEqual({ version: '2026-11' });
    expect(calls[13]?.args).toEqual({ side: 'portrait', path: '/home/u/id-front.jpg' });
  });

  it('return the reply as sent', async () => {
    const info = { api_url: 'https://staging.okpay.test', staging: true, version: '0.1.0', mobile: false };
    answer((cmd) => (cmd === 'app_info' ? info : null));
    await expect(ipc.appInfo()).resolves.toEqual(info);
    await expect(ipc.sessionRestore()).resolves.toBeNull();
  });

  it('reject with an IpcError carrying the code', async () => {
    answer(() => {
      throw { code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong account or password.' };
    });
    const err = await ipc.authLogin('a@b.cn', 'bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('deliver verification-changed and upload-progress events', async () => {
    answer(() => null);
    const { emit } = await import('@tauri-apps/api/event');
    const seen: unknown[] = [];
    const off1 = await ipc.onVerificationChanged((a) => seen.push(a.status));
    const off2 = await ipc.onUploadProgress((p) => seen.push(`${p.side} ${p.sent}/${p.total}`));
    await emit('verification-changed', { status: 'approved' });
    await emit('upload-progress', { side: 'portrait', sent: 5, total: 10 });
    off1();
    off2();
    await emit('verification-changed', { status: 'rejected' });
    expect(seen).toEqual(['approved', 'portrait 5/10']);
  });

  it('deliver drag and drop on the window in CSS pixels', async () => {
    answer(() => null);
    mockWindows('main');
    (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio = 2;
    const { emit } = await import('@tauri-apps/api/event');
    const seen: Ipc.DragDrop[] = [];
    const off = await ipc.onDragDrop((e) => seen.push(e));
    await emit('tauri://drag-over', { position: { x: 200, y: 100 } });
    await emit('tauri://drag-drop', { paths: ['/tmp/a.jpg'], position: { x: 40, y: 60 } });
    await emit('tauri://drag-leave', null);
    off();
    expect(seen).toEqual([
      { type: 'over', x: 100, y: 50 },
      { type: 'drop', paths: ['/tmp/a.jpg'], x: 20, y: 30 },
      { type: 'leave' },
    ]);
  });
});
