// The photo-check overlay's geometry: missing corners kept in view, glare regions, and the
// description read to screen readers.

import { describe, expect, it } from 'vitest';
import {
  clampBox,
  clampPoint,
  cornerMark,
  describeCheck,
  markerSize,
  quadPoints,
  regionOf,
} from '../../src/lib/overlay';
import type { PhotoCheck } from '../../src/lib/bindings';

const W = 1200;
const H = 800;

function check(over: Partial<PhotoCheck> = {}): PhotoCheck {
  return {
    ok: false,
    reasons: ['PHOTO_GLARE', 'PHOTO_CORNER_MISSING'],
    quad: [
      [-40, 200],
      [1100, 50],
      [1120, 760],
      [80, 770],
    ],
    glare: [{ x: 900, y: 80, width: 150, height: 100 }],
    missing_corners: ['top_left'],
    ...over,
  };
}

describe('overlay geometry', () => {
  it('keeps a missing corner inside the photo, near where the card corner is', () => {
    const m = markerSize(W, H) * 1.2;
    const [x, y] = cornerMark('top_left', check(), W, H);
    expect(x).toBe(m);
    expect(y).toBe(200);
    expect(cornerMark('bottom_right', check({ quad: null }), W, H)).toEqual([W - m, H - m]);
    expect(clampPoint([5000, -5], W, H, 10)).toEqual([W - 10, 10]);
  });

  it('names the region of a glare box', () => {
    expect(regionOf({ x: 900, y: 80, width: 150, height: 100 }, W, H)).toBe('top_right');
    expect(regionOf({ x: 500, y: 350, width: 200, height: 100 }, W, H)).toBe('center');
    expect(regionOf({ x: 0, y: 700, width: 100, height: 100 }, W, H)).toBe('bottom_left');
    expect(regionOf({ x: 500, y: 0, width: 100, height: 50 }, W, H)).toBe('top');
  });

  it('clamps boxes and formats the quad', () => {
    expect(clampBox({ x: -10, y: 700, width: 50, height: 300 }, W, H)).toEqual({
      x: 0,
      y: 700,
      width: 50,
      height: 100,
    });
    expect(quadPoints([[1.4, 2.6], [3, 4]])).toBe('1,3 3,4');
  });

  it('describes what it shows in reading order', () => {
    expect(describeCheck(check(), W, H)).toEqual([
      { key: 'overlay.card_found' },
      { key: 'overlay.glare_at', region: 'top_right' },
      { key: 'overlay.corner_missing', corner: 'top_left' },
      { key: 'overlay.failed' },
    ]);
    expect(
      describeCheck(check({ ok: true, glare: [], missing_corners: [], reasons: [] }), W, H),
    ).toEqual([{ key: 'overlay.card_found' }, { key: 'overlay.passed' }]);
    expect(describeCheck(check({ quad: null, glare: [], missing_corners: [] }), W, H)[0]).toEqual({
      key: 'overlay.card_not_found',
    });
  });
});
