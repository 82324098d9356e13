import { spawnSync } from 'node:child_process';
import { processAlive } from '../../relay/data-lock.ts';

/**
 * Test hosts in network namespaces made by the test itself, joined by veth links. Addresses are
 * 10.231-238.x.y inside these namespaces only (one second octet per vitest worker, islands.ts); nothing outside this machine is ever addressed.
 */
function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

/** Why namespaces cannot be used here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root: creating network namespaces needs CAP_SYS_ADMIN';
  const probe = `spm-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.error) return `ip (iproute2) is not installed: ${add.error.message}`;
  if (add.status !== 0) return `ip netns add failed: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

/**
 * Deletes the namespaces of test processes that are gone. A run killed mid-test (a stopped CI job, a
 * helper's Ctrl-C) leaves its namespaces, and the veth ends they hold in the test's own namespace keep
 * its subnet's addresses: the next run's relays at the same addresses were then unreachable
 * (ECONNREFUSED from the dead run's namespace). Deleting a namespace removes its veth pairs too.
 */
function removeStaleNamespaces(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of list.stdout?.split('\n') ?? []) {
    const m = /^(spm(\d+)-\S+)/.exec(line);
    if (m && Number(m[2]) !== process.pid && !processAlive(Number(m[2]))) spawnSync('ip', ['netns', 'del', m[1]]);
  }
}

export class TestNet {
  private readonly namespaces: string[] = [];
  private readonly rootLinks: string[] = [];
  /** The whole pid, so that a stale namespace's owner can be told dead or alive (removeStaleNamespaces). */
  private readonly prefix = `spm${process.pid}`;

  constructor() {
    removeStaleNamespaces();
  }

  ns(name: string): string {
    const full = `${this.prefix}-${name}`;
    ip('netns', 'add', full);
    ip('-n', full, 'link', 'set', 'lo', 'up');
    this.namespaces.push(full);
    return full;
  }

  /** A veth between two namespaces (or the root namespace when a side is null), with /24 addresses. */
  link(a: string | null, aAddr: string, b: string | null, bAddr: string, name: string): { aIf: string; bIf: string } {
    const aIf = `${name}a`.slice(0, 15);
    const bIf = `${name}b`.slice(0, 15);
    ip('link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf);
    for (const [ns, ifn, addr] of [[a, aIf, aAddr], [b, bIf, bAddr]] as const) {
      if (ns) ip('link', 'set', ifn, 'netns', ns);
      else this.rootLinks.push(ifn);
      ip(...(ns ? ['-n', ns] : []), 'addr', 'add', `${addr}/24`, 'dev', ifn);
      ip(...(ns ? ['-n', ns] : []), 'link', 'set', ifn, 'up');
    }
    return { aIf, bIf };
  }

  /** One more address on a namespace's loopback: the address every island's relay answers at. */
  addLoopbackAddress(ns: string, addr: string): void {
    ip('-n', ns, 'addr', 'add', `${addr}/32`, 'dev', 'lo');
  }

  /**
   * Namespace `ns` (the test's own when null) reaches `addr` through `via` (an address on one of its
   * links): the phones' route to one shared address moves from island to island. The route goes with its
   * link on destroy().
   */
  routeVia(addr: string, via: string, ns: string | null = null): void {
    ip(...(ns ? ['-n', ns] : []), 'route', 'replace', `${addr}/32`, 'via', via);
  }

  /** The namespace sends whatever it has no route for to `via` (its link to the test's namespace). */
  defaultRoute(ns: string, via: string): void {
    ip('-n', ns, 'route', 'replace', 'default', 'via', via);
  }

  setLink(ns: string, ifn: string, up: boolean): void {
    ip('-n', ns, 'link', 'set', ifn, up ? 'up' : 'down');
  }

  destroy(): void {
    for (const l of this.rootLinks) spawnSync('ip', ['link', 'del', l]);
    for (const n of this.namespaces) spawnSync('ip', ['netns', 'del', n]);
  }
}
