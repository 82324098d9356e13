import * as Automerge from '@automerge/automerge';
import { createHash, randomBytes } from 'node:crypto';

/**
 * Changes Automerge really takes in whose ops far outnumber their bytes: one change inserts `chars`
 * characters into a text, then `deleters` concurrent changes by different actors each delete all of
 * them. A delete of a run of characters is a few bytes (its columns are run-length encoded) but one op
 * per character, so the set is about `chars` bytes and `chars * (deleters + 1)` ops.
 *
 * Only one delete is computed by Automerge (a million-character delete takes seconds); the others are
 * that change with its author's actor id swapped for a fresh one and its checksum recomputed, exactly
 * what a peer crafting bytes could send. tests/unit/sync/automerge-op-count.test.ts checks Automerge
 * loads them.
 */
export function opBomb(chars: number, deleters: number): { docId: string; changes: Uint8Array[]; ops: number } {
  let base = Automerge.from<{ t: string }>({ t: '' });
  base = Automerge.change(base, (d) => Automerge.splice(d, ['t'], 0, 0, 'a'.repeat(chars)));
  const deletion = Automerge.getLastLocalChange(Automerge.change(Automerge.clone(base), (d) => Automerge.splice(d, ['t'], 0, chars)))!;
  const changes = [...Automerge.getAllChanges(base), deletion];
  for (let i = 1; i < deleters; i++) changes.push(withAuthor(deletion, randomBytes(16)));
  return { docId: randomBytes(16).toString('base64url'), changes, ops: Automerge.getAllChanges(base).reduce((n, c) => n + Automerge.decodeChange(c).ops.length, 0) + chars * deleters };
}

/** `change` with its author's actor id replaced by `actor` (same length) and a checksum that matches. */
function withAuthor(change: Uint8Array, actor: Uint8Array): Uint8Array {
  const out = Uint8Array.from(change);
  let at = 9; // magic (4), checksum (4), chunk type (1)
  const length = leb(out, at);
  at = length.next;
  const bodyStart = at;
  const deps = leb(out, at);
  at = deps.next + 32 * deps.value;
  const actorLength = leb(out, at);
  if (actorLength.value !== actor.length) throw new Error('actor ids differ in length');
  out.set(actor, actorLength.next);
  const hash = createHash('sha256').update(out.subarray(8, bodyStart)).update(out.subarray(bodyStart)).digest();
  out.set(hash.subarray(0, 4), 4);
  return out;
}

function leb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[at++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: at };
    scale *= 128;
  }
}
