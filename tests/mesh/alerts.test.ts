import path from 'node:path';
import { expect as see } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';
import { meshSuite } from '../helpers/mesh-suite.ts';
import { vouchFor } from '../e2e/vouching.ts';
import { createAlert, sealAlertRecord, type Alert } from '../../src/core/alerts/index.ts';
import { addKey, newEpochKey } from '../../src/core/audience/index.ts';
import type { Identity } from '../../src/core/crypto/keys.ts';
import { signRequest } from '../../src/core/protocol/auth.ts';
import { dtnStatus, RELAY_ANSWER_MS, relayStatus } from '../helpers/dtn-status.ts';
import { synced } from '../helpers/phone-synced.ts';
import { bridgeMovesOn, islandIdle, islands, type Islands } from '../helpers/islands.ts';
import { membersOnTwoIslands } from '../helpers/members-on-two-islands.ts';
import { NodePhone, offers } from '../helpers/phone-client.ts';
import { filesUnder } from '../helpers/files.ts';
import { tapNav } from '../e2e/phone.ts';

// openspec/specs/rapid-response/spec.md — Alerts over DTN, across islands through a bridge.
const ROUNDS = 12;
// Phones in a browser run in the islands' phone namespace (tests/helpers/phones-netns.ts says why).
const suite = meshSuite({ viewport: { width: 360, height: 740 } });
let net: Islands | undefined;
const phones: NodePhone[] = [];

afterAll(async () => {
  for (const p of phones) await p.close().catch(() => undefined);
});

interface AlertStatus {
  held: number;
  delivered: number;
  arrivals: Array<{ id: string; arrival: number }>;
}

async function alertStatus(url: string): Promise<AlertStatus> {
  return (await relayStatus<{ alerts: AlertStatus }>(url)).alerts;
}

/** What a relay holds, read as member `who` (alerts are for members); throws until it lists her, so polls retry. */
async function held(url: string, community: string, who: Identity): Promise<string[]> {
  const res = await fetch(`${url}/api/alerts?community=${encodeURIComponent(community)}`, { headers: { 'x-spm-auth': signRequest(who, { method: 'GET', path: '/api/alerts' }) }, signal: AbortSignal.timeout(RELAY_ANSWER_MS) });
  if (!res.ok) throw new Error(`GET /api/alerts: ${res.status}`);
  return ((await res.json()) as { records: Array<{ id: string }> }).records.map((r) => r.id);
}

/** Sealed as a phone seals it (the relay neither has nor needs the members' key). */
const keys = addKey(new Map(), newEpochKey(1));
async function hand(url: string, community: string, me: Identity, alert: Alert): Promise<number> {
  return (await fetch(`${url}/api/alerts?community=${encodeURIComponent(community)}`, { method: 'POST', body: JSON.stringify(sealAlertRecord(me, alert, keys)), signal: AbortSignal.timeout(RELAY_ANSWER_MS) })).status;
}

describe('mesh: alerts between islands', () => {
  it('Scenario: an alert raised on island A reaches island B through the bridge ahead of queued change-sets; an expired alert is not shown or forwarded', async () => {
    const t = (net = suite.use(await islands()));
    const ana = new NodePhone(t.a.url);
    phones.push(ana);
    const community = (await ana.join('Ana')).doc().id;
    // Queue change-sets first: several rounds of offers, each turned into bundles by relay A.
    for (let i = 0; i < ROUNDS; i++) {
      await ana.post(offers(`Round ${i + 1} offer`, 5));
      await islandIdle(t.a.url);
    }
    const changeSets = (await dtnStatus(t.a.url)).store.count;
    expect(changeSets).toBeGreaterThanOrEqual(3); // the replicator batches rounds that come quickly

    // An alert that expires before any bridge comes, then the live one — the last thing queued on A.
    // It lives 8 s: long enough to be taken on a loaded machine (1.5 s was not, in run 15: 422 expired),
    // and the bridge only comes after it is gone.
    const stale = createAlert(ana.me, { kind: 'fire', urgency: 'urgent', area: 'river', text: 'Smoke by the river (stale)', expires: Date.now() + 8000 }, Date.now());
    expect(await hand(t.a.url, community, ana.me, stale)).toBe(202);
    await expect.poll(async () => held(t.a.url, community, ana.me), { timeout: 20_000, interval: 200 }).toEqual([]);
    const live = createAlert(ana.me, { kind: 'raid', urgency: 'critical', area: 'north-market', text: 'Police at the north market, stay away' }, Date.now());
    expect(await hand(t.a.url, community, ana.me, live)).toBe(202);
    expect(await held(t.a.url, community, ana.me)).toEqual([live.id]);

    await t.linkA(true);
    // (A's store count still includes the expired alert until its sweeper runs, so count what must travel.)
    await expect.poll(async () => (await dtnStatus(t.bridgeStatusUrl())).store.count, { timeout: 30_000 }).toBeGreaterThanOrEqual(changeSets + 1);
    await t.linkA(false);
    await t.linkB(true);

    // Island B shows the alert, and it was the first bundle B took from the bridge.
    await expect.poll(async () => held(t.b.url, community, ana.me), { timeout: 30_000 }).toEqual([live.id]);
    await expect.poll(async () => (await dtnStatus(t.b.url)).store.count, { timeout: 30_000 }).toBeGreaterThanOrEqual(changeSets + 1);
    const onB = await alertStatus(t.b.url);
    expect(onB.arrivals).toEqual([{ id: live.id, arrival: 0 }]);
    expect(onB.delivered).toBeGreaterThanOrEqual(changeSets + 1);
    console.log(`mesh alerts: alert arrived 1st of ${onB.delivered} bundles on island B (${changeSets} bundles held on A before it); namespaces: ${t.fallback ?? 'yes'}`);

    // The expired alert went nowhere: no relay but A ever held its bytes, and B never shows it.
    expect(await held(t.b.url, community, ana.me)).not.toContain(stale.id);
    const [, dirB, dirBridge] = t.dataDirs();
    for (const dir of [dirB, dirBridge]) for (const bytes of await filesUnder(path.join(dir, 'bundles'), '.bundle')) expect(bytes.includes(Buffer.from(stale.id))).toBe(false);
  });

  it('Scenario: an alert raised on a phone on island A is shown as a banner on a phone on island B after the bridge passes', async () => {
    await net?.cleanup(); // the suite then holds the new islands, and cleans them up
    const t = (net = suite.use(await islands()));
    // Ana founds the community on island A; Beto joins on island B. The two exchange codes as text (a
    // photo or a message would do) and vouch.
    const { onA: ana, onB: beto } = await membersOnTwoIslands(t, suite.phone, 'Ana', 'Beto');
    await vouchFor(beto, ana, 'Ana'); // Beto sees the community through Ana
    await vouchFor(ana, beto, 'Beto'); // Ana's vouch makes him trusted (it reaches B with the bridge)

    // Alerts are sealed to the members' key. Beto's member entry is on island B only: the bridge brings it
    // to A, where Ana's phone (an organiser's) seals the key to him once he is in her community doc.
    await synced(beto);
    await islandIdle(t.b.url);
    await bridgeMovesOn(t, 'b');
    await tapNav(ana, 'people');
    await see(ana.getByTestId('person-row').filter({ hasText: 'Beto' })).toBeVisible({ timeout: 60_000 });

    // Ana raises the alert on A (her key for Beto goes with it); the bridge visits A, then B.
    const text = 'Police at the north market, stay away';
    await tapNav(ana, 'alerts');
    await ana.getByTestId('alert-urgency').selectOption('critical');
    await ana.getByTestId('alert-area').fill('North market');
    await ana.getByTestId('alert-text').fill(text);
    await ana.getByTestId('alert-send').click();
    // "Alert sent." is said once relay A holds it (so the bridge, when it leaves, has it).
    await see(ana.getByTestId('notice')).toHaveText('Alert sent.', { timeout: 10_000 });
    await synced(ana);
    await islandIdle(t.a.url);
    await bridgeMovesOn(t, 'a'); // Ana's vouch, Beto's key and the alert

    await see(beto.getByTestId('alert-banner')).toContainText(text, { timeout: 60_000 });
    await beto.getByTestId('alert-banner').click();
    await see(beto.getByTestId('alert').filter({ hasText: text })).toHaveAttribute('data-status', 'active');
  });
});
