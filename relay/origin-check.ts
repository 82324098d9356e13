/**
 * One origin everywhere (issue 21): IndexedDB and the service worker belong to an origin, so a phone that
 * walks to another island keeps its data and its installed app only if that island's relay answers at the
 * same scheme, host and port. The relay says at start which origin phones will see, whether it is a
 * secure context (service worker, offline start, install), and whether it matches the origin the
 * community's stewards set.
 */
export interface OriginReport {
  /** What phones open, e.g. https://mesh.lan */
  origin: string;
  /** A secure context: https, or a loopback host (browsers treat those as secure). */
  secure: boolean;
  /** Per served community: the origin its signed settings name ('' when none) and whether it matches. */
  communities: Array<{ id: string; origin: string; matches: boolean | null }>;
  /** Plain sentences for the log and /api/status. */
  warnings: string[];
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The URL origin of `text` when it is exactly an http(s) origin (no path, query or credentials), else null. */
export function normaliseOrigin(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
  return u.origin;
}

/** The origin phones see when the operator names none: from the listen address, port and TLS. */
export function defaultOrigin(host: string, port: number, tls: boolean): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const scheme = tls ? 'https' : 'http';
  const standard = (tls && port === 443) || (!tls && port === 80);
  return `${scheme}://${name}${standard ? '' : `:${port}`}`;
}

export function checkOrigin(origin: string, communities: Array<{ id: string; origin?: string }>, servesTls: boolean): OriginReport {
  const u = new URL(origin);
  const secure = u.protocol === 'https:' || LOOPBACK.test(u.hostname);
  const warnings: string[] = [];
  if (!secure) warnings.push(`phones open ${origin}: not a secure context, so the app cannot start offline or be installed; serve HTTPS (see docs/DEPLOY.md)`);
  if (u.protocol === 'https:' && !servesTls) warnings.push(`the origin ${origin} is https but this relay serves plain HTTP: a TLS proxy in front of it must serve the certificate`);
  const rows = communities.map((c) => {
    const named = c.origin ?? '';
    const matches = named === '' ? null : named === origin;
    if (matches === false) warnings.push(`community ${c.id} is at ${named} but phones here open ${origin}: phones moving between islands start from nothing here`);
    return { id: c.id, origin: named, matches };
  });
  return { origin, secure, communities: rows, warnings };
}
