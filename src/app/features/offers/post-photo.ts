import type { LibraryFile } from '../../../client/library.ts';
import { phone } from '../../client.ts';

/*
 * The thumbnail a post card shows: its first attached picture that is already whole on this phone.
 * Nothing is fetched for it (a card must not spend a slow mesh link); the post's detail screen does that.
 */

// Cards drawn together ask at once; they share one listing instead of one each.
let listing: Promise<LibraryFile[]> | null = null;

function files(): Promise<LibraryFile[]> {
  if (!phone.library) return Promise.resolve([]);
  listing ??= phone.library.list().finally(() => (listing = null));
  return listing;
}

/** An object URL of the post's first whole picture here (the caller revokes it), or null. */
export async function postPhoto(attachments: readonly string[]): Promise<string | null> {
  const lib = phone.library;
  if (!lib || attachments.length === 0) return null;
  const byId = new Map((await files()).map((f) => [f.manifest.id, f]));
  for (const id of attachments) {
    const f = byId.get(id);
    if (!f || !f.here.done || !f.facts?.mime.startsWith('image/')) continue;
    const blob = await lib.open(f.manifest);
    if (blob) return URL.createObjectURL(blob);
  }
  return null;
}
