import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAlert, createFollowUp, sealAlertRecord, type Alert, type AlertFollowUp, type SealedAlert } from '../../src/core/alerts/index.ts';
import { addKey, newEpochKey, type Keyring } from '../../src/core/audience/index.ts';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { signRecord } from '../../src/core/crypto/sign.ts';
import { signRequest } from '../../src/core/protocol/auth.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { filesUnder } from '../helpers/files.ts';

// openspec/specs/rapid-response/spec.md — Alerts over DTN: the relay side (POST/GET /api/alerts)
const t = relaySuite();
const { relay, phone } = t;

/** The members' key these tests seal with: the relay neither knows nor needs it. */
const keys: Keyring = addKey(new Map(), newEpochKey(1));
const sealed = (me: Identity, rec: Alert | AlertFollowUp) => sealAlertRecord(me, rec, keys);

/** A member of the relay's community (the relay lists her), whose key signs the reads. */
async function memberOf(r: RelayProcess): Promise<Identity> {
  const ana = phone(r);
  const community = (await ana.join('Ana')).doc().id;
  const read = () => fetch(`${r.url}/api/alerts?community=${community}`, { headers: { 'x-spm-auth': signRequest(ana.me, { method: 'GET', path: '/api/alerts' }) } });
  await expect.poll(async () => (await read()).status, { timeout: 20_000 }).toBe(200);
  return ana.me;
}

async function communityOf(r: RelayProcess): Promise<{ id: string; url: string }> {
  return ((await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url: string }> }).communities[0];
}

async function post(r: RelayProcess, community: string, body: unknown): Promise<{ status: number; json: { id?: string; bundle?: string | null; code?: string; error?: string } }> {
  const res = await fetch(`${r.url}/api/alerts?community=${encodeURIComponent(community)}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { code?: string } };
}

/** What the relay serves a member (signed read); throws while it does not list `who` as a member (polls retry). */
async function held(r: RelayProcess, community: string, who: Identity): Promise<Array<{ id: string; type: string }>> {
  const headers = { 'x-spm-auth': signRequest(who, { method: 'GET', path: '/api/alerts' }) };
  const res = await fetch(`${r.url}/api/alerts?community=${encodeURIComponent(community)}`, { headers });
  if (!res.ok) throw new Error(`GET /api/alerts: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { records: Array<{ id: string; type: string }> }).records;
}

const input = { kind: 'raid' as const, urgency: 'critical' as const, area: 'north-market', text: 'Police at the north market, stay away' };

describe('relay alerts', () => {
  it('Scenario: alerts travel as emergency bundles that die with the alert — an alert and its follow-up handed to one relay reach another', async () => {
    // A's community names B's relay key: B reads the member list only as a relay the community names.
    const bKey = await t.presetKey();
    const a = await relay('island-a', ['--community-relay', bKey.key]);
    const { id: community, url } = await communityOf(a);
    const b = await relay('island-b', ['--join', url, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], bKey.dataDir);
    const ana = await memberOf(a);
    const alert = sealed(ana, createAlert(ana, input, Date.now()));
    const posted = await post(a, community, alert);
    expect(posted.status).toBe(202);
    expect(posted.json.id).toBe(alert.id);
    expect(posted.json.bundle).toMatch(/^dtn:\/\/island-a\//);
    // A retry of the same record is idempotent: no second bundle.
    const again = await post(a, community, alert);
    expect(again).toEqual({ status: 202, json: { id: alert.id, bundle: null } });

    await expect.poll(async () => (await held(b, community, ana)).map((r) => r.id), { timeout: 20_000 }).toEqual([alert.id]);
    const beto = createIdentity();
    const coming = sealed(beto, createFollowUp(beto, alert.id, 'on-my-way', Date.now()));
    expect((await post(a, community, coming)).status).toBe(202);
    await expect.poll(async () => (await held(b, community, ana)).map((r) => r.type).sort(), { timeout: 20_000 }).toEqual(['sealed-alert', 'sealed-alert-follow-up']);
    const got = await held(b, community, ana);
    expect(got.find((r) => r.type === 'sealed-alert')).toEqual(alert); // byte-for-byte the sealed record

    const s = (await (await fetch(`${b.url}/api/status`)).json()) as { alerts: { held: number; arrivals: Array<{ id: string }> } };
    expect(s.alerts.held).toBe(2);
    expect(s.alerts.arrivals.map((x) => x.id)).toEqual([alert.id, coming.id]);
  });

  it('Scenario: bad alert records are refused with clear errors and nothing is carried', async () => {
    const a = await relay('island-a');
    const { id: community } = await communityOf(a);
    const ana = await memberOf(a);
    const now = Date.now();
    const good = sealed(ana, createAlert(ana, input, now)) as SealedAlert;
    const forged = { ...good, urgency: 'watch' };
    const tooLong = signRecord<SealedAlert>({ ...withoutSig(good), expires: now + 7 * 3600e3 }, ana.signSecretKey);
    const expired = sealed(ana, createAlert(ana, input, now - 7 * 3600e3));
    const future = sealed(ana, createAlert(ana, input, now + 10 * 60e3));
    const followUpToNothing = sealed(ana, createFollowUp(ana, 'no-such-alert', 'confirm', now));

    const cases: Array<[unknown, number, string]> = [
      ['{not json', 400, 'bad-json'],
      [{ type: 'alert', id: 'x' }, 400, 'malformed'],
      [{ type: 'vouch', from: ana.agentId }, 400, 'malformed'],
      [forged, 400, 'forged-signature'],
      [tooLong, 422, 'bad-expiry'],
      [expired, 422, 'expired'],
      [future, 422, 'from-future'],
      [followUpToNothing, 404, 'unknown-alert'],
      [createAlert(ana, input, now), 422, 'not-sealed'],
      [createFollowUp(ana, good.id, 'confirm', now), 422, 'not-sealed'],
      [{ ...good, pad: 'x'.repeat(5000) }, 413, 'too-large'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(a, community, body);
      expect({ code: res.json.code, status: res.status }, code).toEqual({ code, status });
      expect(res.json.error).toBeTruthy();
    }
    expect((await post(a, 'not-a-community-here', good)).json.code).toBe('unknown-community');
    expect((await post(a, community, good)).status).toBe(202);
    const sameId = signRecord<SealedAlert>({ ...withoutSig(good), urgency: 'urgent' }, ana.signSecretKey);
    expect(await post(a, community, sameId)).toMatchObject({ status: 409, json: { code: 'duplicate-id' } });
    expect((await held(a, community, ana)).map((r) => r.id)).toEqual([good.id]);
    expect((await dtnStatus(a.url)).store.count).toBeGreaterThanOrEqual(1);
    const alertBundles = (await filesUnder(path.join(a.dataDir, 'bundles'), '.bundle')).filter((b) => b.includes(Buffer.from(`${community}/~alerts`)));
    expect(alertBundles).toHaveLength(1);
  });

  it('Scenario: expired alerts are not forwarded — an alert past its expiry is neither served nor carried to the next relay', async () => {
    // A's community names B's relay key: B reads the member list only as a relay the community names.
    const bKey = await t.presetKey();
    const a = await relay('island-a', ['--community-relay', bKey.key]);
    const { id: community, url } = await communityOf(a);
    const ana = await memberOf(a);
    const shortLived = sealed(ana, createAlert(ana, { ...input, text: 'Short-lived alert', expires: Date.now() + 4000 }, Date.now())) as SealedAlert;
    expect((await post(a, community, shortLived)).status).toBe(202);
    expect((await held(a, community, ana)).map((r) => r.id)).toEqual([shortLived.id]);
    // Served until its expiry, then never again (polling the relay, not sleeping).
    await expect.poll(async () => (await held(a, community, ana)).length, { timeout: 10_000, interval: 200 }).toBe(0);
    expect(Date.now()).toBeGreaterThanOrEqual(shortLived.expires);

    // A relay that meets A afterwards gets a current alert (posted after) but never the expired one.
    const b = await relay('island-b', ['--join', url, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], bKey.dataDir);
    const current = sealed(ana, createAlert(ana, { ...input, urgency: 'urgent', text: 'Current alert' }, Date.now()));
    expect((await post(a, community, current)).status).toBe(202);
    await expect.poll(async () => (await held(b, community, ana)).map((r) => r.id), { timeout: 20_000 }).toEqual([current.id]);
    const s = (await (await fetch(`${b.url}/api/status`)).json()) as { alerts: { arrivals: Array<{ id: string }> } };
    expect(s.alerts.arrivals.map((x) => x.id)).toEqual([current.id]);
    for (const bytes of await filesUnder(path.join(b.dataDir, 'bundles'), '.bundle')) expect(bytes.includes(Buffer.from(shortLived.id))).toBe(false);
    // And the expired one cannot be handed in again.
    expect((await post(a, community, shortLived)).json.code).toBe('expired');
  });
});

function withoutSig<T extends { sig: string }>(r: T): Omit<T, 'sig'> {
  const { sig: _sig, ...rest } = r;
  return rest;
}
