import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeInvite } from '../src/core/protocol/invite.ts';
import { inviteSecretHash, isInviteSecret, newInviteSecret } from '../src/core/protocol/invite-secret.ts';
import type { ServedCommunity } from './communities.ts';
import type { StateFiles } from './sealed-data.ts';

const SECRET_FILE = 'first-organiser.json';
/** Where the operator finds the invite for a community nobody has joined yet (also in the log at start). */
export const FIRST_ORGANISER_INVITE_FILE = 'first-organiser-invite.txt';

/**
 * Who may be the first to join a community this relay serves. Until someone has, whoever joins first
 * founds it in practice (the relay appoints them organiser), so a stranger on the Wi-Fi who reached a
 * fresh hub before its organiser did would have taken it over. Now the first person needs the relay's
 * first-organiser invite: an invite link whose secret only this relay holds (in its data dir, sealed
 * when the data dir is) and prints for its operator. From the hub machine itself (loopback) the plain
 * community address still admits, unless `--first-organiser-link-only` (behind a reverse proxy on the
 * same machine every request comes from loopback). Once the community has a member, its organisers'
 * invite links admit newcomers as before, and this secret admits nobody.
 */
export class FirstOrganiser {
  readonly hash: string;

  private constructor(
    private readonly secret: string,
    /** Whether a session or request from the hub machine itself may found without the link. */
    readonly localMayFound: boolean,
  ) {
    this.hash = inviteSecretHash(secret);
  }

  /** Whether a request or socket from `address` (its peer's IP) may found a community without the invite. */
  mayFoundFrom(address: string | undefined): boolean {
    return this.localMayFound && address !== undefined && (net.isIPv4(address) ? address.startsWith('127.') : address === '::1' || address.startsWith('::ffff:127.'));
  }

  /** The relay's secret, made on its first start and kept in `dataDir` from then on. */
  static async open(dataDir: string, files: StateFiles, localMayFound: boolean): Promise<FirstOrganiser> {
    const file = path.join(dataDir, SECRET_FILE);
    const kept = await files.read<{ secret?: unknown }>(file, 'first-organiser');
    if (kept && isInviteSecret(kept.secret)) return new FirstOrganiser(kept.secret, localMayFound);
    const secret = newInviteSecret((n) => new Uint8Array(randomBytes(n)));
    await files.write(file, 'first-organiser', { secret });
    return new FirstOrganiser(secret, localMayFound);
  }

  /** The invite the first organiser of `c` joins with (the app's invite format, with the relay's secret). */
  invite(c: Pick<ServedCommunity, 'url' | 'name' | 'founder' | 'retirement'>): string {
    return encodeInvite({ url: c.url, name: c.name, founder: c.founder, retirement: c.retirement, secret: this.secret });
  }

  /**
   * Writes the invites of the communities that have no member yet where the operator looks, readable by
   * the relay's user only; removes the file once none is waiting (the secret then admits nobody, and a
   * disk that is seized later does not show it in the clear).
   */
  async publish(dataDir: string, waiting: readonly Pick<ServedCommunity, 'url' | 'name' | 'founder' | 'retirement'>[]): Promise<void> {
    const file = path.join(dataDir, FIRST_ORGANISER_INVITE_FILE);
    if (waiting.length === 0) await rm(file, { force: true });
    else await writeFile(file, waiting.map((c) => `${this.invite(c)}\n`).join(''), { mode: 0o600 });
  }
}
