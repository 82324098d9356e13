// Random and mutated TCPCLv4 session streams for the fuzz scenario: each is the whole byte sequence a
// stranger sends on one connection, from a seeded PRNG so a failure reproduces from its index.
import { concatBytes } from '../../src/core/crypto/bytes.ts';
import { createBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { encodeContactHeader, encodeFrame, MessageType, SegmentFlags, transferLengthItem, type TcpclMessage } from '../../relay/dtn/tcpcl/index.ts';
import { rng } from '../helpers/prng.ts';

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

function randomBytes(r: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(r, 256);
  return out;
}

const NODE_IDS = ['', 'ipn:977.0', 'dtn://fuzz/', 'dtn://island/', 'dtn:none', 'x', 'dtn://a/b/c', 'ipn:1.2', '💥', 'dtn://' + 'a'.repeat(300) + '/'];
const BIG = [0n, 1n, 255n, 65535n, (1n << 32n) - 1n, (1n << 53n) + 1n, (1n << 64n) - 1n];

function sessInit(r: Rand): TcpclMessage {
  return {
    type: 'SESS_INIT',
    keepaliveSec: pick(r, [0, 1, 15, 65535]),
    segmentMru: pick(r, BIG),
    transferMru: pick(r, BIG),
    nodeId: r() < 0.8 ? pick(r, NODE_IDS) : new TextDecoder().decode(randomBytes(r, int(r, 40))),
    extensions: r() < 0.2 ? [{ flags: int(r, 4), itemType: int(r, 65536), value: randomBytes(r, int(r, 16)) }] : [],
  };
}

function validBundle(r: Rand, seq: number): Uint8Array {
  return encodeBundle(
    createBundle({
      source: 'dtn://fuzz/',
      destination: pick(r, ['dtn://~fuzz/changes', 'dtn://island/routing', 'dtn://island/sync', 'dtn://~fuzz/alerts', 'dtn://elsewhere/x']),
      payload: randomBytes(r, int(r, 64)),
      lifetimeMs: pick(r, [1, 3600e3, 10 * 365 * 24 * 3600e3]),
      priority: pick(r, [0, 1, 2, 3] as const),
      sequence: seq,
    }),
  );
}

function frame(r: Rand, id: bigint, seq: number): TcpclMessage {
  switch (int(r, 8)) {
    case 0:
    case 1: {
      const data = r() < 0.5 ? validBundle(r, seq) : randomBytes(r, int(r, 200));
      const flags = pick(r, [SegmentFlags.START | SegmentFlags.END, SegmentFlags.START, SegmentFlags.END, 0, 0xff]);
      const ext = flags & SegmentFlags.START && r() < 0.5 ? [transferLengthItem(r() < 0.7 ? data.length : pick(r, BIG))] : [];
      return { type: 'XFER_SEGMENT', flags, transferId: r() < 0.8 ? id : pick(r, BIG), extensions: ext, data };
    }
    case 2:
      return { type: 'KEEPALIVE' };
    case 3:
      return { type: 'XFER_ACK', flags: int(r, 4), transferId: pick(r, BIG), ackedLength: pick(r, BIG) };
    case 4:
      return { type: 'XFER_REFUSE', reason: int(r, 256), transferId: pick(r, BIG) };
    case 5:
      return { type: 'MSG_REJECT', reason: int(r, 256), rejectedHeader: int(r, 256) };
    case 6:
      return { type: 'SESS_TERM', flags: int(r, 4), reason: int(r, 256) };
    default:
      return sessInit(r);
  }
}

/** A plausible session: contact header, SESS_INIT, then frames (mostly transfers). */
function plausible(r: Rand, index: number): Uint8Array {
  const parts = [encodeContactHeader(r() < 0.9 ? 0 : int(r, 256), r() < 0.9 ? 4 : int(r, 256)), encodeFrame(sessInit(r))];
  const n = int(r, 6);
  for (let i = 0; i < n; i++) parts.push(encodeFrame(frame(r, BigInt(i + 1), index * 8 + i)));
  if (r() < 0.2) parts.push(new Uint8Array([pick(r, [0, 8, 0xff, MessageType.XFER_SEGMENT])]));
  return concatBytes(...parts);
}

/** A valid session stream with a few mutations: flips, overwrites, cuts, insertions, repeats. */
function mutated(r: Rand, index: number): Uint8Array {
  let bytes = concatBytes(
    encodeContactHeader(),
    encodeFrame({ type: 'SESS_INIT', keepaliveSec: 0, segmentMru: 1n << 20n, transferMru: 1n << 24n, nodeId: 'dtn://fuzz/', extensions: [] }),
    encodeFrame({ type: 'XFER_SEGMENT', flags: SegmentFlags.START | SegmentFlags.END, transferId: 1n, extensions: [], data: validBundle(r, index) }),
    encodeFrame({ type: 'SESS_TERM', flags: 0, reason: 0 }),
  );
  const m = 1 + int(r, 6);
  for (let k = 0; k < m && bytes.length > 0; k++) {
    const at = int(r, bytes.length);
    switch (int(r, 5)) {
      case 0:
        bytes[at] ^= 1 << int(r, 8);
        break;
      case 1:
        bytes[at] = pick(r, [0, 0xff, 0x7f, 0x80, int(r, 256)]);
        break;
      case 2:
        bytes = bytes.slice(0, at);
        break;
      case 3:
        bytes = concatBytes(bytes.subarray(0, at), randomBytes(r, 1 + int(r, 16)), bytes.subarray(at));
        break;
      default:
        bytes = concatBytes(bytes.subarray(0, at), bytes.subarray(at, at + int(r, 64)), bytes.subarray(at));
    }
  }
  return bytes;
}

/** Stream number `index` of the run seeded with `seed`. */
export function stream(seed: number, index: number): Uint8Array {
  const r = rng(seed * 1_000_003 + index);
  switch (int(r, 4)) {
    case 0:
      return randomBytes(r, int(r, 256));
    case 1:
      return concatBytes(encodeContactHeader(), randomBytes(r, int(r, 256)));
    case 2:
      return plausible(r, index);
    default:
      return mutated(r, index);
  }
}
