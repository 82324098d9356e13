// What a received bundle is kept at depends on who handed it over (issue 15, "Relay to relay" and
// "Quotas"): a stranger's raw TCPCL peer cannot buy emergency priority by addressing junk to an alerts
// endpoint, nor push out what a community relay brought. A real relay process on loopback; a scripted
// community relay over TLS (its key on the community's steward-signed relays list) and a raw stranger.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAlert, sealAlertRecord } from '../../src/core/alerts/index.ts';
import { addKey, newEpochKey, type Keyring } from '../../src/core/audience/index.ts';
import { utf8 } from '../../src/core/crypto/encoding.ts';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { bundleId, createBundle, decodeBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { alertEndpoint, inboxEndpoint } from '../../src/core/protocol/endpoints.ts';
import { connectTcpcl, type TcpclSession } from '../../relay/dtn/tcpcl/index.ts';
import { changeSetBundle, newDoc } from '../helpers/change-set-bundles.ts';
import { operatorJson } from '../helpers/operator-cli.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';
import { relayTls } from '../helpers/relay-tls.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { alive, dialAs, flood, honestPhonesSync, status } from './hostile.ts';

const suite = relaySuite();
const MiB = 1024 * 1024;
/** The members' key the alert is sealed with: the relay neither knows nor needs it. */
const keys: Keyring = addKey(new Map(), newEpochKey(1));

interface Row {
  id: string;
  destination: string;
  priority: number;
  anonymous: boolean;
}

/** What the relay holds, as its operator lists it. */
async function held(r: RelayProcess): Promise<Map<string, Row>> {
  const rows = (await operatorJson<{ bundles: Row[] }>(r, ['query', 'bundles'])).bundles;
  return new Map(rows.map((row) => [row.id, row]));
}

/** A community relay as the relay meets it: TCPCL over TLS with a certificate for its relay key. */
async function communityRelay(r: RelayProcess, relay: Identity, nodeId: string): Promise<TcpclSession> {
  return connectTcpcl({ nodeId, host: '127.0.0.1', port: (await status(r)).dtn.tcpclPort, tls: relayTls(relay, nodeId), onBundle: async () => undefined, keepaliveSec: 0 });
}

describe('adversary: a stranger’s fake emergency alerts against what a community relay brought', () => {
  it('Scenario: after a raw TCPCL peer with no certificate floods fake emergency alerts up to the store budget, the alert, sealed message and change-set a community relay brought are still held, and phones still post', async () => {
    // The community names the other relay's key (--community-relay): over TLS it is one of its relays.
    const other = createIdentity();
    const r = await suite.relay('island', ['--store-budget', String(MiB), '--community-relay', other.agentId]);
    const ana = await suite.member(r, 'Ana');
    const community = ana.client.docs.community!.doc().id;
    // Ana, the first member, is appointed organiser and the founding hub retires: she may raise alerts.
    await expect.poll(() => r.logs.some((l) => l.includes('founding hub retired')), { timeout: 60_000 }).toBe(true);
    const carrier = await communityRelay(r, other, 'dtn://other-island/');
    await expect
      .poll(async () => (await status(r)).dtn.contacts.find((c) => c.peer === 'dtn://other-island/'), { timeout: 20_000 })
      .toMatchObject({ tls: true, authenticated: true });

    // What the community relay brings: Ana's alert, a sealed message for someone, a change-set.
    const now = Date.now();
    const record = sealAlertRecord(ana.me, createAlert(ana.me, { kind: 'raid', urgency: 'critical', area: 'north-market', text: 'Police at the north market' }, now), keys);
    const alert = createBundle({ source: 'dtn://other-island/', destination: alertEndpoint(community), payload: utf8.encode(JSON.stringify(record)), lifetimeMs: record.expires - now, priority: 0 });
    const message = createBundle({ source: 'dtn://other-island/', destination: inboxEndpoint(createIdentity().agentId), payload: new Uint8Array(randomBytes(8 * 1024)), lifetimeMs: 24 * 3600e3, priority: 2 });
    const changes = decodeBundle(changeSetBundle(community, newDoc(community, 'carried in').p, other.signSecretKey));
    if (!changes.ok) throw new Error('change-set bundle did not decode');
    for (const b of [alert, message, changes.bundle]) await carrier.sendBundle(encodeBundle(b));
    const ids = [alert, message, changes.bundle].map(bundleId);
    const priorities = async () => {
      const h = await held(r);
      return ids.map((id) => h.get(id)?.priority);
    };
    // Kept at what each may have: emergency for an organiser's signed alert, normal for the others.
    await expect.poll(priorities, { timeout: 20_000 }).toEqual([0, 2, 2]);
    await carrier.close(); // from now on this relay is the only one holding them

    // A stranger with no certificate: 2.5 MiB of "emergency, ten years" bundles to the alerts endpoints.
    const stranger = await dialAs(r, 'dtn://stranger/');
    const { acked, refused } = await flood(stranger, { count: 160, payloadBytes: 16 * 1024, destinations: [alertEndpoint(community), 'dtn://~elsewhere/alerts'], priority: 0 });
    expect(acked + refused).toBe(160);
    stranger.close();

    const after = await held(r);
    for (const [id, want] of ids.map((id, i) => [id, [0, 2, 2][i]] as const)) expect(after.get(id), id).toMatchObject({ priority: want, anonymous: false });
    const strangers = [...after.values()].filter((row) => row.anonymous);
    // The flood did not fit: the stranger's older bundles made room for its newer ones, or it was refused.
    expect(strangers.length).toBeGreaterThan(0);
    expect(strangers.length).toBeLessThan(160);
    expect(strangers.every((row) => row.priority === 3)).toBe(true); // bulk, whatever they claimed
    const s = await alive(r);
    expect(s.dtn.store.bytes + s.dtn.store.journalBytes).toBeLessThanOrEqual(MiB);
    await honestPhonesSync(suite, r, 'Rice and beans');
  });
});
