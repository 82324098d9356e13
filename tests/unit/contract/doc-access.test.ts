/**
 * The DocAccess contract run against both implementations: the in-memory one the sync tests and
 * benches use, and the relay's own adapter over an automerge-repo Repo (relay/dtn/repo-access.ts).
 */
import { Repo, generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { repoDocAccess } from '../../../relay/dtn/repo-access.ts';
import { ChangeSetEmitter, ContactSync, applyChangeSet, memoryDocAccess } from '../../../src/core/sync/index.ts';
import { addOffer, contact, newFeed, prng, sameDoc } from '../sync/fixtures.ts';
import { runDocAccessContract } from './doc-access-suite.ts';

runDocAccessContract('memoryDocAccess', () => ({ access: memoryDocAccess() }));

runDocAccessContract('repoDocAccess over an automerge-repo Repo', () => {
  const repo = new Repo({});
  // The relay replicates the docs of the communities it serves; here, every doc the repo holds.
  return { access: repoDocAccess(repo, () => Object.keys(repo.handles)), teardown: () => repo.shutdown() };
});

describe('repoDocAccess beyond the contract', () => {
  it('Scenario: a doc created through repoDocAccess is a ready document of the Repo, and only replicated docs are listed', async () => {
    const repo = new Repo({});
    try {
      const replicated = new Set<string>();
      const access = repoDocAccess(repo, () => replicated);
      const rnd = prng(5);
      // Real automerge-repo ids (with their checksum), as the relay's docs have.
      const [listed, unlisted] = [parseAutomergeUrl(generateAutomergeUrl()).documentId, parseAutomergeUrl(generateAutomergeUrl()).documentId];
      const doc = addOffer(rnd, newFeed(rnd, 'c'), 0);
      access.apply(listed, () => doc);
      access.apply(unlisted, () => newFeed(rnd, 'c'));
      replicated.add(listed);
      expect(access.ids()).toEqual([listed]);
      const handle = await repo.find(listed);
      expect(handle.isReady()).toBe(true);
      expect(sameDoc(handle.doc() as never, doc)).toBe(true);
      // Not listed for peers, yet still held and readable by id.
      expect(access.get(unlisted)).toBeDefined();
    } finally {
      await repo.shutdown();
    }
  });

  it('Scenario: DocAccess over an automerge-repo Repo syncs and takes change-sets', async () => {
    const rnd = prng(21);
    const repos = [new Repo({}), new Repo({}), new Repo({})];
    try {
      const [ra, rb, rc] = repos;
      const [a, b, c] = repos.map((r) => repoDocAccess(r, () => Object.keys(r.handles)));
      const handle = ra.create<unknown>();
      handle.update(() => addOffer(rnd, addOffer(rnd, newFeed(rnd, 'c'), 0), 1) as never);
      const id = handle.documentId;
      const meet = () => contact(new ContactSync({ access: a, accepts: () => true }), new ContactSync({ access: b, accepts: () => true }));
      meet();
      expect(sameDoc(a.get(id), b.get(id))).toBe(true);
      expect((await rb.find(id)).isReady()).toBe(true);

      b.apply(id, (d) => addOffer(rnd, d!, 2));
      meet();
      expect(sameDoc(a.get(id), b.get(id))).toBe(true);

      const sets = new ChangeSetEmitter().emitAll(a);
      expect(sets.map((p) => applyChangeSet(c, p, { accepts: () => true }).status)).toEqual(['applied']);
      expect(sameDoc(a.get(id), c.get(id))).toBe(true);
      expect((await rc.find(id)).isReady()).toBe(true);
    } finally {
      await Promise.all(repos.map((r) => r.shutdown()));
    }
  });
});
