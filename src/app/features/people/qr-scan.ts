/**
 * Reads QR codes from camera frames and photos with jsQR (pure JS, no network, no model download).
 * Loaded only on the vouch screen.
 */
import jsQR from 'jsqr';

/** Big photos are scaled down first: jsQR's cost grows with pixels, and a code needs far fewer. */
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

function decode(source: CanvasImageSource, width: number, height: number): string | null {
  const { ctx, w, h } = canvasFor(width, height);
  ctx.drawImage(source, 0, 0, w, h);
  const img = ctx.getImageData(0, 0, w, h);
  return jsQR(img.data, w, h, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

export async function decodeQrFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return decode(bitmap, bitmap.width, bitmap.height);
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
