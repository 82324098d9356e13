/** Stable orders, so that the order feeds and records arrive in never changes a result. */

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function byId<T extends { id: string }>(a: T, b: T): number {
  return cmp(a.id, b.id);
}

/** Oldest first, id as tie-break. */
export function byCreated<T extends { created: number; id: string }>(a: T, b: T): number {
  return a.created - b.created || cmp(a.id, b.id);
}
