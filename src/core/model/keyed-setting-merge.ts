/**
 * How the keyed settings `removed` and `invites` fold over every organiser's signed records. Replacing
 * the whole map with the latest record lost work: two organisers removing two people at once, and only
 * the later removal held; two making invite links at once, and one link silently stopped admitting.
 * Here each key (an agent id, an invite hash) is decided on its own:
 *
 * - a record that lists a key makes an event about it at a time (`timeOf`: a removal's own time, an
 *   invite entry's record time): a value, or the tombstone (a removal's undo); the latest event wins,
 *   ties to the record later in the replay order;
 * - a record that leaves out a key its author last listed with a value takes back every value event
 *   about that key no newer than that listing: what the author knew of. This is how an organiser undid
 *   a removal or ended a link before, so those records read the same; a removal or link made by someone
 *   else later (which the author could not know of) stands.
 *
 * Fed in one deterministic order (read-community.ts), every replica gets the same map whatever order
 * the records reached it in.
 */
interface KeyEvent {
  value: number | undefined;
  at: number;
  /** Position in the replay, for ties. */
  seq: number;
}

export class KeyedSettingMerge {
  private readonly events = new Map<string, KeyEvent[]>();
  /** key -> its winning event (kept as events come, so reading the map stays cheap). */
  private readonly winners = new Map<string, KeyEvent | undefined>();
  /** author -> key -> time of their last listing of it with a value (absent: never, or a tombstone last). */
  private readonly listed = new Map<string, Map<string, number>>();
  private seq = 0;

  constructor(
    /** A value that lists a key but means "not in the map" (a removal's undo); undefined: none. */
    private readonly tombstone: number | undefined,
    private readonly timeOf: (value: number, updated: number) => number,
  ) {}

  /** Folds one honoured record (author, its map, its `updated`), in replay order. */
  add(author: string, map: Readonly<Record<string, number>>, updated: number): void {
    const mine = this.listed.get(author) ?? new Map<string, number>();
    for (const [key, at] of mine) {
      if (Object.hasOwn(map, key)) continue;
      const left = (this.events.get(key) ?? []).filter((e) => e.value === undefined || e.at > at);
      this.events.set(key, left);
      this.winners.set(key, latest(left));
      mine.delete(key);
    }
    for (const [key, value] of Object.entries(map)) {
      const undo = value === this.tombstone;
      const e: KeyEvent = { value: undo ? undefined : value, at: undo ? updated : this.timeOf(value, updated), seq: this.seq++ };
      const list = this.events.get(key) ?? [];
      list.push(e);
      this.events.set(key, list);
      this.winners.set(key, latest([this.winners.get(key), e]));
      if (undo) mine.delete(key);
      else mine.set(key, e.at);
    }
    this.listed.set(author, mine);
  }

  /** The map as it stands: keys whose latest standing event set a value, in key order. */
  value(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.winners.keys()].sort()) {
      const v = this.winners.get(key)?.value;
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
}

/** The winning event: latest time, ties to the later record. */
function latest(events: ReadonlyArray<KeyEvent | undefined>): KeyEvent | undefined {
  let win: KeyEvent | undefined;
  for (const e of events) if (e && (!win || e.at > win.at || (e.at === win.at && e.seq > win.seq))) win = e;
  return win;
}

/** A removal's undo, as listed in a `removed` record: the member counts again. */
export const READMITTED = 0;

/**
 * A fresh merge for `removed`: a removal's time is its own (so re-listing an old removal does not
 * override a later undo), never later than its record; 0 is an undo at the record's time.
 */
export const removedMerge = (): KeyedSettingMerge => new KeyedSettingMerge(READMITTED, (when, updated) => Math.min(when, updated));

/** A fresh merge for `invites`: every entry (an expiry, possibly past: an ended link) at its record's time. */
export const invitesMerge = (): KeyedSettingMerge => new KeyedSettingMerge(undefined, (_expires, updated) => updated);
