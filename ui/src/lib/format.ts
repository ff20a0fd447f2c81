// Display formatting: money in fen, masked ID numbers, byte sizes.

/** `50000000` fen → `¥500,000`; `123456` → `¥1,234.56`. Integer arithmetic, no rounding. */
export function formatFen(fen: number): string {
  if (!Number.isFinite(fen)) return '¥—';
  const whole = Math.trunc(fen);
  const sign = whole < 0 ? '-' : '';
  const abs = Math.abs(whole);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const tail = cents === 0 ? '' : `.${String(cents).padStart(2, '0')}`;
  return `${sign}¥${grouped}${tail}`;
}

/**
 * `11010519491231002X` → `1101**********002X`: the first four and last four characters stay
 * (same rule as okpay_rules::validate::mask_id_number); eight or fewer are all masked.
 */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id);
  if (chars.length <= 8) return '*'.repeat(chars.length);
  const n = chars.length;
  return chars.map((c, i) => (i < 4 || i >= n - 4 ? c : '*')).join('');
}

/** Percentage 0–100 of an upload, clamped. */
export function percent(sent: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((sent / total) * 100)));
}
