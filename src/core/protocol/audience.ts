/**
 * Who may read a record or bundle. One type for the data model, bundles (mesh-metadata block) and the
 * relay's store: `local` never leaves its island; `trusted` is for members at the trust tier;
 * `private` is sealed to one recipient.
 */
export const Audience = { Public: 'public', Local: 'local', Trusted: 'trusted', Private: 'private' } as const;
export type Audience = (typeof Audience)[keyof typeof Audience];

export const AUDIENCES: readonly Audience[] = Object.values(Audience);
export const DEFAULT_AUDIENCE: Audience = Audience.Public;

export function isAudience(s: unknown): s is Audience {
  return typeof s === 'string' && (AUDIENCES as readonly string[]).includes(s);
}
