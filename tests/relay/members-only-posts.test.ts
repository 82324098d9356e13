import path from 'node:path';
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeClientPhone } from '../helpers/client-platform.ts';
import { anaAndBen } from '../helpers/client-pair.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import type { FeedDoc } from '../../src/core/model/types.ts';
import { within } from '../helpers/within.ts';
import { namedFilesUnder } from '../helpers/files.ts';

// openspec/changes/audience-app — members-only posts are sealed before they reach the relay.
const running: RelayProcess[] = [];
const phones: Array<ReturnType<typeof nodeClientPhone>> = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.close().catch(() => undefined);
  for (const r of running.splice(0)) await r.cleanup();
});

/**
 * A doc from a relay's storage directory (no network), once `ready` holds of it; bounded. Each read is
 * bounded too: the relay writes this directory while it is read. The scenario, 7 s alone, once ran into
 * its 240 s limit in a loaded run with none of its waits over their limits; an unbounded find() or
 * shutdown() here was the one await without a limit. The likelier cause was found later: a phone's open
 * sync socket replaced by a retry (src/platform/session-socket.ts).
 */
async function storedDoc<T>(dir: string, url: AutomergeUrl, ready: (doc: T) => boolean, attempts = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const reader = new Repo({ storage: new NodeFSStorageAdapter(dir) });
    try {
      const handle = await within(reader.find<T>(url), 5_000, 'reading the stored doc').catch(() => undefined);
      const doc = handle?.doc();
      if (doc && ready(doc)) return doc;
    } finally {
      await within(reader.shutdown(), 5_000, 'closing the reader').catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never stored: ${url}`);
}

describe('members-only posts at the relay', () => {
  it("Scenario: the relay's data dir holds no plaintext of a members-only post", async () => {
    const relay = await startRelayProcess({ args: ['--node-name', 'members-only'] });
    running.push(relay);
    const { ana, ben } = await anaAndBen(relay.url, (p) => phones.push(p));
    await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, 'neighbour');
    // Ana's phone seals the members' key to Ben through the community doc on the relay.
    await waitFor(() => ben.phone.membersKey.state.state.epochs.length > 0, "the members' key reaches Ben through the relay");
    await waitFor(() => !!ben.phone.trust.gate('post-offer')?.allowed, "Ana's vouch counts on Ben's phone");

    const secret = 'Insulin pens at the blue door';
    const control = 'Public bread on Tuesday';
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: secret, description: 'ask for Marisol', audience: 'trusted' });
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: control, description: '' });
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === secret), "Ana reads Ben's members-only offer through the relay");
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === control), "Ana reads Ben's public offer");
    await waitFor(() => ben.phone.sync.state.state.pending === 0, "the relay acknowledged Ben's writes");
    const feedUrl = ben.phone.docs.feed!.url as AutomergeUrl;

    // Ben's feed as the relay stored it, loaded from its storage the way the relay does (Automerge
    // compresses columns, so a raw scan alone proves little). The relay saves a moment after it syncs:
    // read until the public post, written after the sealed one, is on its disk.
    const stored = await storedDoc<FeedDoc>(path.join(relay.dataDir, 'repo'), feedUrl, (d) => JSON.stringify(d).includes(control));
    const text = JSON.stringify(stored);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('Marisol');
    expect(Object.values(stored.sealed ?? {}).map((s) => s.audience)).toEqual(['members']);
    // Raw bytes: no file of the relay (repo storage, bundle store, state) holds the members-only text.
    const files = await namedFilesUnder(relay.dataDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.bytes.includes(secret) || f.bytes.includes('Marisol')).map((f) => f.file)).toEqual([]);
  });
});
