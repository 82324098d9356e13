import { toBase64Url } from '../../../src/core/crypto/encoding.ts';
import { decodeEnvelope } from '../../../src/core/messaging/index.ts';
import { Route } from '../../../src/core/protocol/routes.ts';

/**
 * What the relay keeps for phones between visits — sealed envelopes by recipient, alert records by
 * community, discovery queries (never answered: no other island) — held in memory, for the client's unit tests of handing over and fetching back. It checks
 * nothing (the real relay's checks are tested in tests/relay/ against real processes, and the client
 * against a real relay in tests/relay/client-layer.test.ts); it only moves bytes from one phone to another.
 * `down` makes every request fail as if the relay were out of reach.
 */
export function memoryRelay() {
  const inboxes = new Map<string, string[]>();
  const alerts = new Map<string, unknown[]>();
  const queries = new Map<string, unknown>();
  const relay = {
    down: false,
    /** Status for every discovery query post (the relay's rate limit answers 429). */
    queryStatus: 201,
    queries,
    requests: 0,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      relay.requests++;
      if (relay.down) throw new TypeError('fetch failed: the relay is out of reach');
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      if (url.pathname === Route.inbox && method === 'POST') {
        const bytes = init!.body as Uint8Array;
        const to = decodeEnvelope(bytes).to;
        inboxes.set(to, [...(inboxes.get(to) ?? []), toBase64Url(bytes)]);
        return new Response(JSON.stringify({ ok: true }), { status: 202 });
      }
      if (url.pathname.startsWith(`${Route.inbox}/`)) {
        const agent = decodeURIComponent(url.pathname.slice(Route.inbox.length + 1));
        return Response.json({ envelopes: inboxes.get(agent) ?? [] });
      }
      if (url.pathname === Route.info) return Response.json({ node: 'dtn://memory-relay/', communities: [] });
      if (url.pathname === Route.discoveryQueries && method === 'POST') {
        const q = JSON.parse(String(init!.body)) as { id: string };
        if (relay.queryStatus < 300) queries.set(q.id, q);
        return Response.json({ error: 'refused' }, { status: relay.queryStatus });
      }
      if (url.pathname.startsWith(`${Route.discoveryQueries}/`)) {
        const id = decodeURIComponent(url.pathname.slice(Route.discoveryQueries.length + 1));
        return queries.has(id) ? Response.json({ answers: [] }) : new Response('gone', { status: 404 });
      }
      if (url.pathname === Route.alerts) {
        const community = url.searchParams.get('community') ?? '';
        if (method === 'POST') {
          alerts.set(community, [...(alerts.get(community) ?? []), JSON.parse(String(init!.body))]);
          return new Response(JSON.stringify({ ok: true }), { status: 202 });
        }
        return Response.json({ records: alerts.get(community) ?? [] });
      }
      return new Response('not found', { status: 404 });
    }) as typeof fetch,
  };
  return relay;
}
