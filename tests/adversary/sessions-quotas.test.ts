import type { AutomergeUrl } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlert, sealAlertRecord } from '../../src/core/alerts/index.ts';
import { addKey, newEpochKey } from '../../src/core/audience/index.ts';
import { fromBase64Url, toBase64Url } from '../../src/core/crypto/encoding.ts';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { createQuery } from '../../src/core/discovery/index.ts';
import { createManifest } from '../../src/core/library/index.ts';
import { decodeEnvelope, encodeEnvelope, openMessage, sealMessage } from '../../src/core/messaging/index.ts';
import { signRequest } from '../../src/core/protocol/auth.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { NodePhone } from '../helpers/phone-client.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { FILE, postManifest, randomFile, share } from '../relay/library-helpers.ts';

// openspec/changes/authenticated-sessions/specs/*/spec.md — quotas by who asks, against real relays
const running: RelayProcess[] = [];
const phones: NodePhone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.close().catch(() => undefined);
  for (const r of running.splice(0)) await r.cleanup();
});

async function relay(args: string[] = []): Promise<RelayProcess> {
  const r = await startRelayProcess({ args: ['--node-name', 'quotas', '--join-policy', 'invite', '--agents-interval-ms', '0', ...args] });
  running.push(r);
  return r;
}

/** Ana founds the community; resolves once the relay itself lists her as a member (its /api/info stops showing the URL). */
async function member(r: RelayProcess): Promise<{ ana: NodePhone; url: AutomergeUrl; community: string }> {
  const info = async () => ((await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url?: AutomergeUrl }> }).communities[0];
  const url = (await info()).url!;
  const ana = new NodePhone(r.url);
  phones.push(ana);
  const community = (await ana.join('Ana', url)).doc().id;
  await expect.poll(async () => (await info()).url, { timeout: 20_000 }).toBeUndefined();
  return { ana, url, community };
}

const recipient = (who: Identity) => ({ agentId: who.agentId, boxKey: toBase64Url(who.boxPublicKey) });

describe('quotas by who asks', () => {
  it('Scenario: anonymous inbox posts beyond the store budget do not evict a member’s message', async () => {
    const r = await relay(['--store-budget', String(1024 * 1024)]);
    const { ana } = await member(r);
    const bob = createIdentity();
    const real = encodeEnvelope(sealMessage(ana.me, recipient(bob), { kind: 'text', text: 'Meet at the mill' }, Date.now()).envelope);
    const signed = await fetch(`${r.url}/api/inbox`, { method: 'POST', body: real as BodyInit, headers: { 'x-spm-auth': signRequest(ana.me, { method: 'POST', path: '/api/inbox' }) } });
    expect(signed.status).toBe(202);

    // Anonymous envelopes of ~4 KB each (the largest a message may be): 400 of them are 1.5 times the
    // store's 1 MiB budget (its smallest), so the store must evict or refuse.
    const codes = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const to = i % 4 === 0 ? bob : createIdentity();
      const env = encodeEnvelope(sealMessage(createIdentity(), recipient(to), { kind: 'text', text: `spam ${i} ` + 'x'.repeat(3900) }, Date.now()).envelope);
      const res = await fetch(`${r.url}/api/inbox`, { method: 'POST', body: env as BodyInit });
      codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
    }
    // Taken (evicting older anonymous ones) or refused with a clear 429 at a cap; never a server error.
    expect(codes.get(202)).toBeGreaterThan(100);
    expect((codes.get(202) ?? 0) + (codes.get(429) ?? 0)).toBe(400);
    expect((await dtnStatus(r.url)).store.count).toBeLessThan(400); // the store did have to evict

    const read = await fetch(`${r.url}/api/inbox/${bob.agentId}`, { headers: { 'x-spm-auth': signRequest(bob, { method: 'GET', path: `/api/inbox/${bob.agentId}` }) } });
    const { envelopes } = (await read.json()) as { envelopes: string[] };
    const texts = envelopes.map((e) => openMessage(bob, decodeEnvelope(fromBase64Url(e)), Date.now())).map((o) => (o.ok && o.message.body.kind === 'text' ? o.message.body.text : ''));
    expect(texts).toContain('Meet at the mill');
  });

  it('Scenario: alerts signed with fresh keys cannot block a member’s alert', async () => {
    const r = await relay();
    const { ana, community } = await member(r);
    // Sealed as phones seal them; the relay neither has nor needs the members' key.
    const keys = addKey(new Map(), newEpochKey(1));
    const post = (who: Identity, a: ReturnType<typeof createAlert>) => fetch(`${r.url}/api/alerts?community=${community}`, { method: 'POST', body: JSON.stringify(sealAlertRecord(who, a, keys)) });
    const input = { kind: 'raid' as const, urgency: 'urgent' as const, area: 'north', text: 'Someone made this up' };
    const codes: number[] = [];
    for (let i = 0; i < 230; i++) {
      const who = createIdentity();
      codes.push((await post(who, createAlert(who, input, Date.now()))).status);
    }
    expect(codes.filter((c) => c === 202).length).toBe(200);
    expect(codes.slice(200).every((c) => c === 429)).toBe(true);
    // One key cannot go beyond the hourly limit either.
    const eve = createIdentity();
    const eves = [];
    for (let i = 0; i < 4; i++) eves.push((await post(eve, createAlert(eve, input, Date.now()))).status);
    expect(eves.slice(0, 3).every((c) => c === 202 || c === 429)).toBe(true);
    expect(eves[3]).toBe(429);

    const real = createAlert(ana.me, { kind: 'raid', urgency: 'critical', area: 'north-market', text: 'Police at the north market' }, Date.now());
    const res = await post(ana.me, real);
    expect(res.status).toBe(202);
    const read = await fetch(`${r.url}/api/alerts?community=${community}`, { headers: { 'x-spm-auth': signRequest(ana.me, { method: 'GET', path: '/api/alerts' }) } });
    const held = ((await read.json()) as { records: Array<{ id: string }> }).records;
    expect(held.map((x) => x.id)).toContain(real.id);
  });

  it('Scenario: an upload never finished stops reserving the island library, and a real share gets in', async () => {
    const r = await relay(['--store-budget', String(1024 * 1024), '--upload-reservation-ms', '2000']);
    const { ana } = await member(r);
    // A 400 KB manifest whose chunks never come: it reserves 400 of the library's 512 KB.
    const { manifest: stuck } = createManifest(ana.me, { ...FILE, name: 'never finished.pdf' }, randomFile(400 * 1024, 1), Date.now());
    expect((await postManifest(r.url, stuck)).status).toBe(201);
    const real = createManifest(ana.me, { ...FILE, name: 'water filter.pdf' }, randomFile(200 * 1024, 2), Date.now());
    expect((await postManifest(r.url, real.manifest)).status).toBe(507);
    // Once the reservation lapses (no chunk came for it), the real 200 KB share is taken.
    const shared = await share(r.url, ana.me, randomFile(200 * 1024, 2), { ...FILE, name: 'water filter.pdf' });
    expect(shared.uploaded).toBeGreaterThan(0);
  });

  it('Scenario: searches with fresh keys cannot lock discovery for members', async () => {
    const r = await relay();
    const { ana } = await member(r);
    const origin = ((await (await fetch(`${r.url}/api/info`)).json()) as { node: string }).node;
    const ask = (q: unknown) => fetch(`${r.url}/api/discovery/queries`, { method: 'POST', body: JSON.stringify(q) });
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) codes.push((await ask(createQuery({ text: `ladder ${i}` }, origin, Date.now(), createIdentity()))).status);
    expect(codes.filter((c) => c === 202).length).toBeLessThanOrEqual(5);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
    expect((await ask(createQuery({ text: 'ladder' }, origin, Date.now(), ana.me))).status).toBe(202);
  });
});
