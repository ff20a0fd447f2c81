// The card checks' helpers: which field each check shows, what "use what the card says"
// takes, where two ID numbers differ.
import { describe, expect, it } from 'vitest';
import { checkField, firstDifference, hasMismatch, mismatchedValues } from '../../src/lib/cardchecks';
import { CHECKED, type Check } from '../../src/lib/bindings';

describe('card checks', () => {
  it('names a card field for every check about a field', () => {
    for (const c of CHECKED) {
      const side = c === 'portrait_side' || c === 'emblem_side';
      expect(checkField(c) === null).toBe(side);
    }
  });

  it('takes only the mismatched name and number from the card', () => {
    const checks: Check[] = [
      { checked: 'name', result: 'mismatch', code: 'NAME_MISMATCH', read: '张山' },
      { checked: 'id_number', result: 'match' },
      { checked: 'validity', result: 'mismatch', code: 'VALIDITY_MISMATCH', read: '2016-05-01 – 长期' },
    ];
    expect(mismatchedValues(checks)).toEqual({ name: '张山' });
    expect(hasMismatch(checks)).toBe(true);
    expect(mismatchedValues([{ checked: 'name', result: 'match' }])).toBeNull();
    expect(hasMismatch([{ checked: 'birth', result: 'not_checked', why: 'not_read' }])).toBe(false);
  });

  it('finds the first differing character', () => {
    expect(firstDifference('11010519491231002X', '11010519491231002X')).toBeNull();
    expect(firstDifference('11010519491231002X', '11010519491231003X')).toBe(17);
    expect(firstDifference('1101', '11010')).toBe(5);
  });
});
