import { stringifyAutomergeUrl, type BinaryDocumentId } from '@automerge/automerge-repo/slim';
import type { Identity } from '../core/crypto/keys.ts';
import { DEFAULT_THRESHOLDS } from '../core/model/types.ts';
import { encodeInvite } from '../core/protocol/invite.ts';
import { decoyFounder, decoyIdentity } from '../core/vault/decoy.ts';
import { TrustBook, type TrustView } from './trust-book.ts';

/**
 * What the decoy shows after the duress PIN: this person's name and community in the header and Settings,
 * its own keys (from the duress key, so the same each time) and an invite that leads nowhere.
 */
export function decoyView(decoyKey: Uint8Array, communityName: string): { me: Identity; invite: string } {
  const me = decoyIdentity(decoyKey);
  const url = stringifyAutomergeUrl(decoyKey.slice(0, 16) as BinaryDocumentId);
  return { me, invite: encodeInvite({ url, name: communityName, inviter: me.agentId, founder: decoyFounder(decoyKey) }) };
}

/** A plausible newcomer's trust view for the decoy: nobody trusted yet, the usual "how to get vouched". */
export function decoyTrust(now: number): TrustView {
  return new TrustBook().compute({ viewer: 'decoy', anchors: [], founder: false }, DEFAULT_THRESHOLDS, 'steward', now);
}
