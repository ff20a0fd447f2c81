import { describe, expect, test } from 'vitest';
import { frameSize, troubleOf } from '../../src/lib/camera';

describe('camera', () => {
  test('frames are scaled down to 640 on the long side, never up', () => {
    expect(frameSize(1920, 1080)).toEqual({ width: 640, height: 360 });
    expect(frameSize(1080, 1920)).toEqual({ width: 360, height: 640 });
    expect(frameSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(frameSize(320, 240)).toEqual({ width: 320, height: 240 });
    expect(frameSize(0, 0)).toEqual({ width: 1, height: 1 });
  });

  test('a refusal, a missing camera and anything else are told apart', () => {
    expect(troubleOf(new DOMException('no', 'NotAllowedError'))).toBe('denied');
    expect(troubleOf(new DOMException('no', 'SecurityError'))).toBe('denied');
    expect(troubleOf(new DOMException('none', 'NotFoundError'))).toBe('none');
    expect(troubleOf(new DOMException('c', 'OverconstrainedError'))).toBe('none');
    expect(troubleOf(new DOMException('busy', 'NotReadableError'))).toBe('failed');
    expect(troubleOf('weird')).toBe('failed');
  });
});
