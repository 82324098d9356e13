import { BatctlError } from './errors.ts';
import { ifaceField, macField, optionalUint, parseJsonRows, uintField } from './json-table.ts';
import { MAC_PATTERN } from './mac.ts';
import { dataLines, parseSeconds, parseThroughput } from './text-table.ts';
import type { NeighborEntry } from './types.ts';

/** `batctl meshif bat0 neighbors_json`: [{"hard_ifindex":3,"hard_ifname":"wlan0","last_seen_msecs":230,"neigh_address":"…"}] */
export function parseNeighborsJson(text: string): NeighborEntry[] {
  return parseJsonRows(text, 'neighbors_json').map((r, i) => {
    const where = `neighbors_json[${i}]`;
    const e: NeighborEntry = {
      mac: macField(r, 'neigh_address', where),
      iface: ifaceField(r, where),
      lastSeenMs: uintField(r, 'last_seen_msecs', where),
    };
    const tp = optionalUint(r, 'throughput', where);
    if (tp !== undefined) e.throughputKbps = tp;
    return e;
  });
}

// neighbors.c, BATMAN_IV: "   %10s\t  %02x:…:%02x %4i.%03is"
const IV_ROW = new RegExp(`^\\s*(\\S+)\\s+(${MAC_PATTERN})\\s+(\\d+)\\.(\\d{3})s\\s*$`);
// neighbors.c, BATMAN_V: "%02x:…:%02x %4i.%03is (%9u.%1u) [%10s]"
const V_ROW = new RegExp(`^\\s*(${MAC_PATTERN})\\s+(\\d+)\\.(\\d{3})s\\s+\\(\\s*(\\d+)\\.(\\d)\\)\\s+\\[\\s*(\\S+)\\]\\s*$`);
const TITLE = /^IF\s+Neighbor\s+last-seen/;

/** `batctl meshif bat0 neighbors -n` (text form, both routing algorithms). */
export function parseNeighborsText(text: string): NeighborEntry[] {
  return dataLines(text, TITLE, 'neighbors').map((line, i) => {
    const iv = IV_ROW.exec(line);
    if (iv) return { iface: iv[1], mac: iv[2], lastSeenMs: parseSeconds(iv[3], iv[4]) };
    const v = V_ROW.exec(line);
    if (v) return { mac: v[1], lastSeenMs: parseSeconds(v[2], v[3]), throughputKbps: parseThroughput(v[4], v[5]), iface: v[6] };
    throw new BatctlError('parse', `neighbors line ${i + 1}: ${JSON.stringify(line.slice(0, 120))}`);
  });
}
