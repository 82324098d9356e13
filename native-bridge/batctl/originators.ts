import { BatctlError } from './errors.ts';
import { ifaceField, macField, optionalUint, parseJsonRows, uintField } from './json-table.ts';
import { MAC_PATTERN } from './mac.ts';
import { dataLines, parseSeconds, parseThroughput } from './text-table.ts';
import type { OriginatorEntry } from './types.ts';

/** `batctl meshif bat0 originators_json`: one row per (originator, next hop); "best":true marks the route in use. */
export function parseOriginatorsJson(text: string): OriginatorEntry[] {
  return parseJsonRows(text, 'originators_json').map((r, i) => {
    const where = `originators_json[${i}]`;
    const e: OriginatorEntry = {
      mac: macField(r, 'orig_address', where),
      nextHop: macField(r, 'neigh_address', where),
      iface: ifaceField(r, where),
      lastSeenMs: uintField(r, 'last_seen_msecs', where),
      best: r.best === true,
    };
    const tq = optionalUint(r, 'tq', where, 255);
    if (tq !== undefined) e.tq = tq;
    const tp = optionalUint(r, 'throughput', where);
    if (tp !== undefined) e.throughputKbps = tp;
    return e;
  });
}

const HEAD = `^ ([ *]) (${MAC_PATTERN})\\s+(\\d+)\\.(\\d{3})s\\s+`;
const TAIL = `\\s+(${MAC_PATTERN})\\s+\\[\\s*(\\S+)\\]\\s*$`;
// originators.c, BATMAN_IV: " %c %mac %4i.%03is   (%3i) %mac [%10s]"
const IV_ROW = new RegExp(`${HEAD}\\(\\s*(\\d{1,3})\\)${TAIL}`);
// originators.c, BATMAN_V: " %c %mac %4i.%03is (%9u.%1u) %mac [%10s]"
const V_ROW = new RegExp(`${HEAD}\\(\\s*(\\d+)\\.(\\d)\\)${TAIL}`);
const TITLE = /^\s+Originator\s+last-seen/;

/** `batctl meshif bat0 originators -n` (text form, both routing algorithms). */
export function parseOriginatorsText(text: string): OriginatorEntry[] {
  return dataLines(text, TITLE, 'originators').map((line, i) => {
    const iv = IV_ROW.exec(line);
    if (iv) {
      const tq = Number(iv[5]);
      if (tq > 255) throw new BatctlError('parse', `originators line ${i + 1}: TQ ${tq} > 255`);
      return { best: iv[1] === '*', mac: iv[2], lastSeenMs: parseSeconds(iv[3], iv[4]), tq, nextHop: iv[6], iface: iv[7] };
    }
    const v = V_ROW.exec(line);
    if (v) {
      const throughputKbps = parseThroughput(v[5], v[6]);
      return { best: v[1] === '*', mac: v[2], lastSeenMs: parseSeconds(v[3], v[4]), throughputKbps, nextHop: v[7], iface: v[8] };
    }
    throw new BatctlError('parse', `originators line ${i + 1}: ${JSON.stringify(line.slice(0, 120))}`);
  });
}
