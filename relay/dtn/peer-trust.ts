import type { Communities } from '../communities.ts';
import type { Contact } from './contact.ts';

/**
 * Is this contact one of our communities' relays? Only over TLS, where the handshake proved the peer
 * holds the key of its certificate, and only when a community served here names that key in its
 * steward-signed relays list. What an authenticated contact hands over is still judged bundle by bundle
 * (change-sets by their own signatures, received-policy caps for all): a bundle may have been written
 * far from the relay that carries it in.
 */
export function isCommunityRelay(c: Contact, communities: Communities): boolean {
  const key = c.session.tls?.ed25519Key;
  return key !== undefined && communities.relayMayWrite(undefined, key);
}
