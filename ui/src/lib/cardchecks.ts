// What the UI needs to show the card checks: the field each check is about, and the values
// a mismatch offers to take from the card.

import type { Check, Checked, FieldKey } from './bindings';

/** The card field a check compares (its crop is shown beside a mismatch). */
export function checkField(checked: Checked): FieldKey | null {
  switch (checked) {
    case 'name':
      return 'name';
    case 'id_number':
      return 'id_number';
    case 'birth':
      return 'birth';
    case 'sex':
      return 'sex';
    case 'validity':
    case 'expiry':
    case 'term':
      return 'valid_to';
    default:
      return null;
  }
}

/** The name and number the card says where they differ from what was typed, or null. */
export function mismatchedValues(checks: readonly Check[]): { name?: string; idNumber?: string } | null {
  const out: { name?: string; idNumber?: string } = {};
  for (const c of checks) {
    if (c.result !== 'mismatch') continue;
    if (c.checked === 'name') out.name = c.read;
    if (c.checked === 'id_number') out.idNumber = c.read;
  }
  return out.name === undefined && out.idNumber === undefined ? null : out;
}

/** A check that must be resolved before submitting. */
export function hasMismatch(checks: readonly Check[]): boolean {
  return checks.some((c) => c.result === 'mismatch');
}

/** The 1-based position of the first character where `a` and `b` differ, or null. */
export function firstDifference(a: string, b: string): number | null {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return i + 1;
  }
  return null;
}
