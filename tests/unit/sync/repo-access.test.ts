import { describe, expect, it } from 'vitest';
import './fixtures.ts';
import * as Automerge from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo';
import type { DocumentId } from '@automerge/automerge-repo';
import { ChangeSetEmitter, ContactSync, applyChangeSet } from '../../../src/core/sync/index.ts';
import type { AnyDoc, DocAccess } from '../../../src/core/sync/index.ts';
import { addOffer, contact, newFeed, prng, sameDoc } from './fixtures.ts';

/** The adapter the relay is meant to use over its automerge-repo Repo (see the spec's DocAccess requirement). */
function repoAccess(repo: Repo): DocAccess {
  const ready = (id: string) => {
    const h = repo.handles[id as DocumentId];
    return h?.isReady() ? h : undefined;
  };
  return {
    ids: () => Object.values(repo.handles).filter((h) => h.isReady()).map((h) => h.documentId),
    get: (id) => ready(id)?.doc() as AnyDoc | undefined,
    apply: (id, fn) => {
      const h = ready(id);
      if (h) h.update((d) => fn(d as AnyDoc) as typeof d);
      else repo.import(Automerge.save(fn(undefined)), { docId: id as DocumentId });
    },
  };
}

describe('DocAccess over automerge-repo', () => {
  it('Scenario: DocAccess over an automerge-repo Repo syncs and takes change-sets', async () => {
    const rnd = prng(21);
    const [ra, rb, rc] = [new Repo({}), new Repo({}), new Repo({})];
    try {
      const handle = ra.create<unknown>();
      handle.update(() => addOffer(rnd, addOffer(rnd, newFeed(rnd, 'c'), 0), 1) as never);
      const [a, b, c] = [repoAccess(ra), repoAccess(rb), repoAccess(rc)];
      contact(new ContactSync({ access: a, accepts: () => true }), new ContactSync({ access: b, accepts: () => true }));
      const id = handle.documentId;
      expect(sameDoc(a.get(id), b.get(id))).toBe(true);
      expect((await rb.find(id)).isReady()).toBe(true);

      b.apply(id, (d) => addOffer(rnd, d!, 2));
      contact(new ContactSync({ access: a, accepts: () => true }), new ContactSync({ access: b, accepts: () => true }));
      expect(sameDoc(a.get(id), b.get(id))).toBe(true);

      const sets = new ChangeSetEmitter().emitAll(a);
      expect(sets.map((p) => applyChangeSet(c, p, { accepts: () => true }).status)).toEqual(['applied']);
      expect(sameDoc(a.get(id), c.get(id))).toBe(true);
    } finally {
      await Promise.all([ra.shutdown(), rb.shutdown(), rc.shutdown()]);
    }
  });
});
