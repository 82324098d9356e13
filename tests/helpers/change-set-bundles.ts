import * as Automerge from '@automerge/automerge';
import { generateAutomergeUrl, parseAutomergeUrl, type AutomergeUrl } from '@automerge/automerge-repo';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromBase64Url } from '../../src/core/crypto/encoding.ts';
import { createBundle, encodeBundle, type Bundle } from '../../src/core/dtn/index.ts';
import { naclSigner, signChangeSetBundle } from '../../src/core/sync/changeset-auth.ts';
import { encodePayload, type ChangeSetPayload } from '../../src/core/sync/index.ts';
import { carriageRecipient, sealCarriage } from '../../src/core/sync/sealed-carriage.ts';
import { changesEndpoint } from '../../src/core/protocol/endpoints.ts';
import { SegmentFlags } from '../../relay/dtn/tcpcl/index.ts';
import { RawPeer } from '../relay/tcpcl-helpers.ts';

/** Change-set bundles as a relay (or a peer forging one) sends them, and a raw TCPCL peer to inject them. */

/** A relay's own signing key, from its data dir. */
export async function secretKeyIn(dataDir: string): Promise<Uint8Array> {
  return fromBase64Url((JSON.parse(await readFile(path.join(dataDir, 'relay-key.json'), 'utf8')) as { secretKey: string }).secretKey);
}

/**
 * A change-set bundle for `community` as a relay would originate it, signed by `secretKey` if given;
 * sealed to the relay keys `sealTo` if given (clear, as relays before sealed carriage sent it, if not).
 */
export function changeSetBundle(community: string, p: ChangeSetPayload, secretKey?: Uint8Array, sealTo?: string[]): Uint8Array {
  const clear = encodePayload(p);
  const payload = sealTo ? sealCarriage(clear, sealTo.map((k) => carriageRecipient(fromBase64Url(k))!)) : clear;
  let b: Bundle = createBundle({ source: 'dtn://mallory/', destination: changesEndpoint(community), payload, lifetimeMs: 3600e3, priority: 2, audience: 'public' });
  if (secretKey) b = signChangeSetBundle(b, secretKey.slice(32), naclSigner(secretKey));
  return encodeBundle(b);
}

/** A brand-new doc claiming to be a feed of `community`, as one change-set. */
export function newDoc(community: string, title: string): { url: AutomergeUrl; p: ChangeSetPayload } {
  const url = generateAutomergeUrl();
  const doc = Automerge.from<Record<string, unknown>>({ type: 'feed', owner: 'mallory', community, intents: { x: { name: title } } });
  return { url, p: { t: 'changes', doc: parseAutomergeUrl(url).documentId, community, heads: Automerge.getHeads(doc), deps: [], data: Automerge.save(doc) } };
}

const SEGMENT = 64 * 1024;

/** Sends each bundle as one transfer and waits for the relay to acknowledge them all. */
export async function inject(port: number, bundles: Uint8Array[]): Promise<void> {
  const peer = await RawPeer.connect(port);
  try {
    await peer.handshake({ nodeId: 'dtn://mallory/' });
    bundles.forEach((data, i) => {
      // Segments of at most the relay's segment MRU (64 KiB).
      for (let at = 0; at === 0 || at < data.length; at += SEGMENT) {
        const flags = (at === 0 ? SegmentFlags.START : 0) | (at + SEGMENT >= data.length ? SegmentFlags.END : 0);
        peer.send({ type: 'XFER_SEGMENT', flags, transferId: BigInt(i), extensions: [], data: data.subarray(at, at + SEGMENT) });
      }
    });
    const acked = new Set<bigint>();
    while (acked.size < bundles.length) {
      const f = await peer.next();
      if (!f) throw new Error('relay closed the session before acknowledging');
      if (f.type === 'XFER_ACK' && f.flags & SegmentFlags.END) acked.add(f.transferId);
    }
  } finally {
    peer.close();
  }
}
