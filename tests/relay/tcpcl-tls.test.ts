// TCPCLv4 over TLS 1.3 between real relay processes (RFC 9174 §4.4), and hostile TLS peers.
import * as Automerge from '@automerge/automerge';
import { generateAutomergeUrl, parseAutomergeUrl, type AutomergeUrl } from '@automerge/automerge-repo';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { changesEndpoint } from '../../src/core/protocol/endpoints.ts';
import { signChangeSetBundle } from '../../src/core/sync/changeset-auth.ts';
import { encodePayload, type ChangeSetPayload } from '../../src/core/sync/index.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { connectTcpcl, ContactFlags, encodeContactHeader, makeNodeCertificate } from '../../relay/dtn/tcpcl/index.ts';
import { TCPCL_CERT_FILE } from '../../relay/dtn/tls-material.ts';
import { dtnStatus, type DtnStatus } from '../helpers/dtn-status.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';

const t = relaySuite();

type TlsContact = DtnStatus['contacts'][number] & { tls: boolean; authenticated: boolean };

async function contactWith(r: RelayProcess, peer: string): Promise<TlsContact | undefined> {
  return (await dtnStatus(r.url)).contacts.find((c) => c.peer === peer) as TlsContact | undefined;
}

async function communityOf(r: RelayProcess): Promise<{ id: string; url: AutomergeUrl }> {
  const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url: AutomergeUrl }> };
  return info.communities[0];
}

/** A stranger's TLS material: an ed25519 key no community names, and its certificate. */
function strangerTls(nodeId: string): { cert: string; key: string; privateKey: KeyObject } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { cert: makeNodeCertificate(privateKey, nodeId), key: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, privateKey };
}

/** A change-set making a new doc in `community`, signed by `privateKey` (a relay nobody named). */
function strangerChangeSet(community: string, privateKey: KeyObject): { url: AutomergeUrl; bytes: Uint8Array } {
  const url = generateAutomergeUrl();
  const doc = Automerge.from<Record<string, unknown>>({ type: 'feed', owner: 'mallory', community, intents: { x: { name: 'carried' } } });
  const p: ChangeSetPayload = { t: 'changes', doc: parseAutomergeUrl(url).documentId, community, heads: Automerge.getHeads(doc), deps: [], data: Automerge.save(doc) };
  const b = createBundle({ source: 'dtn://mallory/', destination: changesEndpoint(community), payload: encodePayload(p), lifetimeMs: 3600e3, priority: 2, audience: 'public' });
  const publicKey = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).x as string, 'base64url'));
  return { url, bytes: encodeBundle(signChangeSetBundle(b, publicKey, (m) => new Uint8Array(sign(null, m, privateKey)))) };
}

/** A self-signed certificate with no subject alt name at all: it names no Node ID. */
function certWithoutSan(privateKey: KeyObject): string {
  const alg = new asn.AlgorithmIdentifier({ algorithm: '1.3.101.112' });
  const name = new asn.Name([new asn.RelativeDistinguishedName([new asn.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn.AttributeValue({ utf8String: 'no-san' }) })])]);
  const pub = AsnConvert.parse(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }), asn.SubjectPublicKeyInfo);
  const tbs = new asn.TBSCertificate({
    version: asn.Version.v3,
    serialNumber: new Uint8Array([1]).buffer,
    signature: alg,
    issuer: name,
    subject: name,
    validity: new asn.Validity({ notBefore: new Date(Date.now() - 3600e3), notAfter: new Date('2100-01-01') }),
    subjectPublicKeyInfo: pub,
  });
  const sig = sign(null, Buffer.from(AsnConvert.serialize(tbs)), privateKey);
  const der = Buffer.from(AsnConvert.serialize(new asn.Certificate({ tbsCertificate: tbs, signatureAlgorithm: alg, signatureValue: new Uint8Array(sig).buffer })));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Opens TCP to the relay's TCPCL port, sends a contact header offering TLS and reads the relay's. */
async function offerTls(port: number): Promise<{ socket: import('node:net').Socket; header: Buffer }> {
  const socket = tcpConnect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(encodeContactHeader(ContactFlags.CAN_TLS));
  const [header] = (await once(socket, 'data')) as [Buffer];
  return { socket, header };
}

/** The relay still serves phones and still brings up a TLS session with a well-behaved peer. */
async function stillServing(r: RelayProcess): Promise<void> {
  expect((await fetch(`${r.url}/api/info`)).status).toBe(200);
  const me = strangerTls('dtn://after/');
  const s = await connectTcpcl({ nodeId: 'dtn://after/', host: '127.0.0.1', port: (await dtnStatus(r.url)).tcpclPort, tls: me, onBundle: async () => undefined, keepaliveSec: 0 });
  expect(s.tls?.protocol).toBe('TLSv1.3');
  await s.close();
  expect(r.child.exitCode).toBeNull();
}

describe('TCPCL over TLS 1.3 between relays', () => {
  it('Scenario: two community relays talk TCPCL over TLS 1.3 and bundles flow', async () => {
    const kb = await t.presetKey();
    // Keepalives of 5 s: a relay busy applying a first contact's docs must not look gone (FAST has 1 s).
    const slow = ['--keepalive', '5'];
    const a = await t.relay('tls-a', [...slow, '--community-relay', kb.key]);
    const { url } = await communityOf(a);
    const alice = await t.member(a, 'Alice');
    // Each relay made its certificate at first start, readable by its owner only.
    expect((await stat(path.join(a.dataDir, TCPCL_CERT_FILE))).mode & 0o777).toBe(0o600);

    // B names no relay itself: the community it joins names both (A founded it and listed B's key).
    const b = await t.relay('tls-b', [...slow, '--join', url, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], kb.dataDir);
    // Alice's feed reaches a phone on the other relay: her change-sets crossed the TLS session and were applied.
    const bob = t.reader(b, url); // holds the invite: the relay serves it the community's docs
    await expect.poll(async () => (await findEventually<Record<string, unknown>>(bob.repo, alice.feedUrl).then((h) => h.doc()?.type).catch(() => undefined)), { timeout: 75_000 }).toBe('feed'); // a loaded machine can take a while over a first contact
    // Both relays say the contact is TLS and the peer is one of their community's relays.
    await expect.poll(async () => contactWith(a, 'dtn://tls-b/'), { timeout: 20_000 }).toMatchObject({ tls: true, authenticated: true });
    await expect.poll(async () => contactWith(b, 'dtn://tls-a/'), { timeout: 20_000 }).toMatchObject({ tls: true, authenticated: true });
  });

  it('Scenario: a relay without TLS still talks plain TCPCL with a TLS relay', async () => {
    const kb = await t.presetKey();
    const a = await t.relay('plain-a', ['--community-relay', kb.key]);
    const { url } = await communityOf(a);
    const alice = await t.member(a, 'Alice');
    const b = await t.relay('plain-b', ['--no-tcpcl-tls', '--join', url, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], kb.dataDir);
    const bob = t.reader(b, url); // holds the invite: the relay serves it the community's docs
    // Plain TCPCL, so no hop authentication: what is applied is what the change-set signatures allow.
    await expect.poll(async () => (await findEventually<Record<string, unknown>>(bob.repo, alice.feedUrl).then((h) => h.doc()?.type).catch(() => undefined)), { timeout: 75_000 }).toBe('feed'); // a loaded machine can take a while over a first contact
    // The contact is listed while its session is up: b redials after a session ends (run 65 read the list
    // between two sessions), so wait for it to be up rather than read once.
    await expect.poll(async () => contactWith(a, 'dtn://plain-b/'), { timeout: 30_000 }).toMatchObject({ tls: false, authenticated: false });
  });

  it('Scenario: a TLS peer with an unknown certificate has its bundles carried, not applied', async () => {
    const a = await t.relay('tls-carrier');
    const { id: community, url } = await communityOf(a);
    const mallory = strangerTls('dtn://mallory/');
    const port = (await dtnStatus(a.url)).tcpclPort;
    const session = await connectTcpcl({ nodeId: 'dtn://mallory/', host: '127.0.0.1', port, tls: mallory, onBundle: async () => undefined });
    expect(session.tls).toMatchObject({ protocol: 'TLSv1.3', nodeIds: ['dtn://tls-carrier/'] });
    await expect.poll(async () => contactWith(a, 'dtn://mallory/'), { timeout: 10_000 }).toMatchObject({ tls: true, authenticated: false });
    const forged = strangerChangeSet(community, mallory.privateKey);
    await session.sendBundle(forged.bytes); // acknowledged: the relay holds it (carried for others)
    const before = (await dtnStatus(a.url)).store;
    expect(before.count - before.local.count).toBeGreaterThanOrEqual(1);
    await expect.poll(() => a.logs.some((l) => l.includes('not from a relay of its community')), { timeout: 10_000 }).toBe(true);
    const carol = t.reader(a, url);
    await expect(carol.repo.find(forged.url)).rejects.toThrow(/unavailable/);
    await session.close();
  });

  it('Scenario: a peer that offers TLS and then sends garbage does not stop the relay', async () => {
    const a = await t.relay('tls-hostile');
    const port = (await dtnStatus(a.url)).tcpclPort;
    // 1. CAN_TLS, then bytes that are no TLS record.
    const garbage = await offerTls(port);
    expect(garbage.header[5] & ContactFlags.CAN_TLS).toBe(ContactFlags.CAN_TLS);
    garbage.socket.write(Buffer.alloc(300, 0x5a));
    await once(garbage.socket, 'close');
    // 2. Contact header and garbage in one write, before the relay's header could have arrived.
    const eager = tcpConnect({ host: '127.0.0.1', port });
    eager.on('error', () => undefined);
    eager.resume(); // read, so its close is seen
    await once(eager, 'connect');
    eager.write(Buffer.concat([encodeContactHeader(ContactFlags.CAN_TLS), Buffer.alloc(64, 0x16)]));
    await once(eager, 'close');
    // 3. A real TLS 1.3 handshake whose certificate names no Node ID.
    const { privateKey } = generateKeyPairSync('ed25519');
    const noSan = await offerTls(port);
    const s = tlsConnect({ socket: noSan.socket, cert: certWithoutSan(privateKey), key: privateKey.export({ format: 'pem', type: 'pkcs8' }), minVersion: 'TLSv1.3', rejectUnauthorized: false });
    s.on('error', () => undefined);
    s.resume(); // read, so its close is seen
    await once(s, 'close');
    // 4. TLS 1.2 only: the relay speaks 1.3 and nothing older.
    const old = await offerTls(port);
    const s12 = tlsConnect({ socket: old.socket, maxVersion: 'TLSv1.2', rejectUnauthorized: false });
    const failed = new Promise<Error>((resolve) => s12.once('error', resolve));
    expect(String(await failed)).toMatch(/version|alert|protocol/i);

    await expect.poll(() => a.logs.filter((l) => l.includes('tls-failure')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await stillServing(a);
  });
});
