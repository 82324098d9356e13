import { href, parseRoute } from './routes.ts';

export type { Route } from './routes.ts';

/**
 * The route on screen (from the table in routes.ts). `navigations` counts moves made after the page
 * opened: App then moves focus to the new screen's heading (so screen readers announce the change) once
 * that screen's code has arrived and rendered.
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

/** The link to an offer or need by its key (`author/id`), or to editing it. */
export function intentHref(key: string, edit = false): string {
  const [author, id] = key.split('/');
  return href(edit ? 'edit' : 'detail', { author, id });
}
