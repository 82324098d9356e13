/**
 * An automerge document URL (`automerge:` + a base58check document id), as invites, relay flags and
 * community records carry it. Checked before anything is asked of a repo, so junk never reaches it.
 */
export const AUTOMERGE_URL_RE = /^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/;

export function isAutomergeUrl(s: unknown): s is `automerge:${string}` {
  return typeof s === 'string' && AUTOMERGE_URL_RE.test(s);
}

/** The document id inside an automerge URL (the URL itself when it has no prefix). */
export function documentIdOf(url: string): string {
  return url.replace(/^automerge:/, '');
}
