import type { TestNet } from './netns.ts';

/**
 * The phones' own network namespace, with one link to each island, where the file's Chromium runs
 * (mesh-suite.ts). Chromium fails every request in flight with ERR_NETWORK_CHANGED when an address or
 * link changes in its namespace. Two mesh files run at once, and each made its links in the test's own
 * namespace, where the other file's Chromium lived: that browser then lost page loads and sockets (a
 * phone on island B never loaded in a local run; stop 28's CI saw a phone stuck on "Sending 1 change…").
 * In a namespace of their own, phones see only their own links, all made before the browser starts.
 * The test process itself still reaches the relays through its own links.
 */
export interface PhonesNetns {
  ns: string;
  /** The island's end of the phones' link to island i: a route's next hop (carry moves one). */
  via: string[];
  /** The phones' end of their link to island i. */
  phoneSide: string[];
}

/** Links the phones' namespace to each island and routes each island's own address over its link. */
export function phonesNetns(net: TestNet, octet: number, tag: number, islands: Array<{ ns: string; host: string }>): PhonesNetns {
  const ns = net.ns('p');
  const phoneSide = islands.map((_, i) => `10.${octet}.${4 + i}.1`);
  const via = islands.map((island, i) => {
    const islandSide = `10.${octet}.${4 + i}.2`;
    net.link(ns, phoneSide[i], island.ns, islandSide, `spp${tag}${i}`);
    net.routeVia(island.host, islandSide, ns);
    return islandSide;
  });
  return { ns, via, phoneSide };
}
