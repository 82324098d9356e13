/** One-hop batman-adv neighbour as listed by `batctl neighbors`. */
export interface NeighborEntry {
  mac: string;
  iface: string;
  lastSeenMs: number;
  /** BATMAN_V only, kbit/s. */
  throughputKbps?: number;
}

/** One originator→next-hop row of `batctl originators`. */
export interface OriginatorEntry {
  mac: string;
  nextHop: string;
  iface: string;
  lastSeenMs: number;
  /** BATMAN_IV transmit quality, 0–255. */
  tq?: number;
  /** BATMAN_V only, kbit/s. */
  throughputKbps?: number;
  best: boolean;
}
