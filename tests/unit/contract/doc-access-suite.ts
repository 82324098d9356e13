/**
 * What every DocAccess (src/core/sync/access.ts) must do, whichever replica it fronts: the sync module
 * (ContactSync, change-sets) is written against this contract only, so each implementation runs it.
 */
import * as Automerge from '@automerge/automerge/slim';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeSetEmitter, ContactSync, applyChangeSet, metaOf, memoryDocAccess } from '../../../src/core/sync/index.ts';
import type { AnyDoc, DocAccess } from '../../../src/core/sync/index.ts';
import { addOffer, contact, docId, newFeed, prng, sameDoc } from '../sync/fixtures.ts';

export interface DocAccessSubject {
  access: DocAccess;
  teardown?: () => Promise<void> | void;
}

export type DocAccessSetup = () => Promise<DocAccessSubject> | DocAccessSubject;

const everything = { accepts: () => true };

export function runDocAccessContract(name: string, setup: DocAccessSetup): void {
  describe(`DocAccess contract (${name})`, () => {
    let subject: DocAccessSubject;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('Scenario: a DocAccess holds nothing until a doc is applied, and get() of an unknown id is undefined', () => {
      const { access } = subject;
      expect(access.ids()).toEqual([]);
      expect(access.get(docId(prng(1)))).toBeUndefined();
    });

    it('Scenario: apply() to an id not held passes undefined and creates the returned doc under exactly that id', () => {
      const { access } = subject;
      const rnd = prng(2);
      const id = docId(rnd);
      const built = addOffer(rnd, newFeed(rnd, 'riverside'), 0);
      const seen: Array<AnyDoc | undefined> = [];
      access.apply(id, (d) => {
        seen.push(d);
        return built;
      });
      expect(seen).toEqual([undefined]);
      expect(access.ids()).toEqual([id]);
      expect(sameDoc(access.get(id), built)).toBe(true);
      expect(metaOf(access, id)).toEqual({ community: 'riverside' });
    });

    it('Scenario: apply() to a held doc passes the current doc and keeps what the function returns', () => {
      const { access } = subject;
      const rnd = prng(3);
      const id = docId(rnd);
      const first = newFeed(rnd, 'riverside');
      access.apply(id, () => first);
      let given: AnyDoc | undefined;
      let next: AnyDoc | undefined;
      access.apply(id, (d) => {
        given = d;
        next = addOffer(rnd, d!, 1);
        return next;
      });
      expect(sameDoc(given, first)).toBe(true);
      expect(sameDoc(access.get(id), next)).toBe(true);
      expect(access.ids()).toEqual([id]);
    });

    it('Scenario: any sequence of creates and changes leaves a DocAccess holding the same docs as a plain map (property)', () => {
      let run = 0;
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 1000 })), { maxLength: 8 }), (ops) => {
          // One subject serves every run of the property, so each run writes under ids of its own.
          const rnd = prng(++run);
          const ids = [docId(rnd), docId(rnd), docId(rnd), docId(rnd)];
          const model = new Map<string, AnyDoc>();
          for (const [which, n] of ops) {
            const id = ids[which];
            const before = model.get(id);
            const expected = addOffer(prng(n + 1), before ?? newFeed(prng(n + 7), 'c'), n);
            model.set(id, expected);
            let given: AnyDoc | undefined;
            // The function builds on the doc it is given, as the sync module's functions do.
            subject.access.apply(id, (d) => {
              given = d;
              return d === undefined ? expected : Automerge.merge(Automerge.clone(d), expected);
            });
            expect(given === undefined).toBe(before === undefined);
            if (before !== undefined) expect(sameDoc(given, before)).toBe(true);
            expect(sameDoc(subject.access.get(id), expected)).toBe(true);
          }
          for (const [id, doc] of model) expect(sameDoc(subject.access.get(id), doc)).toBe(true);
          const held = new Set(subject.access.ids());
          for (const id of model.keys()) expect(held.has(id)).toBe(true);
        }),
        { numRuns: 12 },
      );
    });

    it('Scenario: two relays meeting through ContactSync end with the same docs, and a change-set brings a third up to date', async () => {
      const rnd = prng(21);
      const peer = memoryDocAccess();
      const third = memoryDocAccess();
      const id = docId(rnd);
      subject.access.apply(id, () => addOffer(rnd, addOffer(rnd, newFeed(rnd, 'c'), 0), 1));

      contact(new ContactSync({ access: subject.access, ...everything }), new ContactSync({ access: peer, ...everything }));
      expect(sameDoc(subject.access.get(id), peer.get(id))).toBe(true);

      peer.apply(id, (d) => addOffer(rnd, d!, 2));
      contact(new ContactSync({ access: peer, ...everything }), new ContactSync({ access: subject.access, ...everything }));
      expect(sameDoc(subject.access.get(id), peer.get(id))).toBe(true);

      const sets = new ChangeSetEmitter().emitAll(subject.access);
      expect(sets.map((p) => applyChangeSet(third, p, everything).status)).toEqual(['applied']);
      expect(sameDoc(subject.access.get(id), third.get(id))).toBe(true);
    });

    it('Scenario: a DocAccess that holds nothing takes a doc from a peer through ContactSync', () => {
      const rnd = prng(22);
      const peer = memoryDocAccess();
      const id = docId(rnd);
      peer.apply(id, () => addOffer(rnd, newFeed(rnd, 'c'), 0));
      contact(new ContactSync({ access: peer, ...everything }), new ContactSync({ access: subject.access, ...everything }));
      expect(subject.access.ids()).toEqual([id]);
      expect(sameDoc(subject.access.get(id), peer.get(id))).toBe(true);
    });
  });
}
