import { describe, expect, it } from 'vitest';
import { verifyRecord } from '../../src/core/crypto/sign.ts';
import { documentIdOf } from '../../src/core/protocol/automerge-url.ts';
import { feedPreviewPath, type FeedPreview } from '../../src/core/protocol/routes.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/island-sync/spec.md — a newcomer's first screenful
const { relay, phone } = relaySuite();

describe('feed preview', () => {
  it("Scenario: the hub previews a member feed's newest public, open posts as their author signed them, never members-only ones; an unknown id is a cheap 404", async () => {
    const r = await relay('preview');
    const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url: string }> };
    const { url } = info.communities[0];
    const ana = phone(r);
    await ana.join('Ana', url as never);
    const posted = await ana.post([
      { kind: 'offer', category: 'food', title: 'Bread on Fridays', description: '' },
      { kind: 'offer', category: 'tools', title: 'A ladder to lend', description: '' },
      { kind: 'need', category: 'food', title: 'Insulin fridge space', description: '', audience: 'trusted' },
      { kind: 'offer', category: 'skills', title: 'Bike repairs', description: '' },
    ]);
    const feedId = documentIdOf(ana.client.docs.feed!.url);
    let preview: FeedPreview = { feed: '', intents: [] };
    await expect
      .poll(async () => {
        const res = await fetch(r.url + feedPreviewPath(feedId));
        preview = res.ok ? ((await res.json()) as FeedPreview) : preview;
        return preview.intents.length;
      }, { timeout: 30_000 })
      .toBe(3);
    const titles = preview.intents.map((i) => (i as { name: string }).name);
    expect(titles).toEqual(['Bike repairs', 'A ladder to lend', 'Bread on Fridays']); // newest first
    expect(JSON.stringify(preview)).not.toContain('Insulin');
    for (const i of preview.intents) expect(verifyRecord(i)).toBe(true);
    expect(preview.feed).toBe(feedId);
    expect(posted).toHaveLength(4);

    for (const [id, code] of [['2xNoSuchDoc1111111111111', 'unknown-feed'], [documentIdOf(url), 'feed-not-here']] as const) {
      const res = await fetch(r.url + feedPreviewPath(id));
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as { code?: string }).code, id).toBe(code);
    }
    expect((await fetch(`${r.url}/api/feeds/%zz`)).status).toBeLessThan(500);
    // Answered, not crashed: the relay still serves.
    expect((await fetch(`${r.url}/api/status`)).ok).toBe(true);
  });
});
