import type { FileAudience } from '../../../core/library/index.ts';
import { phone } from '../../client.ts';

/** A photo picked in the post form, cleaned and shrunk on the phone, not shared yet. */
export interface PendingPhoto {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/**
 * Shares the photos picked in the post form with the post's own audience, when the post is saved: a
 * photo picked before "members only" was chosen would otherwise have gone out in clear. Returns their
 * file ids, to attach.
 */
export async function sharePhotos(photos: readonly PendingPhoto[], audience: FileAudience): Promise<string[]> {
  const lib = phone.library;
  if (!lib) return [];
  const ids: string[] = [];
  for (const p of photos) ids.push((await lib.share(p.bytes, { name: p.name, mime: p.mime, licence: 'ask-author', audience }, () => undefined)).manifest.id);
  return ids;
}
