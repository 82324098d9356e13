import { describe, expect, it } from 'vitest';
import nacl from 'tweetnacl';
import { bundleId, createBundle, decodeBundle, encodeBundle, extensionOf, sealMetadata, withExtension, type Bundle } from '../../src/core/dtn/index.ts';
import { naclSigner } from '../../src/core/sync/changeset-auth.ts';
import { encodeSummary } from '../../relay/dtn/routing/summary-vector.ts';
import { decodeRoutingPayload } from '../../relay/dtn/routing/routing-payload.ts';
import { decodeSketch, SketchStream } from '../../relay/dtn/routing/sketch.ts';
import { createAlert, sealAlertRecord } from '../../src/core/alerts/index.ts';
import { addKey, newEpochKey } from '../../src/core/audience/index.ts';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { alertEndpoint } from '../../src/core/protocol/endpoints.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { NodePhone } from '../helpers/phone-client.ts';
import { relayTls } from '../helpers/relay-tls.ts';
import { relayWithNeighbours } from '../helpers/relay-with-neighbours.ts';

// openspec/specs/relay-dtn/spec.md — a real relay process, driven by two scripted peers over TCPCLv4.
// Its community names one neighbour's key: over TLS that neighbour is one of its relays (received-policy.ts).
const communityRelay = createIdentity();
const r = relayWithNeighbours(['--node-name', 'relay-r', '--keepalive', '2', '--community-relay', communityRelay.agentId], { keepaliveSec: 2 });
const peer = r.neighbour;

// The peers seal their bundles' metadata (metadata-integrity.ts): unsealed, priority and audience count for nothing.
const peerKeys = nacl.sign.keyPair();
/** The members' key an alert is sealed with: the relay neither knows nor needs it. */
const alertKeys = addKey(new Map(), newEpochKey(1));

function bundle(p: { priority?: 0 | 1 | 2 | 3; audience?: 'public' | 'local'; tag: string; created?: number; lifetimeMs?: number; hopLimit?: number; destination?: string }): Bundle {
  const made = createBundle({
    source: 'dtn://x/',
    destination: p.destination ?? 'dtn://~elsewhere/changes',
    payload: new TextEncoder().encode(p.tag),
    lifetimeMs: p.lifetimeMs ?? 3600e3,
    creationTimeMs: p.created,
    priority: p.priority ?? 2,
    audience: p.audience ?? 'public',
    hopLimit: p.hopLimit,
  });
  return sealMetadata(made, peerKeys.publicKey, naclSigner(peerKeys.secretKey));
}

const tagOf = (b: Bundle) => new TextDecoder().decode(b.payload.data);

/** A neighbour hands the relay two bundles tagged `there` and `missing`, then leaves; the first is returned. */
async function handedToRelay(name: string, there: string, missing: string): Promise<Bundle> {
  const x = await peer(name);
  const a = bundle({ tag: there });
  await x.sendBundle(encodeBundle(a));
  await x.sendBundle(encodeBundle(bundle({ tag: missing })));
  await x.close();
  return a;
}

describe('relay DTN node', () => {
  it('Scenario: bundles are forwarded highest priority first, and never local, expired or hop-exhausted ones', async () => {
    // Emergency is earned by a signed alert from someone the community lets raise alerts (received-policy.ts):
    // its first member, appointed organiser once the founding hub retires.
    const ana = new NodePhone(r.relay.url);
    const community = (await ana.join('Ana')).doc().id;
    await expect.poll(() => r.relay.logs.some((l) => l.includes('founding hub retired')), { timeout: 60_000 }).toBe(true);
    const x = await peer('x', [], relayTls(communityRelay, 'dtn://x/'));
    const exhausted = bundle({ tag: 'hop-exhausted', hopLimit: 3 });
    const hop = extensionOf(exhausted, 'hop-count')!;
    const record = sealAlertRecord(ana.me, createAlert(ana.me, { kind: 'raid', urgency: 'critical', area: 'north', text: 'raid' }, Date.now()), alertKeys);
    const alert = sealMetadata(
      createBundle({ source: 'dtn://x/', destination: alertEndpoint(community), payload: new TextEncoder().encode(JSON.stringify(record)), lifetimeMs: 3600e3, priority: 0 }),
      peerKeys.publicKey,
      naclSigner(peerKeys.secretKey),
    );
    const labels = new Map<string, string>();
    const labelled = (label: string, b: Bundle) => (labels.set(bundleId(b), label), b);
    const sent = [
      labelled('low', bundle({ priority: 0, tag: 'low', destination: 'dtn://~library/chunk/abc' })),
      // Junk to an alerts endpoint claiming emergency: normal at most, even from a community relay.
      labelled('normal', bundle({ priority: 0, tag: 'normal', destination: 'dtn://~elsewhere/alerts' })),
      labelled('emergency', alert),
      bundle({ priority: 0, audience: 'local', tag: 'local-only' }),
      bundle({ tag: 'expired', created: Date.now() - 60_000, lifetimeMs: 1000 }),
      withExtension(exhausted, { ...hop, count: hop.limit }),
    ];
    for (const b of sent) await x.sendBundle(encodeBundle(b));
    await x.close();
    await ana.close();

    const received: Bundle[] = [];
    const y = await peer('y', received);
    await y.sendBundle(encodeBundle(createBundle({ source: 'dtn://y/', destination: `${r.node}routing`, payload: encodeSummary([]), lifetimeMs: 60_000 })));
    const fromX = () => received.filter((b) => b.primary.source === 'dtn://x/');
    await expect.poll(() => fromX().length, { timeout: 15_000 }).toBe(3);
    expect(fromX().map((b) => labels.get(bundleId(b)))).toEqual(['emergency', 'normal', 'low']);
    // Forwarding updated the extension blocks as RFC 9171 asks.
    const fwd = received.find((b) => labels.get(bundleId(b)) === 'low')!;
    expect(extensionOf(fwd, 'previous-node')?.node).toBe(r.node);
    expect(extensionOf(fwd, 'hop-count')?.count).toBe(1);
    await y.close();
  });

  it('Scenario: a peer that already holds a bundle (summary vector) is not sent it again', async () => {
    const a = await handedToRelay('x2', 'already-there', 'missing');
    const received: Bundle[] = [];
    const z = await peer('z', received);
    await z.sendBundle(encodeBundle(createBundle({ source: 'dtn://z/', destination: `${r.node}routing`, payload: encodeSummary([bundleId(a)]), lifetimeMs: 60_000 })));
    await expect.poll(() => received.map(tagOf), { timeout: 15_000 }).toContain('missing');
    expect(received.map(tagOf)).not.toContain('already-there');
    await z.close();
  });

  it('Scenario: a peer that sends a sketch of what it holds is sent exactly what it lacks, and is not taken for a relay from before sketches', async () => {
    const a = await handedToRelay('x5', 'sketched-there', 'sketched-missing');
    const received: Bundle[] = [];
    const w = await peer('w', received);
    // The peer holds `a` and says so as a relay of this version does: a sketch, more symbols when asked.
    const stream = new SketchStream([bundleId(a)]);
    const toRelay = (payload: Uint8Array) => w.sendBundle(encodeBundle(createBundle({ source: 'dtn://w/', destination: `${r.node}routing`, payload, lifetimeMs: 60_000 })));
    await toRelay(stream.upTo(64)!);
    let answered = 0;
    await expect
      .poll(
        async () => {
          const asks = received.filter((m) => m.primary.destination === 'dtn://w/routing').map((m) => m.payload.data);
          for (const ask of asks.slice(answered)) {
            answered++;
            const m = (() => {
              try {
                return decodeSketch(ask);
              } catch {
                return undefined;
              }
            })();
            const more = m?.kind === 'sketch-more' ? stream.upTo(m.upTo) : undefined;
            if (more) await toRelay(more);
          }
          return received.map(tagOf);
        },
        { timeout: 20_000 },
      )
      .toContain('sketched-missing');
    expect(received.map(tagOf)).not.toContain('sketched-there');
    // The relay read the sketch: it never took the peer for a relay from before sketches (which would get an
    // unmarked summary back). Its own store is small here, so it may announce its list, marked.
    const routing = received.filter((m) => m.primary.destination === 'dtn://w/routing').map((m) => decodeRoutingPayload(m.payload.data));
    expect(routing.length).toBeGreaterThan(0);
    for (const m of routing) expect(m.kind === 'summary' ? m.sketches : true).toBe(true);
    await w.close();
  });

  it('Scenario: a malformed bundle from a peer is dropped with a log line; the relay and the session carry on', async () => {
    const x = await peer('x3');
    const before = (await dtnStatus(r.relay.url)).store.count;
    await x.sendBundle(new Uint8Array([0x9f, 0x89, 0x07, 0x00, 0xff]));
    await x.sendBundle(new TextEncoder().encode('not a bundle at all'));
    await x.sendBundle(encodeBundle(bundle({ tag: 'after garbage' })));
    await x.close();
    expect((await dtnStatus(r.relay.url)).store.count).toBe(before + 1);
    await expect.poll(() => r.relay.logs.some((l) => l.includes('"bundle deleted"') && l.includes('not-indefinite-array'))).toBe(true);
    expect(r.relay.child.exitCode).toBeNull();
  });

  it('Scenario: a duplicate bundle is stored once', async () => {
    const x = await peer('x4');
    const b = bundle({ tag: 'twice' });
    const before = (await dtnStatus(r.relay.url)).store.count;
    await x.sendBundle(encodeBundle(b));
    await x.sendBundle(encodeBundle(b));
    await x.close();
    expect((await dtnStatus(r.relay.url)).store.count).toBe(before + 1);
  });

  it('Scenario: contact up and down are visible in the status and the logs', async () => {
    const x = await peer('x5');
    await expect.poll(async () => (await dtnStatus(r.relay.url)).contacts.map((c) => c.peer), { timeout: 10_000 }).toContain('dtn://x5/');
    await x.close();
    await expect.poll(async () => (await dtnStatus(r.relay.url)).contacts.map((c) => c.peer), { timeout: 10_000 }).not.toContain('dtn://x5/');
    await expect.poll(() => r.relay.logs.some((l) => l.includes('"contact down"') && l.includes('dtn://x5/'))).toBe(true);
    expect((await dtnStatus(r.relay.url)).peersSeen).toContain('dtn://x5/');
  });
});
