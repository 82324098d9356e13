import type { ContactBook } from './adoption.ts';
import type { Contact } from './contact.ts';
import type { Router } from './routing/router.ts';
import type { BundleStore } from './store/index.ts';

/** The node's part of /api/status: contacts and what each still has to hand over, recent peers, the store. */
export function nodeStatus(
  node: { nodeId: string; tcpclPort: number; authenticated?: (c: Contact) => boolean },
  book: ContactBook,
  router: Router & { configured?: Record<string, unknown>; predictabilities?: () => Record<string, number> | undefined },
  store: BundleStore,
) {
  return {
    node: node.nodeId,
    tcpclPort: node.tcpclPort,
    // The scheme per live peer (summary, push, direct, or deciding while a dtn:// peer's summary is awaited).
    routing: {
      router: router.name,
      peers: [...book.live].map((c) => ({ peer: c.peer, ...(router.choice?.(c) ?? { scheme: router.name, why: 'one scheme for all' }) })),
      ...(router.configured ?? {}),
      // PRoPHET only: how likely this relay is to meet each endpoint (kept across restarts).
      ...((p) => (p ? { predictabilities: p } : {}))(router.predictabilities?.()),
    },
    contacts: [...book.live].map((c) => {
      const offer = router.offer(c);
      return {
        peer: c.peer,
        routing: router.choice?.(c).scheme ?? router.name,
        // False for a peer with an empty or non-dtn node ID: it has a session but no summary exchange.
        summaries: c.services !== undefined,
        tls: c.session.tls !== undefined,
        authenticated: node.authenticated?.(c) ?? false,
        since: c.since,
        bundlesIn: c.bundlesIn,
        bundlesOut: c.bundlesOut,
        bytesIn: c.session.bytesReceived,
        bytesOut: c.session.bytesSent,
        // Still to hand over on this contact (null until the router knows what the peer holds).
        pending: offer ? store.count(offer) + c.unacked : null,
      };
    }),
    lastContact: book.history.at(-1) ?? null,
    peersSeen: [...new Set(book.history.map((h) => h.peer))],
    // Changes applied per peer over the remembered contacts: a bridge whose contact dropped and came back
    // more than a minute after it left (VISIT_GAP_MS) still shows what it brought, which lastContact alone would hide.
    changesAppliedFrom: book.history.reduce<Record<string, number>>((m, h) => ({ ...m, [h.peer]: (m[h.peer] ?? 0) + h.changesApplied }), {}),
    store: store.stats(),
  };
}
