// The capture screen's camera: the stream (the back camera where there is one), frames
// downscaled to about FRAME_LONG_SIDE and sent as raw RGBA to `camera_frame`, the still at
// the stream's full resolution, and what a failure to start means for the user. Frames stay
// in memory: nothing is written or sent anywhere but to the shell.

import { FRAME_HEADER, type FrameView } from './bindings';
import { call } from './ipc';

/** The long side frames are judged at. */
export const FRAME_LONG_SIDE = 640;
/** Least time between two frames sent, ms (about 15 a second). */
export const FRAME_INTERVAL_MS = 66;

/** Why the camera cannot be used: refused, absent, or anything else. */
export type CameraTrouble = 'denied' | 'none' | 'failed';

/** What a `getUserMedia` failure means for the user. */
export function troubleOf(err: unknown): CameraTrouble {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (['NotAllowedError', 'SecurityError', 'PermissionDeniedError'].includes(name)) return 'denied';
  if (['NotFoundError', 'OverconstrainedError', 'DevicesNotFoundError', 'NotSupportedError'].includes(name)) {
    return 'none';
  }
  return 'failed';
}

/** A frame of `width` x `height` scaled down (never up) to a long side of at most `long`. */
export function frameSize(width: number, height: number, long = FRAME_LONG_SIDE): { width: number; height: number } {
  const k = Math.min(1, long / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/** Start the camera: video only, the back camera preferred, as sharp as it offers. */
export async function startCamera(): Promise<MediaStream> {
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (devices?.getUserMedia === undefined) throw new DOMException('no camera API', 'NotFoundError');
  return devices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
  });
}

/** Stop every track of `stream` (the camera's light goes off). */
export function stopCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export interface Frame {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** The video's current picture, downscaled, as RGBA; `null` before the first picture. */
export function grabFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): Frame | null {
  if (video.videoWidth === 0 || video.videoHeight === 0) return null;
  const { width, height } = frameSize(video.videoWidth, video.videoHeight);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) return null;
  ctx.drawImage(video, 0, 0, width, height);
  const data = ctx.getImageData(0, 0, width, height).data;
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/** Have the shell judge a frame. */
export function judgeFrame(frame: Frame): Promise<FrameView> {
  return call('camera_frame', frame.bytes, { headers: { [FRAME_HEADER]: `${frame.width}x${frame.height}` } });
}

interface ImageCaptureLike {
  takePhoto(): Promise<Blob>;
}
type ImageCaptureCtor = new (track: MediaStreamTrack) => ImageCaptureLike;

/**
 * The picture to keep: `ImageCapture.takePhoto` (the camera's full resolution) where the
 * platform has it, else the video's current picture at the stream's resolution as a JPEG.
 */
export async function takeStill(video: HTMLVideoElement, stream: MediaStream | null): Promise<Uint8Array> {
  const Capture = (globalThis as { ImageCapture?: ImageCaptureCtor }).ImageCapture;
  const track = stream?.getVideoTracks()[0];
  if (Capture !== undefined && track !== undefined && track.readyState === 'live') {
    try {
      const blob = await new Capture(track).takePhoto();
      return new Uint8Array(await blob.arrayBuffer());
    } catch {
      // Not offered by this camera: the video's own picture below.
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.95));
  canvas.width = 0;
  if (blob === null) throw new DOMException('no picture', 'NotReadableError');
  return new Uint8Array(await blob.arrayBuffer());
}
