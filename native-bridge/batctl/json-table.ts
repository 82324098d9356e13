import { BatctlError } from './errors.ts';
import { isMac } from './mac.ts';

/** Output above this is not a mesh we can be part of; refuse rather than buffer without bound. */
export const MAX_TABLE_ROWS = 4096;

export type Row = Record<string, unknown>;

/** `batctl … *_json` dumps print one JSON array of attribute objects, keyed by netlink attribute name. */
export function parseJsonRows(text: string, what: string): Row[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BatctlError('parse', `${what}: not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new BatctlError('parse', `${what}: expected a JSON array`);
  if (data.length > MAX_TABLE_ROWS) throw new BatctlError('parse', `${what}: ${data.length} rows exceeds ${MAX_TABLE_ROWS}`);
  return data.map((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new BatctlError('parse', `${what}[${i}]: not an object`);
    return r as Row;
  });
}

export function macField(r: Row, key: string, where: string): string {
  const v = r[key];
  if (!isMac(v)) throw new BatctlError('parse', `${where}: ${key} is not a MAC address`);
  return v;
}

export function uintField(r: Row, key: string, where: string, max = 0xffffffff): number {
  const v = r[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new BatctlError('parse', `${where}: ${key} is not an integer in 0..${max}`);
  }
  return v;
}

export function optionalUint(r: Row, key: string, where: string, max = 0xffffffff): number | undefined {
  return r[key] === undefined ? undefined : uintField(r, key, where, max);
}

/** batman-adv < 2021.2 sent only the ifindex; fall back to it so the row still parses. */
export function ifaceField(r: Row, where: string): string {
  if (typeof r.hard_ifname === 'string') return r.hard_ifname;
  return `ifindex:${uintField(r, 'hard_ifindex', where)}`;
}
