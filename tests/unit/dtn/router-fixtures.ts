import type { Contact } from '../../../relay/dtn/contact.ts';
import type { BundleMeta } from '../../../relay/dtn/store/index.ts';
import type { TcpclSession } from '../../../relay/dtn/tcpcl/index.ts';

/** A contact as the node adopts it (services only for a `dtn://name/` peer); routers never touch the session. */
export function contact(peer: string): Contact {
  const services = /^dtn:\/\/[a-z0-9-]+\/$/.test(peer) ? peer : undefined;
  return { session: {} as TcpclSession, peer, services, since: 0, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
}

/** A stored change-set bundle's metadata, as routers see it. */
export const meta = (id: string, over: Partial<BundleMeta> = {}): BundleMeta => ({
  id,
  source: 'dtn://elsewhere/',
  destination: 'dtn://c1/~changes',
  priority: 2,
  audience: 'public',
  createdAt: 0,
  expiresAt: 1,
  size: 1,
  ...over,
});
