// Geometry of the photo-check overlay, in the photo's own pixels: where to mark a missing
// corner (kept inside the frame), where a glare spot is (for labels and screen readers), and
// sizes that scale with the photo.

import type { MessageKey } from '../i18n/translate';
import { CORNERS, type Corner, type PhotoCheck, type Rect } from './bindings';

/** A point in the photo's own pixels. */
export type Point = readonly [number, number];

/** Where on the photo something is: a 3 × 3 grid. */
export type Region =
  | 'top_left'
  | 'top'
  | 'top_right'
  | 'left'
  | 'center'
  | 'right'
  | 'bottom_left'
  | 'bottom'
  | 'bottom_right';

/** The marker radius and label size for a photo of `width` × `height`. */
export function markerSize(width: number, height: number): number {
  return Math.max(8, Math.round(Math.min(width, height) * 0.08));
}

/** The outline's stroke width for a photo of `width` × `height`. */
export function strokeWidth(width: number, height: number): number {
  return Math.max(2, Math.round(Math.max(width, height) * 0.006));
}

const clamp = (v: number, lo: number, hi: number): number =>
  Math.min(Math.max(v, lo), Math.max(lo, hi));

/** `p` moved inside the photo, `margin` away from its edges. */
export function clampPoint(p: Point, width: number, height: number, margin: number): Point {
  return [clamp(p[0], margin, width - margin), clamp(p[1], margin, height - margin)];
}

/** The photo's own corner of that name. */
function frameCorner(corner: Corner, width: number, height: number): Point {
  switch (corner) {
    case 'top_left':
      return [0, 0];
    case 'top_right':
      return [width, 0];
    case 'bottom_right':
      return [width, height];
    case 'bottom_left':
      return [0, height];
  }
}

/**
 * Where to mark a missing corner: the card's corner from the quad when one was found (it
 * usually lies outside the photo), else the photo's corner; always kept in view.
 */
export function cornerMark(
  corner: Corner,
  check: PhotoCheck,
  width: number,
  height: number,
): Point {
  const at = check.quad ? check.quad[CORNERS.indexOf(corner)] : undefined;
  const p = at ?? frameCorner(corner, width, height);
  return clampPoint(p, width, height, markerSize(width, height) * 1.2);
}

/** The 3 × 3 region a box's centre falls in. */
export function regionOf(box: Rect, width: number, height: number): Region {
  const cx = (box.x + box.width / 2) / Math.max(1, width);
  const cy = (box.y + box.height / 2) / Math.max(1, height);
  const col = cx < 1 / 3 ? 0 : cx < 2 / 3 ? 1 : 2;
  const row = cy < 1 / 3 ? 0 : cy < 2 / 3 ? 1 : 2;
  const grid: Region[][] = [
    ['top_left', 'top', 'top_right'],
    ['left', 'center', 'right'],
    ['bottom_left', 'bottom', 'bottom_right'],
  ];
  return grid[row]?.[col] ?? 'center';
}

/** A box kept inside the photo (glare boxes are, but a reply is not trusted to be). */
export function clampBox(box: Rect, width: number, height: number): Rect {
  const x = clamp(box.x, 0, width);
  const y = clamp(box.y, 0, height);
  return {
    x,
    y,
    width: clamp(box.width, 0, width - x),
    height: clamp(box.height, 0, height - y),
  };
}

/** The quad as an SVG `points` attribute. */
export function quadPoints(quad: readonly Point[]): string {
  return quad.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).join(' ');
}

/** One sentence of the overlay's description: a catalog key and its parameters. */
export interface DescriptionPart {
  key: MessageKey;
  region?: Region;
  corner?: Corner;
}

/** What the overlay shows, in reading order, for screen readers. */
export function describeCheck(check: PhotoCheck, width: number, height: number): DescriptionPart[] {
  const parts: DescriptionPart[] = [
    { key: check.quad ? 'overlay.card_found' : 'overlay.card_not_found' },
  ];
  for (const box of check.glare) {
    parts.push({ key: 'overlay.glare_at', region: regionOf(box, width, height) });
  }
  for (const corner of check.missing_corners) {
    parts.push({ key: 'overlay.corner_missing', corner });
  }
  parts.push({ key: check.ok ? 'overlay.passed' : 'overlay.failed' });
  return parts;
}
