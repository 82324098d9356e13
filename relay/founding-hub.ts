import type { DocHandle } from '@automerge/automerge-repo';
import { randomBytes } from '../src/core/crypto/keys.ts';
import { randomId } from '../src/core/crypto/encoding.ts';
import { newCommunityDoc } from '../src/core/model/community.ts';
import { createFounding, createSetting, foundingProblem, settingRecordProblem, type SettingRecord } from '../src/core/model/community-records.ts';
import { DEFAULT_COMMUNITY_NAME, defaultSettings, settingProblem, type CommunitySettings, type SettingKey } from '../src/core/model/community-settings.ts';
import type { CommunityView } from '../src/core/model/read-community.ts';
import { everRecords, type RecordHistory } from '../src/core/model/restore.ts';
import { createRetirement } from '../src/core/model/retirement.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import type { Logger } from './log.ts';
import type { RelayKey } from './relay-key.ts';

/** What the founding hub remembers of a community it founded (kept in relay.json). */
export interface FoundedState {
  /**
   * Relay keys this relay has put on the community's hubs list. Each is named once: an organiser who
   * later takes one off (a hub lost or seized) is not overruled at the next change.
   */
  namedRelays?: string[];
}

/**
 * What a relay does for a community it founds with its own key: the founding record, then, once each,
 * the first member as organiser, the hubs and origin its operator configured, and last its retirement
 * (core/model/retirement.ts). A relay's key lies on its disk; as founder it would be the community's root
 * for whoever takes that disk. Retired, its signatures count for nothing in the community's settings,
 * and the organisers run it. Each duty writes at most one record per call: the write comes back as a
 * change, and the next duty then reads a view that already holds it.
 */
export class FoundingHub {
  /** Communities this relay found it cannot retire from (said once in the log). */
  private readonly cannotRetire = new Set<string>();

  constructor(
    private readonly key: () => RelayKey,
    private readonly log: Logger,
    /** Other relays' keys this relay names in the communities it founds (--community-relay). */
    private readonly extraRelays: readonly string[] = [],
    /** The origin phones open (--origin), named in the communities this relay founds. */
    private readonly origin?: string,
  ) {}

  /** A new community founded with this relay's key: its doc, ready for repo.create. */
  newCommunity(name: string): { id: string; name: string; doc: CommunityDoc } {
    const id = randomId(randomBytes);
    const settings = { ...defaultSettings(settingProblem('name', name) ? DEFAULT_COMMUNITY_NAME : name), relays: this.relaysToName([]) };
    const founding = createFounding(this.key().secretKey, this.key().publicKey, id, settings, Date.now());
    return { id, name: settings.name, doc: newCommunityDoc(id, name, '', Date.now(), founding) };
  }

  /**
   * A community doc from before signed settings: this relay, which serves it, founds it with its own key
   * (settings copied from the doc where they are valid), so that from now on only signed changes count.
   */
  foundUnsigned(h: DocHandle<CommunityDoc>): void {
    const doc = h.doc();
    const settings = { ...defaultSettings(DEFAULT_COMMUNITY_NAME), relays: this.relaysToName([]) };
    for (const k of ['name', 'description', 'thresholds', 'categories', 'areas'] as const) {
      const v = structuredClone((doc as unknown as Record<string, unknown>)[k]);
      if (settingProblem(k, v) === null) (settings as Record<string, unknown>)[k] = v;
    }
    const id = typeof doc.id === 'string' && doc.id ? doc.id : randomId(randomBytes);
    const founding = createFounding(this.key().secretKey, this.key().publicKey, id, settings, Date.now());
    this.log.info({ community: id }, 'founding an unsigned community with this relay key');
    h.change((d) => {
      d.founding = founding;
      d.settings ??= {};
    });
  }

  /** This relay and the --community-relay keys, added to `current` (order kept, no repeats). */
  relaysToName(current: readonly string[]): string[] {
    return [...new Set([...current, this.key().publicKey, ...this.extraRelays])];
  }

  /**
   * The next duty in a community this relay founded and has not retired from, if any is due. `saved`
   * persists `state` (relay.json). The retirement waits for an organiser: without one nobody could
   * change a setting again.
   */
  duties(state: FoundedState, view: CommunityView, h: DocHandle<CommunityDoc>, history: RecordHistory, saved: () => void): void {
    if (view.founder !== this.key().publicKey || view.retired) return;
    if (this.appointFirstSteward(view, h)) return;
    if (this.nameRelays(state, view, h, saved)) return;
    if (this.nameOrigin(view, h)) return;
    if (view.stewards.some((s) => s !== view.founder)) this.retire(view, h, history);
  }

  /** The first member becomes the first organiser (as the first member has always been its founder). */
  private appointFirstSteward(view: CommunityView, h: DocHandle<CommunityDoc>): boolean {
    if (view.settings.stewards.length > 0) return false;
    const first = Object.values(view.members).sort((a, b) => a.joined - b.joined || (a.author < b.author ? -1 : 1))[0];
    if (!first) return false;
    this.log.info({ community: view.id, steward: first.author }, 'first member appointed steward');
    return this.sign(view, h, 'stewards', [first.author]);
  }

  /** Names the relays its operator listed (and itself), each once. */
  private nameRelays(state: FoundedState, view: CommunityView, h: DocHandle<CommunityDoc>, saved: () => void): boolean {
    // A relay from before this record started from the list as it stands: all of it was named already.
    // relay.json is read as it lies on disk: a field that is not a list of keys counts as never written.
    const recorded = Array.isArray(state.namedRelays) ? state.namedRelays.filter((k) => typeof k === 'string') : undefined;
    const named = new Set(recorded ?? view.settings.relays);
    const fresh = this.relaysToName([]).filter((k) => !named.has(k) && !view.settings.relays.includes(k));
    if (recorded === undefined || fresh.length > 0) {
      state.namedRelays = [...named, ...fresh];
      saved();
    }
    if (fresh.length === 0) return false;
    const relays = [...view.settings.relays, ...fresh];
    this.log.info({ community: view.id, relays }, 'community relays named');
    return this.sign(view, h, 'relays', relays);
  }

  /**
   * Names its --origin once, as a signed setting (not in the founding record, which phones that do not
   * know the setting must still read). An organiser's later choice stands.
   */
  private nameOrigin(view: CommunityView, h: DocHandle<CommunityDoc>): boolean {
    if (!this.origin || view.settings.origin !== undefined) return false;
    this.log.info({ community: view.id, origin: this.origin }, 'community origin named');
    return this.sign(view, h, 'origin', this.origin);
  }

  /** Gives up its founder rights, listing what it signed: its founding records and valid settings. */
  private retire(view: CommunityView, h: DocHandle<CommunityDoc>, history: RecordHistory): void {
    const doc = h.doc();
    const me = this.key().publicKey;
    const mine = (r: unknown): boolean => (r as { author?: unknown })?.author === me;
    const foundings = everRecords(doc?.founding ? { '': doc.founding } : {}, history, ['founding']).filter((r) => mine(r) && foundingProblem(r, view.id) === null) as { sig: string }[];
    const settings = everRecords(doc?.settings, history, ['settings']).filter((r) => mine(r) && settingRecordProblem(r, view.id) === null) as SettingRecord[];
    let record;
    try {
      record = createRetirement(this.key().secretKey, me, view.id, [...foundings, ...settings].map((r) => r.sig), Date.now());
    } catch (e) {
      // More records than a retirement lists: this relay stays founder (as before retirements) and says so, once.
      if (!this.cannotRetire.has(view.id)) this.log.warn({ community: view.id, err: (e as Error).message }, 'founding hub cannot retire: it signed too many settings');
      this.cannotRetire.add(view.id);
      return;
    }
    this.log.info({ community: view.id, stewards: view.stewards }, 'founding hub retired: its organisers run the community, and this relay key signs no setting that counts');
    h.change((d) => {
      d.retirements ??= {};
      d.retirements[record.id] = record;
    });
  }

  private sign<K extends SettingKey>(view: CommunityView, h: DocHandle<CommunityDoc>, key: K, value: CommunitySettings[K]): boolean {
    const rec = createSetting(this.key().secretKey, this.key().publicKey, view.id, key, value, Date.now());
    h.change((d) => {
      d.settings ??= {};
      d.settings[rec.id] = rec;
    });
    return true;
  }
}
