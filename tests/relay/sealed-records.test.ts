import '@automerge/automerge'; // registers the wasm the sync core's slim import needs
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlert, openAlertRecord, sealAlertRecord } from '../../src/core/alerts/index.ts';
import { addKey, newEpochKey } from '../../src/core/audience/index.ts';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { fromBase64Url, utf8 } from '../../src/core/crypto/encoding.ts';
import { decodeBundleOrThrow } from '../../src/core/dtn/index.ts';
import { changesEndpoint } from '../../src/core/protocol/endpoints.ts';
import { applyChangeSets, decodePayload, memoryDocAccess, type ChangeSetPayload } from '../../src/core/sync/index.ts';
import { carriageOpener, isSealedCarriage, openCarriage } from '../../src/core/sync/sealed-carriage.ts';
import { SegmentFlags } from '../../relay/dtn/tcpcl/index.ts';
import { authHeaders, signRequest } from '../../src/core/protocol/auth.ts';
import { Route } from '../../src/core/protocol/routes.ts';
import { anaAndBen, joinRetrying } from '../helpers/client-pair.ts';
import { nodeClientPhone } from '../helpers/client-platform.ts';
import { dtnStatus, handedOver } from '../helpers/dtn-status.ts';
import { filesUnder } from '../helpers/files.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { RawPeer } from './tcpcl-helpers.ts';

// openspec/changes/sealed-records — non-public records are sealed before they reach any relay or bundle.
const t = relaySuite();
const { relay } = t;
const phones: Array<ReturnType<typeof nodeClientPhone>> = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.close().catch(() => undefined);
});

type NodeClient = ReturnType<typeof nodeClientPhone>;

/**
 * Island A with the relay's community, and island B that joined it over TCPCL: records cross as bundles.
 * A's community names B's relay key (change-sets are sealed to the relays a community names).
 */
async function twoIslands(name: string): Promise<{ a: RelayProcess; b: RelayProcess; community: string }> {
  const bKey = await t.presetKey();
  const a = await relay(`${name}-a`, ['--community-relay', bKey.key]);
  const info = (await (await fetch(`${a.url}/api/info`)).json()) as { communities: Array<{ id: string; url: AutomergeUrl }> };
  const { id: community, url } = info.communities[0];
  const b = await relay(`${name}-b`, ['--join', url, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], bKey.dataDir);
  return { a, b, community };
}

/**
 * A raw TCPCL peer (dtn node ID, no summary vector, acknowledges everything) takes all the relay offers:
 * every stored bundle by push, and the contact-sync bundles a relay sends any `dtn://` peer.
 */
async function everythingOffered(r: RelayProcess): Promise<Uint8Array[]> {
  const peer = await RawPeer.connect((await dtnStatus(r.url)).tcpclPort);
  try {
    peer.autoAck = true;
    await peer.handshake({ nodeId: 'dtn://raw-scan/' });
    await handedOver(r.url, 'dtn://raw-scan/', 60_000);
    const transfers = new Map<bigint, Uint8Array[]>();
    const whole: Uint8Array[] = [];
    for (const f of peer.received) {
      if (f.type !== 'XFER_SEGMENT') continue;
      const parts = f.flags & SegmentFlags.START ? [] : (transfers.get(f.transferId) ?? []);
      parts.push(f.data);
      transfers.set(f.transferId, parts);
      if (f.flags & SegmentFlags.END) whole.push(Buffer.concat(parts));
    }
    return whole;
  } finally {
    peer.close();
  }
}

/** What the relay's own key reads in the change-sets among `bundles`: every doc they rebuild, as JSON. */
async function readWithRelayKey(r: RelayProcess, community: string, bundles: Uint8Array[]): Promise<string> {
  const secret = fromBase64Url((JSON.parse(await readFile(path.join(r.dataDir, 'relay-key.json'), 'utf8')) as { secretKey: string }).secretKey);
  const opener = carriageOpener(secret);
  const byDoc = new Map<string, ChangeSetPayload[]>();
  for (const bytes of bundles) {
    const b = decodeBundleOrThrow(bytes);
    if (b.primary.destination !== changesEndpoint(community)) continue;
    expect(isSealedCarriage(b.payload.data)).toBe(true);
    const opened = openCarriage(b.payload.data, opener);
    if (!opened.ok) throw new Error(`the relay cannot open its own change-set: ${opened.reason}`);
    const p = decodePayload(opened.payload);
    if (p.t === 'changes') byDoc.set(p.doc, [...(byDoc.get(p.doc) ?? []), p]);
  }
  const access = memoryDocAccess();
  for (const [doc, sets] of byDoc) applyChangeSets(access, doc, sets, { accepts: () => true });
  return JSON.stringify(access.ids().map((id) => access.get(id)));
}

/** GET /api/alerts as `who` signs it (or unsigned): the status, the code of a refusal, the records. */
async function readAlerts(r: RelayProcess, community: string, who?: Identity): Promise<{ status: number; code?: string; records: unknown[]; text: string }> {
  const headers: Record<string, string> = who ? { 'x-spm-auth': signRequest(who, { method: 'GET', path: '/api/alerts' }) } : {};
  const res = await fetch(`${r.url}/api/alerts?community=${encodeURIComponent(community)}`, { headers });
  const text = await res.text();
  const body = JSON.parse(text) as { code?: string; records?: unknown[] };
  return { status: res.status, code: body.code, records: body.records ?? [], text };
}

/** A POST that asks again when a pooled keep-alive socket was closed or reset under it (bounded; the relay takes a retry of the same record once). */
async function postRetrying(url: string, body: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await fetch(url, { method: 'POST', body })).status;
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET')) throw err;
    }
  }
}

/** Members' names long enough that finding one in a scan of ciphertext is no accident. */
const NAMES = { ana: 'Anabel Quintero', ben: 'Benedicto Soler', cai: 'Caimito Verdejo' };

/** What Ana writes about Ben when she vouches: sealed to the members (the vouch itself stays in clear). */
const VOUCH_NOTE = 'Ben sleeps above the bakery on Calle Sol';

/** Ana (first member, so steward) and Ben on island A; Ana vouches for Ben and his phone receives the members' key. */
async function anaAndVouchedBen(a: RelayProcess): Promise<{ ana: NodeClient; ben: NodeClient; anaMe: Identity; benMe: Identity }> {
  const { ana, ben } = await anaAndBen(a.url, (p) => phones.push(p), NAMES);
  await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, VOUCH_NOTE);
  await waitFor(() => ben.phone.membersKey.state.state.epochs.length > 0, "the members' key reaches Ben through the relay", 90_000);
  await waitFor(() => !!ben.phone.trust.gate('post-offer')?.allowed && !!ben.phone.trust.gate('see-alerts')?.allowed, "Ana's vouch counts on Ben's phone");
  return { ana, ben, anaMe: ana.phone.session.me!, benMe: ben.phone.session.me! };
}

describe('sealed records across two islands', () => {
  it('Scenario: no relay data dir or stored bundle holds the plaintext of a non-public record, and an anonymous client or a non-entitled member reads none', async () => {
    const { a, b, community } = await twoIslands('sealed');
    const { ana, ben, anaMe } = await anaAndVouchedBen(a);
    // Cai joins with Ana's invite: a member, nobody vouched for him, so not entitled to the members' key.
    const cai = nodeClientPhone(a.url);
    phones.push(cai);
    await cai.phone.boot();
    await joinRetrying(cai.phone, NAMES.cai, ana.phone.community.state.state.invite);
    const caiMe = cai.phone.session.me!;

    const secrets = {
      post: 'Insulin pens at the blue door',
      postDetail: 'ask for Marisol',
      alert: 'Police van outside the clinic on Calle Luna',
      area: 'barrio-luna-7',
      vouchNote: VOUCH_NOTE,
      decision: 'Move the night shelter to the old school',
      decisionText: 'Spare keys are with Marisol',
      objection: 'The school roof leaks over the east room',
      fileName: 'safehouse-route-marisol.png',
      fileBytes: 'ROUTE-TO-THE-SAFEHOUSE-7731',
      requestNote: 'My daughter needs them, I can come after the night shift',
    };
    const control = 'Public bread on Tuesday';
    // The members-only post carries a file: its bytes and its name are sealed before they leave Ben's phone.
    const fileBytes = utf8.encode(`${secrets.fileBytes} `.repeat(600));
    const shared = await ben.phone.library!.share(fileBytes, { name: secrets.fileName, mime: 'image/png', licence: 'ask-author', audience: 'trusted' }, () => undefined);
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: secrets.post, description: secrets.postDetail, audience: 'trusted', attachments: [shared.manifest.id] });
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: control, description: '' });
    await ana.phone.alerts.raiseChecked({ kind: 'raid', urgency: 'urgent', area: secrets.area, text: secrets.alert });
    await waitFor(() => ana.phone.alertsState.state.alertOutbox === 0, 'the relay took the sealed alert');
    await waitFor(() => ben.phone.alertsState.state.alerts.some((s) => s.alert.text === secrets.alert), "Ana's alert opens on Ben's phone");
    const alertId = ben.phone.alertsState.state.alerts.find((s) => s.alert.text === secrets.alert)!.alert.id;
    await ben.phone.alerts.answer(alertId, 'on-my-way');
    await waitFor(() => ben.phone.alertsState.state.alertOutbox === 0, 'the relay took the sealed answer');
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === secrets.post), "Ana reads Ben's members-only offer");
    // Ana asks for it with a note and Ben confirms: the request and the promise are sealed like the post.
    await ana.phone.intents.propose(ana.phone.board.state.state.intents.find((i) => i.name === secrets.post)!, undefined, secrets.requestNote);
    await waitFor(() => ben.phone.requestsState.state.requests.some((r) => r.note === secrets.requestNote), "Ana's request reaches Ben's badge");
    const request = ben.phone.requestsState.state.requests.find((r) => r.note === secrets.requestNote)!;
    const benPost = ben.phone.community.state.state.mine.find((i) => i.name === secrets.post)!;
    await ben.phone.intents.confirmProposal(benPost, request.proposalId);
    await waitFor(() => ana.phone.community.state.state.agreements.commitments.some((c) => c.proposal === request.proposalId), "Ben's promise opens on Ana's phone");
    const proposal = ana.phone.community.state.state.agreements.proposals.find((x) => x.id === request.proposalId)!;
    const commitment = ana.phone.community.state.state.agreements.commitments.find((c) => c.proposal === request.proposalId)!;
    // A signature is unique to its record: found anywhere, the record is there in clear.
    const sealedSigs = { request: proposal.sig, commitment: commitment.sig };
    // A decision and an answer to it, and Ana's vouch note: all sealed, and read on the other phone.
    await ana.phone.decisions.propose(secrets.decision, secrets.decisionText, 7);
    await waitFor(() => ana.phone.community.state.state.decisions.some((d) => d.title === secrets.decision), 'Ana reads her decision back');
    await ana.phone.decisions.openRound(ana.phone.community.state.state.decisions.find((d) => d.title === secrets.decision)!);
    await waitFor(() => ben.phone.community.state.state.decisions.some((d) => d.title === secrets.decision && d.phase === 'round-open'), "Ana's decision opens on Ben's phone");
    await ben.phone.decisions.answer(ben.phone.community.state.state.decisions.find((d) => d.title === secrets.decision)!, false, secrets.objection);
    await waitFor(() => ana.phone.community.state.state.decisions.some((d) => d.objections.some((o) => o.text === secrets.objection)), "Ben's objection opens on Ana's phone");
    await waitFor(() => Object.values(ben.phone.community.state.state.vouchNotes).some((n) => n.note === secrets.vouchNote), "Ana's vouch note opens on Ben's phone");
    await waitFor(() => ben.phone.sync.state.state.pending === 0 && ana.phone.sync.state.state.pending === 0, "the relay acknowledged both phones' writes");

    // Island B holds both sealed records, carried as bundles (so the scan below is not of an empty disk).
    await expect
      .poll(async () => (await readAlerts(b, community, anaMe)).records.length, { timeout: 60_000 })
      .toBe(2);
    // … and the whole sealed file, manifest and chunks.
    const onIslandB = async () => {
      const res = await fetch(`${b.url}${Route.library}`, { headers: authHeaders(anaMe, { method: 'GET', path: Route.library }) });
      return ((await res.json()) as { files: Array<{ manifest: { id: string }; progress: { done: boolean } }> }).files.some((f) => f.manifest.id === shared.manifest.id && f.progress.done);
    };
    await expect.poll(onIslandB, { timeout: 60_000 }).toBe(true);
    // Ana, a member, opens the file with its name; Cai, not entitled, sees that a file exists and nothing more.
    const anaFile = (await ana.phone.library!.list()).find((f) => f.manifest.id === shared.manifest.id)!;
    expect(anaFile.facts?.name).toBe(secrets.fileName);
    expect((await ana.phone.library!.fetch(anaFile.manifest, () => undefined)).done).toBe(true);
    expect(new Uint8Array(await (await ana.phone.library!.open(anaFile.manifest))!.arrayBuffer())).toEqual(fileBytes);
    const caiFile = (await cai.phone.library!.list()).find((f) => f.manifest.id === shared.manifest.id)!;
    expect(caiFile.facts).toBeNull();
    await expect(cai.phone.library!.open(caiFile.manifest)).rejects.toThrow('sealedFiles.locked');

    // Cai, the member nobody vouched for: his phone has Ben's public offer and no key, so nothing sealed opens.
    await waitFor(() => cai.phone.board.state.state.intents.some((i) => i.name === control), "Ben's public offer reaches Cai");
    expect(cai.phone.membersKey.keyring().size).toBe(0);
    expect(cai.phone.board.state.state.intents.map((i) => i.name)).not.toContain(secrets.post);
    await cai.phone.alerts.sync();
    expect(cai.phone.alertsState.state.alerts).toEqual([]);
    const asCai = await readAlerts(a, community, caiMe);
    expect(asCai.status).toBe(200); // a member may fetch the sealed records …
    expect(asCai.records).toHaveLength(2);
    for (const r of asCai.records) expect(openAlertRecord(r, cai.phone.membersKey.keyring())).toEqual({ ok: false, reason: 'unreadable' }); // … and reads none
    await waitFor(() => cai.phone.community.views.size === 3, "Cai's phone read every member's feed");
    expect(cai.phone.community.state.state.decisions).toEqual([]);
    expect(cai.phone.community.state.state.vouchNotes).toEqual({});
    expect(cai.phone.community.state.state.agreements).toEqual({ proposals: [], commitments: [], events: [], declines: [] });
    expect(cai.phone.community.state.state.readsSealed).toBe(false);
    const caiDocs = JSON.stringify([...cai.phone.community.feeds.values()].map((h) => h.doc()));
    for (const s of [...Object.values(secrets), ...Object.values(sealedSigs)]) expect(caiDocs).not.toContain(s);

    // Anyone else gets nothing at all: unsigned, or signed by a key that is no member.
    for (const r of [a, b]) {
      expect(await readAlerts(r, community)).toMatchObject({ status: 401, code: 'unsigned' });
      expect(await readAlerts(r, community, createIdentity())).toMatchObject({ status: 401, code: 'not-a-member' });
    }

    // A public post written after every sealed record: once both relays' files hold its words, they hold
    // everything written before it (and the scan below can see plaintext where there is any).
    const marker = 'Public soup on Friday at the mill';
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: marker, description: '' });
    for (const r of [a, b]) {
      await expect.poll(async () => (await filesUnder(r.dataDir)).some((f) => f.includes(Buffer.from(marker))), { timeout: 60_000 }).toBe(true);
    }

    // Every file of both relays (repo storage, bundle store, state) and every stored bundle: no plaintext.
    for (const r of [a, b]) {
      const files = await filesUnder(r.dataDir);
      const bundles = await filesUnder(path.join(r.dataDir, 'bundles'), '.bundle');
      expect(files.length, r.dataDir).toBeGreaterThan(0);
      expect(bundles.some((x) => x.includes(Buffer.from(alertId))), `${r.dataDir} holds the alert bundle`).toBe(true);
      for (const s of [...Object.values(secrets), ...Object.values(sealedSigs)]) {
        expect(files.filter((f) => f.includes(Buffer.from(s))).length, `${s} in ${r.dataDir}`).toBe(0);
      }
    }
    // A raw TCPCL peer that takes everything A offers (a bridge, a stranger on the port) holds no member
    // name, vouch note or post title — public ones included — in any bundle: change-sets and contact sync
    // leave sealed to the community's relays. A's own key reads the same bundles (so the scan has content).
    const offered = await everythingOffered(a);
    expect(offered.some((x) => decodeBundleOrThrow(x).primary.destination === changesEndpoint(community))).toBe(true);
    expect(offered.some((x) => decodeBundleOrThrow(x).primary.destination === 'dtn://raw-scan/sync')).toBe(true);
    const inClear = [...Object.values(NAMES), ...Object.values(secrets), ...Object.values(sealedSigs), control, marker];
    for (const x of offered) for (const s of inClear) expect(Buffer.from(x).includes(Buffer.from(s)), `${s} in a bundle a raw peer got`).toBe(false);
    const asRelay = await readWithRelayKey(a, community, offered);
    for (const s of [NAMES.ana, NAMES.ben, NAMES.cai, control, marker]) expect(asRelay, `A's own key reads ${s}`).toContain(s);

    // What a relay sees of the alert: routing fields only.
    const onB = (await readAlerts(b, community, anaMe)).records.find((x) => (x as { id: string }).id === alertId) as Record<string, unknown>;
    expect(Object.keys(onB).sort()).toEqual(['author', 'created', 'expires', 'id', 'sealed', 'sig', 'type', 'urgency']);
  }, 600_000); // a limit on hangs: two relays, three phones, about twenty waits of their own limits, key hand-out and a bundle crossing. 60-72 s with one core busy; it passed 300 s twice at higher load (runs 16 and 19) with no single wait over its limit

  it('Scenario: a flood of alerts under fresh keys leaves a member’s real alert accepted and delivered', async () => {
    const { a, b, community } = await twoIslands('flood');
    const { ana, ben, anaMe } = await anaAndVouchedBen(a);
    // Keys cost nothing: 300 of them each hand in a sealed alert (boxed under a key of their own) — half
    // again the non-members' pool of 200, which is what a flood of any size meets (1,000 keys cost 50 s
    // of suite time and showed nothing more; tests/adversary/sessions-quotas.test.ts counts the pool).
    const junkKeys = addKey(new Map(), newEpochKey(1));
    const counts = new Map<number, number>();
    const input = { kind: 'raid' as const, urgency: 'critical' as const, area: 'nowhere', text: 'made up' };
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const eve = createIdentity();
          const body = JSON.stringify(sealAlertRecord(eve, createAlert(eve, input, Date.now()), junkKeys));
          const status = await postRetrying(`${a.url}/api/alerts?community=${community}`, body);
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }),
      );
    }
    expect((counts.get(202) ?? 0) + (counts.get(429) ?? 0)).toBe(300);
    expect(counts.get(429)).toBeGreaterThanOrEqual(100); // non-members share one small pool

    // The member's real alert, raised in the app: taken, opened on Ben's phone, and carried to island B.
    await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'critical', area: 'mill', text: 'Fire at the mill, bring buckets' });
    await waitFor(() => ana.phone.alertsState.state.alertOutbox === 0, 'the relay took the member’s alert despite the flood');
    await waitFor(() => ben.phone.alertsState.state.alerts.some((s) => s.alert.text === 'Fire at the mill, bring buckets'), "Ana's alert is on Ben's board");
    const id = ben.phone.alertsState.state.alerts.find((s) => s.alert.text === 'Fire at the mill, bring buckets')!.alert.id;
    await expect
      .poll(async () => (await readAlerts(b, community, anaMe)).records.map((r) => (r as { id: string }).id).includes(id), { timeout: 60_000 })
      .toBe(true);
    // Members' records come first, so a phone's bounded list never loses them behind the flood.
    expect(((await readAlerts(a, community, anaMe)).records[0] as { id: string }).id).toBe(id);
  }, 300_000); // two islands, keys made and signed in this process: slow on a loaded 2-core machine
});
