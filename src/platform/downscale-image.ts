import { canStrip, MediaFormatError, stripImageMetadata } from '../core/media/strip-metadata.ts';

export interface PreparedFile {
  bytes: Uint8Array;
  mime: string;
  /** The file is an image and its location and camera details (EXIF, GPS, XMP…) are gone. */
  metadataRemoved: boolean;
}

/** The i18n key shown when an image cannot be cleaned: it is not shared at all. */
export const IMAGE_UNREADABLE = 'library.imageUnreadable';

/**
 * Photos are shrunk on the phone before sharing (the mesh carries what a phone screen needs) and, at
 * any size — "original" included — lose what they say about where and with what they were taken. A
 * JPEG, PNG or WebP is cleaned byte-wise (core/media); another image type is redrawn through a canvas
 * as JPEG; an image that can be neither is refused rather than shared with its metadata.
 */
export async function downscaleImage(file: File, maxSide: number): Promise<PreparedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mime = file.type || 'application/octet-stream';
  if (!mime.startsWith('image/')) return { bytes, mime, metadataRemoved: false };
  if (canStrip(mime)) {
    const smaller = maxSide ? await redraw(file, maxSide) : null;
    const chosen = smaller && smaller.length < bytes.length ? { bytes: smaller, mime: 'image/jpeg' } : { bytes, mime };
    return { ...clean(chosen.bytes, chosen.mime), metadataRemoved: true };
  }
  // GIF, HEIC, TIFF…: no byte-wise cleaner here; a canvas keeps the pixels only.
  const redrawn = await redraw(file, maxSide || Number.MAX_SAFE_INTEGER, true);
  if (!redrawn) throw new Error(IMAGE_UNREADABLE);
  return { ...clean(redrawn, 'image/jpeg'), metadataRemoved: true };
}

function clean(bytes: Uint8Array, mime: string): { bytes: Uint8Array; mime: string } {
  try {
    return { bytes: stripImageMetadata(bytes).bytes, mime };
  } catch (err) {
    if (err instanceof MediaFormatError) throw new Error(IMAGE_UNREADABLE);
    throw err;
  }
}

/** The picture redrawn as JPEG at most `maxSide` on its longer side; null when smaller is not needed or it cannot be decoded. */
async function redraw(file: File, maxSide: number, always = false): Promise<Uint8Array | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && !always) return (bitmap.close(), null);
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale)));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
  return new Uint8Array(await blob.arrayBuffer());
}
