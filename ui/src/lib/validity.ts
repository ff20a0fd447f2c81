// The validity period fields of the form (有效期限): dates typed as printed on the card
// (2016.03.01, 2016/3/1, 20160301) are sent as YYYY-MM-DD.

import type { Validity } from './bindings';

/**
 * `2016.03.01`, `2016/3/1`, `2016年3月1日`, `20160301` → `2016-03-01`. Anything else is
 * returned trimmed, for the shell to reject with VALIDITY_BAD_DATE.
 */
export function normalizeDate(text: string): string {
  const s = text.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  const parts = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (parts) return `${parts[1]}-${parts[2]?.padStart(2, '0')}-${parts[3]?.padStart(2, '0')}`;
  return s;
}

/** What the form sends: null when nothing has been entered at all. */
export function validityInput(start: string, end: string, longTerm: boolean): Validity | null {
  const s = normalizeDate(start);
  const e = normalizeDate(end);
  if (s === '' && e === '' && !longTerm) return null;
  return { start: s === '' ? null : s, end: longTerm || e === '' ? null : e, long_term: longTerm };
}

/** Validity codes that warn but do not stop the user. */
export function isValidityWarning(code: string): boolean {
  return code === 'VALIDITY_EXPIRING_SOON';
}
