// The current locale as reactive state and the `t` function screens use: reading a text
// inside a template re-renders it when the language changes.

import {
  DEFAULT_LOCALE,
  errorText,
  reasonText,
  translate,
  type Locale,
  type Params,
} from './translate';

const state = $state<{ locale: Locale }>({ locale: DEFAULT_LOCALE });

export function locale(): Locale {
  return state.locale;
}

export function setLocale(next: Locale): void {
  state.locale = next;
}

export function t(key: string, params?: Params): string {
  return translate(state.locale, key, params);
}

export function tError(code: string): string {
  return errorText(state.locale, code);
}

export function tReason(code: string): string {
  return reasonText(state.locale, code);
}
