/** Hash routes work from any static host and from the service worker's single cached index.html. */
export type Route =
  | { name: 'browse' }
  | { name: 'new'; kind: 'offer' | 'need' }
  | { name: 'detail'; key: string }
  | { name: 'edit'; key: string }
  | { name: 'settings' }
  | { name: 'people' }
  | { name: 'person'; agentId: string }
  | { name: 'my-code' }
  | { name: 'vouch' }
  | { name: 'suggestions' }
  | { name: 'search' }
  | { name: 'library' }
  | { name: 'decisions' }
  | { name: 'messages' }
  | { name: 'conversation'; peer: string }
  // Rapid response, sanctuary and print views (issue 8).
  | { name: 'alerts' }
  | { name: 'sanctuary' }
  | { name: 'print-sanctuary' }
  | { name: 'noticeboard' };

export function parseRoute(hash: string): Route {
  const [, a, b, c] = hash.replace(/^#/, '').split('/');
  if (a === 'new' && (b === 'offer' || b === 'need')) return { name: 'new', kind: b };
  if ((a === 'intent' || a === 'edit') && b && c) return { name: a === 'intent' ? 'detail' : 'edit', key: `${decodeURIComponent(b)}/${decodeURIComponent(c)}` };
  if (a === 'settings') return { name: 'settings' };
  if (a === 'people') return { name: 'people' };
  if (a === 'person' && b) return { name: 'person', agentId: decodeURIComponent(b) };
  if (a === 'my-code') return { name: 'my-code' };
  if (a === 'vouch') return { name: 'vouch' };
  if (a === 'suggestions') return { name: 'suggestions' };
  if (a === 'search') return { name: 'search' };
  if (a === 'library') return { name: 'library' };
  if (a === 'decisions') return { name: 'decisions' };
  if (a === 'messages') return b ? { name: 'conversation', peer: decodeURIComponent(b) } : { name: 'messages' };
  if (a === 'alerts') return { name: 'alerts' };
  if (a === 'sanctuary') return b === 'print' ? { name: 'print-sanctuary' } : { name: 'sanctuary' };
  if (a === 'noticeboard') return { name: 'noticeboard' };
  return { name: 'browse' };
}

export function intentHref(key: string, edit = false): string {
  const [author, id] = key.split('/');
  return `#/${edit ? 'edit' : 'intent'}/${encodeURIComponent(author)}/${encodeURIComponent(id)}`;
}

export function personHref(agentId: string): string {
  return `#/person/${encodeURIComponent(agentId)}`;
}

/**
 * `navigations` counts moves made after the page opened: App then moves focus to the new screen's
 * heading (so screen readers announce the change) once that screen's code has arrived and rendered.
 */
export const router = $state({ route: parseRoute(typeof location === 'undefined' ? '' : location.hash), navigations: 0 });

if (typeof window !== 'undefined') {
  addEventListener('hashchange', () => {
    router.route = parseRoute(location.hash);
    router.navigations++;
  });
}

export function go(hash: string): void {
  location.hash = hash;
}
