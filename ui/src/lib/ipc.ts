// The app shell's IPC, typed from the generated bindings: `call` takes a command name of
// `Commands` with its arguments and resolves to its reply, `on` delivers an event of `Events`
// with its payload. Every call rejects with an IpcError carrying the shell's stable code.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { Commands, Events } from './bindings';
import { toIpcError } from './errors';

type CommandName = keyof Commands;
type Args<C extends CommandName> = Commands[C]['args'];
type Reply<C extends CommandName> = Commands[C]['reply'];

/** Call `cmd`; `options` carries the headers of a command that takes a raw body. */
export async function call<C extends CommandName>(
  cmd: C,
  args: Args<C>,
  options?: { headers: Record<string, string> },
): Promise<Reply<C>> {
  try {
    return await invoke<Reply<C>>(cmd, args, options);
  } catch (err) {
    throw toIpcError(err);
  }
}

/** Deliver every `event` the shell sends to `handler` until the returned function is called. */
export function on<E extends keyof Events>(
  event: E,
  handler: (payload: Events[E]) => void,
): Promise<UnlistenFn> {
  return listen<Events[E]>(event, (e) => handler(e.payload));
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
