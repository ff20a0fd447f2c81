// Catalog lookup without any UI state: a key in a locale, `{param}` substitution, and the
// fallbacks for codes a catalog does not know.

import zhCN from './zh-CN.json';
import en from './en.json';

export type Locale = 'zh-CN' | 'en';
/** Every key of the catalogs (zh-CN is the reference; a test keeps en the same). */
export type MessageKey = keyof typeof zhCN;
export type Catalog = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const DEFAULT_LOCALE: Locale = 'zh-CN';

const CATALOGS: Readonly<Record<Locale, Catalog>> = {
  'zh-CN': zhCN,
  en,
};

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Whether any catalog has `key`. */
export function hasKey(key: string): boolean {
  return LOCALES.some((l) => key in CATALOGS[l]);
}

/**
 * The text for `key` in `locale`, falling back to zh-CN, then to the generic error text for
 * `error.*`/`reason.*` keys, then to the key itself (which tests catch).
 */
export function translate(locale: Locale, key: string, params?: Params): string {
  const text = CATALOGS[locale][key] ?? CATALOGS[DEFAULT_LOCALE][key];
  if (text !== undefined) return fill(text, params);
  if (key.startsWith('reason.')) return translate(locale, 'reason.UNKNOWN', params);
  if (key.startsWith('error.')) return translate(locale, 'error.UNKNOWN', params);
  return key;
}

/** The user-facing text for an error code; unknown codes get the generic `error.UNKNOWN`. */
export function errorText(locale: Locale, code: string): string {
  return translate(locale, `error.${code}`);
}

/** The user-facing text for a rejection reason code. */
export function reasonText(locale: Locale, code: string): string {
  return translate(locale, `reason.${code}`);
}

/** A supported locale from a saved or system preference, else the default. */
export function pickLocale(wanted: string | null | undefined): Locale {
  return LOCALES.find((l) => l === wanted) ?? DEFAULT_LOCALE;
}
