// Money and ID-number display.

import { describe, expect, it } from 'vitest';
import { formatFen, maskIdNumber, percent } from '../../src/lib/format';

describe('formatFen', () => {
  it('formats whole yuan with thousands separators', () => {
    expect(formatFen(500_00)).toBe('¥500');
    expect(formatFen(1_000_00)).toBe('¥1,000');
    expect(formatFen(50_000_00)).toBe('¥50,000');
    expect(formatFen(200_000_00)).toBe('¥200,000');
    expect(formatFen(1_234_567_800)).toBe('¥12,345,678');
  });

  it('keeps fen when there are any', () => {
    expect(formatFen(123_456)).toBe('¥1,234.56');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(10)).toBe('¥0.10');
  });

  it('handles zero, negatives and non-numbers', () => {
    expect(formatFen(0)).toBe('¥0');
    expect(formatFen(-1_000_050)).toBe('-¥10,000.50');
    expect(formatFen(Number.NaN)).toBe('¥—');
  });
});

describe('maskIdNumber', () => {
  it('keeps the first four and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('440524188001010014')).toBe('4405**********0014');
  });

  it('never shows the middle of the number', () => {
    const masked = maskIdNumber('11010519491231002X');
    expect(masked).toHaveLength(18);
    expect(masked).not.toContain('19491231');
  });

  it('masks short inputs entirely', () => {
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber('123456789')).toBe('1234*6789');
  });
});

describe('percent', () => {
  it('rounds and clamps', () => {
    expect(percent(0, 100)).toBe(0);
    expect(percent(50, 200)).toBe(25);
    expect(percent(1, 3)).toBe(33);
    expect(percent(300, 200)).toBe(100);
    expect(percent(5, 0)).toBe(0);
  });
});
