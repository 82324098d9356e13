import { scalarsReadEverywhere } from '../core/model/hub-record.ts';
import { readCommunity } from '../core/model/read-community.ts';
import { scalarRecord } from '../core/model/scalar-strings.ts';
import type { CommunityDoc } from '../core/model/types.ts';

export interface RecordFormHost {
  community(): CommunityDoc | undefined;
  /** The community's signed view: its id and the hubs (relays) it names; undefined before it is read. */
  signed(): { id: string; settings: { relays: readonly string[] } } | undefined;
  /** The key of the hub this phone talks to (from its /api/info); undefined when it cannot be reached. */
  hubKey(): Promise<string | undefined>;
}

/**
 * How this phone stores the public records it writes (member entry, posts, agreements, hand-overs,
 * vouches): as Automerge scalars, about twenty times fewer ops than text (openspec/specs/write-rights),
 * once every hub of the community and the one this phone talks to have signed that they read them
 * (core/model/hub-record.ts); until then as text, which every version reads. The signature is the same
 * either way: it covers the values, not how they are stored.
 */
/**
 * How long the hub's answer is trusted: a phone that carries between islands may meet another hub at the
 * same address, so it asks again now and then (a write never waits for the answer).
 */
const ASK_AGAIN_MS = 10 * 60_000;

export class RecordForm {
  private hub?: string;
  private learnedAt = 0;
  private asking?: Promise<void>;

  /** Asks at once: a phone's first write (its member entry, at join) comes a few round trips later. */
  constructor(private readonly host: RecordFormHost) {
    void this.learnHub();
  }

  /** Asks the hub who it is (again, if it could not be reached before); writes meanwhile stay text. */
  learnHub(): Promise<void> {
    return (this.asking ??= Promise.resolve()
      .then(() => this.host.hubKey())
      .then((k) => {
        if (k === undefined) return;
        this.hub = k;
        this.learnedAt = Date.now();
      })
      .catch(() => undefined)
      .finally(() => (this.asking = undefined)));
  }

  /**
   * `record` as this phone stores it now. `joining`: the community doc a phone joins, before it has read
   * it as its own (its member entry is written first).
   */
  stored<T>(record: T, joining?: CommunityDoc): T {
    if (this.hub === undefined || Date.now() - this.learnedAt > ASK_AGAIN_MS) void this.learnHub();
    const doc = joining ?? this.host.community();
    const signed = joining ? readCommunity(joining) : this.host.signed();
    const scalars = signed !== undefined && scalarsReadEverywhere(doc, signed.settings.relays, this.hub, signed.id);
    return scalars ? scalarRecord(record) : record;
  }
}
