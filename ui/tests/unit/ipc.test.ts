// The typed IPC against Tauri's own IPC mock: command names and arguments as given, replies
// as sent, rejections turned into IpcError with the shell's code, events with their payloads.

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

describe('ipc', () => {
  it('passes the command name and its arguments through', async () => {
    answer(() => null);
    await ipc.call('auth_login', { login: 'a@b.cn', password: 'pw-123456' });
    await ipc.call('verification_save_personal', {
      name: '张三',
      idNumber: '11010519491231002X',
      validity: { start: '2016-03-01', end: null, long_term: true },
    });
    await ipc.call('photo_drop', { side: 'portrait', path: '/home/u/id-front.jpg' });
    await ipc.call('verification_submit', {});
    expect(calls).toEqual([
      { cmd: 'auth_login', args: { login: 'a@b.cn', password: 'pw-123456' } },
      {
        cmd: 'verification_save_personal',
        args: {
          name: '张三',
          idNumber: '11010519491231002X',
          validity: { start: '2016-03-01', end: null, long_term: true },
        },
      },
      { cmd: 'photo_drop', args: { side: 'portrait', path: '/home/u/id-front.jpg' } },
      { cmd: 'verification_submit', args: {} },
    ]);
  });

  it('returns the reply as sent', async () => {
    const info = { api_url: 'https://staging.okpay.test', staging: true, version: '0.1.0', mobile: false };
    answer((cmd) => (cmd === 'app_info' ? info : null));
    await expect(ipc.call('app_info', {})).resolves.toEqual(info);
    await expect(ipc.call('session_restore', {})).resolves.toBeNull();
  });

  it('rejects with an IpcError carrying the code', async () => {
    answer(() => {
      throw { code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong account or password.' };
    });
    const err = await ipc
      .call('auth_login', { login: 'a@b.cn', password: 'bad' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('delivers verification-changed and upload-progress events', async () => {
    answer(() => null);
    const { emit } = await import('@tauri-apps/api/event');
    const seen: unknown[] = [];
    const off1 = await ipc.on('verification-changed', (a) => seen.push(a.status));
    const off2 = await ipc.on('upload-progress', (p) => seen.push(`${p.side} ${p.sent}/${p.total}`));
    await emit('verification-changed', { status: 'approved' });
    await emit('upload-progress', { side: 'portrait', sent: 5, total: 10 });
    off1();
    off2();
    await emit('verification-changed', { status: 'rejected' });
    expect(seen).toEqual(['approved', 'portrait 5/10']);
  });

  it('delivers drag and drop on the window in CSS pixels', async () => {
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
