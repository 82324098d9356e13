/** Photos are shrunk on the phone before sharing: the mesh carries what a phone screen needs. */
export async function downscaleImage(file: File, maxSide: number): Promise<{ bytes: Uint8Array; mime: string }> {
  const original = { bytes: new Uint8Array(await file.arrayBuffer()), mime: file.type || 'application/octet-stream' };
  if (!maxSide || !/^image\/(jpeg|png|webp)$/.test(file.type)) return original;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  if (scale === 1) return (bitmap.close(), original);
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
  const smaller = new Uint8Array(await blob.arrayBuffer());
  return smaller.length < original.bytes.length ? { bytes: smaller, mime: 'image/jpeg' } : original;
}
