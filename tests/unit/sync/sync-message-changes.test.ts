import * as A from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeCount } from '../../../src/core/sync/sync-message-changes.ts';
import { changesOf } from '../../../src/core/sync/sync-changes.ts';

// openspec/specs/island-sync/spec.md — the relay weighs what Automerge would take in before it does

type Doc = { items: string[]; n: number };

/** Automerge's own reading: the changes, or none when it cannot decode the message. */
function automergeChanges(msg: Uint8Array): number {
  try {
    return A.decodeSyncMessage(msg).changes.length;
  } catch {
    return 0;
  }
}

/** Every sync message two peers send each other while converging, from their own random histories. */
function conversation(left: string[][], right: string[][], base: string[]): Uint8Array[] {
  let a = A.from<Doc>({ items: base, n: 0 });
  let b = A.clone(a);
  for (const edits of left) a = A.change(a, (d) => edits.forEach((e) => d.items.push(e)));
  for (const edits of right) b = A.change(b, (d) => void (d.n += edits.length));
  // Each peer: its doc and its sync state with the other.
  const peers = [
    { doc: a, state: A.initSyncState() },
    { doc: b, state: A.initSyncState() },
  ];
  const sent: Uint8Array[] = [];
  // Turns alternate; two silent turns in a row mean both sides are done.
  for (let turn = 0, silent = 0; turn < 20 && silent < 2; turn++) {
    const [from, to] = turn % 2 === 0 ? [peers[0]!, peers[1]!] : [peers[1]!, peers[0]!];
    const [state, msg] = A.generateSyncMessage(from.doc, from.state);
    from.state = state;
    silent = msg ? 0 : silent + 1;
    if (!msg) continue;
    sent.push(msg);
    [to.doc, to.state] = A.receiveSyncMessage(to.doc, to.state, msg);
  }
  return sent;
}

const edits = fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 }), { maxLength: 6 });

describe('sync: the changes a sync message carries, read from its header', () => {
  it('Scenario: the header gives the same change count as Automerge for every message two peers exchange', () => {
    fc.assert(
      fc.property(edits, edits, fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), (left, right, base) => {
        for (const msg of conversation(left, right, base)) expect(changeCount(msg)).toBe(A.decodeSyncMessage(msg).changes.length);
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: a broken or forged message read as carrying no change carries none for Automerge either', () => {
    const messages = conversation([['seedlings', 'bread'], ['tools']], [['x']], ['a']);
    fc.assert(
      fc.property(
        fc.constantFrom(...messages),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        fc.option(fc.nat()),
        fc.uint8Array({ maxLength: 8 }),
        (original, flips, cut, tail) => {
          const msg = Uint8Array.from([...original.slice(0, cut === null ? undefined : cut % (original.length + 1)), ...tail]);
          for (const { at, byte } of flips) if (msg.length) msg[at % msg.length] = byte;
          if (changeCount(msg) === 0) expect(automergeChanges(msg)).toBe(0);
          // What the relay weighs is Automerge's reading either way.
          expect(changesOf(msg).length).toBe(automergeChanges(msg));
        },
      ),
      { numRuns: 2_000 },
    );
    // Any bytes at all: never a count Automerge would contradict by finding changes where it says none.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (junk) => void (changeCount(junk) === 0 && expect(automergeChanges(junk)).toBe(0))), { numRuns: 2_000 });
  });
});
