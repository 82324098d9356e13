/** DTN time (RFC 9171 §4.2.6): milliseconds since 2000-01-01T00:00:00Z. 0 means "no clock". */
export const DTN_EPOCH_UNIX_MS = Date.UTC(2000, 0, 1);

export function unixToDtnMs(unixMs: number): number {
  return unixMs - DTN_EPOCH_UNIX_MS;
}

export function dtnToUnixMs(dtnMs: number): number {
  return dtnMs + DTN_EPOCH_UNIX_MS;
}
