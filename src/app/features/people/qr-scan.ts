/**
 * Reads QR codes from camera frames and photos with paulmillr's `qr` decoder (pure JS, no network, no
 * model download; a sixth of jsQR's weight). Loaded only on the screens that scan.
 */
import decodeQR from 'qr/decode.js';

/**
 * A photo gets more retries than a camera frame: it is decoded once, while a missed frame is followed
 * by the next one within a frame's time. Bounded so a photo without a code still answers promptly.
 */
const PHOTO_RETRY_MS = 1500;

/** Big photos are scaled down first: decoding cost grows with pixels, and a code needs far fewer. */
const MAX_SIDE = 1200;

function canvasFor(w: number, h: number): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas');
  return { ctx, w: canvas.width, h: canvas.height };
}

function decode(source: CanvasImageSource, width: number, height: number, timeLimit?: number): string | null {
  const { ctx, w, h } = canvasFor(width, height);
  ctx.drawImage(source, 0, 0, w, h);
  const img = ctx.getImageData(0, 0, w, h);
  try {
    // The decoder throws when the picture holds no readable code: for us that is "no code yet".
    return decodeQR(img, timeLimit === undefined ? undefined : { effort: Infinity, timeLimit });
  } catch {
    return null;
  }
}

export async function decodeQrFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return decode(bitmap, bitmap.width, bitmap.height, PHOTO_RETRY_MS);
  } finally {
    bitmap.close();
  }
}

/** Scans the camera until a code is read or `signal` aborts; resolves with the text or null. */
export async function scanCamera(video: HTMLVideoElement, signal: AbortSignal): Promise<string | null> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  try {
    video.srcObject = stream;
    await video.play();
    while (!signal.aborted) {
      await new Promise((r) => requestAnimationFrame(r));
      if (video.readyState < 2) continue;
      const text = decode(video, video.videoWidth, video.videoHeight);
      if (text) return text;
    }
    return null;
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}
