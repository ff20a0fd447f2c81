// The current locale as reactive state and the `t` function screens use: reading a text
// inside a template re-renders it when the language changes. The choice is kept in
// localStorage.

import {
  errorText,
  hasKey,
  pickLocale,
  reasonText,
  translate,
  type Locale,
  type MessageKey,
  type Params,
} from './translate';

/** localStorage key of the chosen language. */
const LANG_KEY = 'okpay.lang';

function saved(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANG_KEY) ?? null;
  } catch {
    return null;
  }
}

const state = $state<{ locale: Locale }>({ locale: pickLocale(saved()) });

export function locale(): Locale {
  return state.locale;
}

const listeners: ((next: Locale) => void)[] = [];

/** Call `fn` with every language the user switches to. */
export function onLocaleChange(fn: (next: Locale) => void): void {
  listeners.push(fn);
}

/** Switch the language and remember it for the next start. */
export function setLocale(next: Locale): void {
  state.locale = next;
  for (const fn of listeners) fn(next);
  try {
    globalThis.localStorage?.setItem(LANG_KEY, next);
  } catch {
    // Storage may be unavailable; the choice then lasts until the app closes.
  }
}

export function t(key: MessageKey, params?: Params): string {
  return translate(state.locale, key, params);
}

/** The text for `key`, or null when no catalog has it. */
export function tMaybe(key: string, params?: Params): string | null {
  return hasKey(key) ? translate(state.locale, key, params) : null;
}

export function tError(code: string): string {
  return errorText(state.locale, code);
}

export function tReason(code: string): string {
  return reasonText(state.locale, code);
}
