import type { DocHandle } from '@automerge/automerge-repo/slim';
import { randomBytes, type Identity } from '../core/crypto/keys.ts';
import { activeInviteHashes, inviteSecretHash, newInviteSecret } from '../core/protocol/invite-secret.ts';
import { READMITTED } from '../core/model/keyed-setting-merge.ts';
import { retirementDigest } from '../core/model/retirement.ts';
import { encodeInvite } from '../core/protocol/invite.ts';
import { createSettingAs } from '../core/model/community-records.ts';
import { settingProblem, type CommunitySettings, type SettingKey } from '../core/model/community-settings.ts';
import type { CommunityView } from '../core/model/read-community.ts';
import type { CommunityDoc } from '../core/model/types.ts';
import { UserError } from './errors.ts';

/** The `limits` key of the community's largest library file, in whole megabytes. */
export const LIBRARY_FILE_MB = 'library-file-mb';

/** The largest file the community's library takes, in bytes, as its organisers signed it (none set: the library's own). */
export function libraryFileBytes(view: CommunityView | undefined): number | undefined {
  const mb = view?.settings.limits[LIBRARY_FILE_MB];
  return mb === undefined ? undefined : mb * 1024 * 1024;
}

/** What the settings editor needs from the rest of the phone. */
export interface CommunitySettingsHost {
  me(): Identity | undefined;
  /** The community doc once the docs are open, waiting for them after a start (undefined if they never open). */
  communityOpen(): Promise<DocHandle<CommunityDoc> | undefined>;
  /** The community as its founder and stewards signed it (last read). */
  signed(): CommunityView | undefined;
  wrote(): Promise<void>;
  /** Keeps a new invite link's secret on this phone, so its invite screen shows the link that works. */
  keepInviteSecret(secret: string): Promise<void>;
  /** The key of the community hub this phone is connected to, or undefined when it cannot be reached. */
  hubKey(): Promise<string | undefined>;
}

/**
 * An organiser's changes to the community's settings: each is a steward-signed setting record
 * (core/model/community-records.ts) added to the community doc. Every phone honours it only if its author
 * is a steward in the founder-pinned chain, so this checks the same first and says so plainly.
 */
export class CommunitySettingsEditor {
  constructor(private readonly host: CommunitySettingsHost) {}

  /** Whether I am an organiser (a signed steward) of this community. */
  amOrganiser(): boolean {
    const me = this.host.me()?.agentId;
    return !!me && !!this.host.signed()?.stewards.includes(me);
  }

  /** Saves the settings that differ from the signed ones; every value is checked before anything is written. */
  async save(changes: Partial<CommunitySettings>): Promise<SettingKey[]> {
    const me = this.host.me();
    const handle = await this.host.communityOpen();
    const view = this.host.signed();
    if (!me || !handle || !view) throw new UserError('error.notReady');
    if (!this.amOrganiser()) throw new UserError('cs.notOrganiser');
    const keys = (Object.keys(changes) as SettingKey[]).filter((k) => JSON.stringify(changes[k]) !== JSON.stringify(view.settings[k]));
    for (const k of keys) {
      const problem = settingProblem(k, changes[k]);
      if (problem) throw new UserError(problem);
    }
    if (keys.length === 0) return [];
    const now = Date.now();
    const records = keys.map((k) => createSettingAs(me, view.id, k, changes[k] as never, now));
    handle.change((d) => {
      d.settings ??= {};
      for (const r of records) d.settings[r.id] = r;
    });
    await this.host.wrote();
    return keys;
  }

  /**
   * Removes a member: every phone stops counting them and the community hub ends their connection and
   * refuses them. The founder (root of every right) and I cannot be removed.
   */
  async removeMember(agentId: string, now = Date.now()): Promise<void> {
    const view = this.host.signed();
    if (!view) throw new UserError('error.notReady');
    if (agentId === view.founder || agentId === this.host.me()?.agentId) throw new UserError('cs.cannotRemove');
    await this.save({ removed: { ...(view.settings.removed ?? {}), [agentId]: now } });
  }

  /**
   * Undoes a removal: a later signed list naming them as let back in (READMITTED). Leaving them out
   * would not do: lists merge across organisers, and an organiser's omission undoes only their own.
   */
  async undoRemoval(agentId: string): Promise<void> {
    const view = this.host.signed();
    if (!view) throw new UserError('error.notReady');
    const { [agentId]: _gone, ...rest } = view.settings.removed ?? {};
    await this.save({ removed: { ...rest, [agentId]: READMITTED } });
  }

  /** The key of the hub this phone is connected to (to tell it apart in the list), if it can be reached. */
  connectedHub(): Promise<string | undefined> {
    return this.host.hubKey();
  }

  /**
   * Names the hub this phone is connected to in the community's hubs list: its change-sets then count on
   * every hub of the community (an organiser visiting a new island's hub adds it from there).
   */
  async trustConnectedHub(): Promise<string> {
    const view = this.host.signed();
    if (!view) throw new UserError('error.notReady');
    const key = await this.host.hubKey();
    if (!key) throw new UserError('error.relayUnreachable');
    if (!view.settings.relays.includes(key)) await this.save({ relays: [...view.settings.relays, key] });
    return key;
  }

  /**
   * Takes a hub off the list: its change-sets stop counting on every other hub (for a hub that was lost,
   * seized or handed over). What it already brought stays.
   */
  async stopTrustingHub(key: string): Promise<void> {
    const view = this.host.signed();
    if (!view) throw new UserError('error.notReady');
    await this.save({ relays: view.settings.relays.filter((k) => k !== key) });
  }

  /**
   * A new invite link; every link made before stops admitting newcomers (members keep their access).
   * `expires` (ms, 0 = never) ends this one too. Returns the link to share.
   */
  async newInviteLink(expires = 0): Promise<string> {
    const me = this.host.me();
    const handle = await this.host.communityOpen();
    const view = this.host.signed();
    if (!me || !handle || !view) throw new UserError('error.notReady');
    const secret = newInviteSecret(randomBytes);
    // Links merge across organisers: the ones I see are ended by name (expired now), so a link another
    // organiser makes at the same moment keeps working.
    const now = Date.now();
    const ended = Object.fromEntries(activeInviteHashes(view.settings.invites, now).map((h) => [h, now]));
    await this.save({ invites: { ...ended, [inviteSecretHash(secret)]: expires } });
    await this.host.keepInviteSecret(secret);
    const retirement = view.retirement ? retirementDigest(view.retirement) : undefined;
    return encodeInvite({ url: handle.url, name: view.settings.name, inviter: me.agentId, founder: view.founder, retirement, secret });
  }
}
