/**
 * A new category's or area's id from its name: lower-case letters, digits and dashes, at most 32
 * (community-settings.ts's ENTRY_ID), made unique among `taken`. Ids never change once saved, so posts
 * keep their category when an organiser renames it.
 */
export function entryId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 28) || 'item';
  let id = base;
  for (let n = 2; taken.has(id) && n < 10_000; n++) id = `${base}-${n}`;
  return id;
}
