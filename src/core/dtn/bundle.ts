import { CrcType } from './crc.ts';
import { DEFAULT_AUDIENCE, DEFAULT_PRIORITY, type Audience, type Priority } from './mesh-metadata.ts';
import { unixToDtnMs } from './time.ts';
import { BundleFlags, type Bundle } from './types.ts';
import { validateBundle } from './validate.ts';

export const DEFAULT_HOP_LIMIT = 20;

export interface CreateBundleOptions {
  readonly source: string;
  readonly destination: string;
  readonly payload: Uint8Array;
  readonly lifetimeMs: number;
  /** Unix ms; converted to DTN time. Defaults to Date.now(). */
  readonly creationTimeMs?: number;
  /** Defaults to a per-process counter, so bundles made in the same millisecond differ. */
  readonly sequence?: number;
  readonly priority?: Priority;
  readonly audience?: Audience;
  readonly hopLimit?: number;
  /** CRC type of every block; defaults to CRC-32C. */
  readonly crcType?: CrcType;
  /** Defaults to the source. */
  readonly reportTo?: string;
  /**
   * Bundle processing control flags; defaults to must-not-fragment: the mesh's payloads (change
   * sets, sealed messages) are small, and a node that cannot reassemble must not get pieces.
   * dtn:none sources always get it.
   */
  readonly flags?: number;
}

let nextSequence = 0;

/**
 * A new bundle with the extension blocks every mesh bundle carries: mesh metadata (2),
 * hop count (3) and bundle age (4). The previous-node block is added when forwarding.
 * Throws BundleError if the options make an invalid bundle.
 */
export function createBundle(opts: CreateBundleOptions): Bundle {
  const crcType = opts.crcType ?? CrcType.Crc32c;
  const header = (number: number) => ({ number, flags: 0, crcType });
  const anonymous = opts.source === 'dtn:none';
  const bundle: Bundle = {
    primary: {
      flags: (opts.flags ?? BundleFlags.MustNotFragment) | (anonymous ? BundleFlags.MustNotFragment : 0),
      crcType,
      destination: opts.destination,
      source: opts.source,
      reportTo: opts.reportTo ?? opts.source,
      creationTime: unixToDtnMs(opts.creationTimeMs ?? Date.now()),
      sequence: opts.sequence ?? takeSequence(),
      lifetimeMs: opts.lifetimeMs,
    },
    extensions: [
      { kind: 'mesh-metadata', ...header(2), priority: opts.priority ?? DEFAULT_PRIORITY, audience: opts.audience ?? DEFAULT_AUDIENCE },
      { kind: 'hop-count', ...header(3), limit: opts.hopLimit ?? DEFAULT_HOP_LIMIT, count: 0 },
      { kind: 'bundle-age', ...header(4), ageMs: 0 },
    ],
    payload: { flags: 0, crcType, data: opts.payload },
  };
  validateBundle(bundle);
  return bundle;
}

function takeSequence(): number {
  const s = nextSequence;
  nextSequence = (nextSequence + 1) % 0x100000000;
  return s;
}

/**
 * Stable text key of a bundle (RFC 9171 §4.2.1 bundle identity): source, creation time and
 * sequence, plus fragment offset and payload length for a fragment. Fields are separated by
 * spaces, which no EID contains.
 */
export function bundleId(b: Bundle): string {
  const p = b.primary;
  const base = `${p.source} ${p.creationTime} ${p.sequence}`;
  return p.fragment ? `${base} ${p.fragment.offset} ${b.payload.data.length}` : base;
}
