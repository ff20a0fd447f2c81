// Validity period input: dates as printed on the card become YYYY-MM-DD.

import { describe, expect, it } from 'vitest';
import { isValidityWarning, normalizeDate, validityInput } from '../../src/lib/validity';

describe('validity period input', () => {
  it('accepts the ways a date is written', () => {
    expect(normalizeDate('2016.03.01')).toBe('2016-03-01');
    expect(normalizeDate(' 2016/3/1 ')).toBe('2016-03-01');
    expect(normalizeDate('2016年3月1日')).toBe('2016-03-01');
    expect(normalizeDate('20160301')).toBe('2016-03-01');
    expect(normalizeDate('2016-03-01')).toBe('2016-03-01');
    expect(normalizeDate('March 2016')).toBe('March 2016');
    expect(normalizeDate('')).toBe('');
  });

  it('sends nothing until something is entered; long-term drops the end date', () => {
    expect(validityInput('', '', false)).toBeNull();
    expect(validityInput('2016.03.01', '2036.03.01', false)).toEqual({
      start: '2016-03-01',
      end: '2036-03-01',
      long_term: false,
    });
    expect(validityInput('2016.03.01', '2036.03.01', true)).toEqual({
      start: '2016-03-01',
      end: null,
      long_term: true,
    });
    expect(validityInput('', '', true)).toEqual({ start: null, end: null, long_term: true });
  });

  it('lets an expiring card through with a warning', () => {
    expect(isValidityWarning('VALIDITY_EXPIRING_SOON')).toBe(true);
    expect(isValidityWarning('VALIDITY_EXPIRED')).toBe(false);
  });
});
