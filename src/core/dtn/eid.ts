import type { CborReader } from './cbor-reader.ts';
import { BundleError } from './errors.ts';

/**
 * Endpoint IDs (RFC 9171 §4.2.5.1). In a bundle they are kept as canonical text: 'dtn:none',
 * 'dtn://node/service' or 'ipn:node.service'. Text <-> CBOR is lossless, so text is the form the
 * rest of the system compares and stores.
 */
export type Eid =
  | { readonly scheme: 'dtn'; readonly none: true }
  | { readonly scheme: 'dtn'; readonly none: false; readonly node: string; readonly service: string }
  | { readonly scheme: 'ipn'; readonly node: number; readonly service: number };

export const NONE_EID = 'dtn:none';
export const EidScheme = { Dtn: 1, Ipn: 2 } as const;

// RFC 3986 reg-name: unreserved / pct-encoded / sub-delims; at least one character.
const NODE_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
// demux = *VCHAR
const DEMUX = /^[\x21-\x7e]*$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

function badEid(text: string, why: string): BundleError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new BundleError('bad-eid', `endpoint ID ${JSON.stringify(shown)}: ${why}`);
}

export function parseEid(text: string): Eid {
  if (typeof text !== 'string') throw badEid(String(text), 'not a string');
  if (text === NONE_EID) return { scheme: 'dtn', none: true };
  if (text.startsWith('dtn://')) return parseDtn(text);
  if (text.startsWith('ipn:')) return parseIpn(text);
  throw badEid(text, "expected 'dtn:none', 'dtn://node/service' or 'ipn:node.service'");
}

function parseDtn(text: string): Eid {
  const rest = text.slice('dtn://'.length);
  const slash = rest.indexOf('/');
  if (slash < 0) throw badEid(text, "missing '/' after the node name");
  const node = rest.slice(0, slash);
  const service = rest.slice(slash + 1);
  if (!NODE_NAME.test(node)) throw badEid(text, 'node name must be a non-empty URI reg-name');
  if (!DEMUX.test(service)) throw badEid(text, 'service may contain only visible ASCII characters');
  return { scheme: 'dtn', none: false, node, service };
}

function parseIpn(text: string): Eid {
  const parts = text.slice('ipn:'.length).split('.');
  if (parts.length !== 2) throw badEid(text, "expected 'ipn:node.service'");
  const [node, service] = parts.map((p) => parseDecimal(p, text));
  return { scheme: 'ipn', node, service };
}

function parseDecimal(part: string, text: string): number {
  if (!DECIMAL.test(part)) throw badEid(text, 'numbers must be decimal without leading zeros');
  const n = Number(part);
  if (!Number.isSafeInteger(n)) throw badEid(text, 'number above 2^53-1');
  return n;
}

export function formatEid(eid: Eid): string {
  if (eid.scheme === 'ipn') return `ipn:${eid.node}.${eid.service}`;
  return eid.none ? NONE_EID : `dtn://${eid.node}/${eid.service}`;
}

export function isValidEid(text: string): boolean {
  try {
    parseEid(text);
    return true;
  } catch {
    return false;
  }
}

/** The node ID ('dtn://node/' or 'ipn:node.0') of the node an endpoint lives on. */
export function nodeIdOf(text: string): string {
  const eid = parseEid(text);
  if (eid.scheme === 'ipn') return `ipn:${eid.node}.0`;
  if (eid.none) return NONE_EID;
  return `dtn://${eid.node}/`;
}

/**
 * A group (non-singleton) endpoint: RFC 9171 §4.2.5.1.1 marks non-singletons by a demux starting
 * with '~' ('dtn://community/~changes'). Relays used to write 'dtn://~community/…' (a node name
 * starting with '~'), still found in stored bundles: both are recognised.
 */
export function isGroupEid(text: string): boolean {
  const eid = parseEid(text);
  return eid.scheme === 'dtn' && !eid.none && (eid.node.startsWith('~') || eid.service.startsWith('~'));
}

/** The CBOR data model value of an EID, for the encoder. */
export function eidToCbor(text: string): [number, number | string | [number, number]] {
  const eid = parseEid(text);
  if (eid.scheme === 'ipn') return [EidScheme.Ipn, [eid.node, eid.service]];
  return [EidScheme.Dtn, eid.none ? 0 : `//${eid.node}/${eid.service}`];
}

/** Reads [scheme, ssp] and returns canonical text; anything else is 'bad-eid'. */
export function readEid(r: CborReader, what: string): string {
  const close = r.readTuple(what, 2, () => new BundleError('bad-eid', `${what}: must be a 2-item array`));
  const scheme = r.readUint(`${what} scheme`);
  let text: string;
  if (scheme === EidScheme.Dtn) text = readDtnSsp(r, what);
  else if (scheme === EidScheme.Ipn) text = readIpnSsp(r, what);
  else throw new BundleError('bad-eid', `${what}: unsupported URI scheme code ${scheme}`);
  close();
  return text;
}

function readDtnSsp(r: CborReader, what: string): string {
  if (r.peekMajor(what) === 0) {
    if (r.readUint(what) !== 0) throw new BundleError('bad-eid', `${what}: dtn SSP integer must be 0 (dtn:none)`);
    return NONE_EID;
  }
  const ssp = r.readText(`${what} SSP`);
  if (!ssp.startsWith('//')) throw new BundleError('bad-eid', `${what}: dtn SSP must start with '//'`);
  const text = `dtn:${ssp}`;
  parseEid(text);
  return text;
}

function readIpnSsp(r: CborReader, what: string): string {
  const close = r.readTuple(what, 2, () => new BundleError('bad-eid', `${what}: ipn SSP must be [node, service]`));
  const node = r.readUint(`${what} node number`);
  const service = r.readUint(`${what} service number`);
  close();
  return `ipn:${node}.${service}`;
}
