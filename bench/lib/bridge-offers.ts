/**
 * Signed offers in bulk for the bridge benchmark. tweetnacl signs at ~10 ms per record on this
 * machine, so 10,000 offers would take minutes; ed25519 is deterministic, so node:crypto gives the
 * very same signature over the same canonical JSON (checked against signRecord on every run).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../src/core/crypto/canonical.ts';
import { utf8, toBase64Url } from '../../src/core/crypto/encoding.ts';
import type { Identity } from '../../src/core/crypto/keys.ts';
import { signRecord, verifyRecord, type Unsigned } from '../../src/core/crypto/sign.ts';
import { draftIntent } from '../../src/core/model/intent.ts';
import type { Intent } from '../../src/core/model/types.ts';

/** PKCS#8 header for a raw 32-byte ed25519 seed (RFC 8410). */
const PKCS8_ED25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

function nodeKey(me: Identity): KeyObject {
  const der = new Uint8Array(PKCS8_ED25519.length + 32);
  der.set(PKCS8_ED25519);
  der.set(me.signSecretKey.subarray(0, 32), PKCS8_ED25519.length);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

function fastSign(record: Unsigned<Intent>, key: KeyObject): Intent {
  const sig = sign(null, utf8.encode(canonicalJson(record)), key);
  return { ...record, sig: toBase64Url(new Uint8Array(sig)) } as Intent;
}

/**
 * Signs intents drafted by the app's draftIntent as `me`, with node:crypto; the first one is checked
 * against the app's signRecord (throws if they differ).
 */
export function intentSigner(me: Identity): (record: Unsigned<Intent>) => Intent {
  const key = nodeKey(me);
  let checked = false;
  return (record) => {
    const signed = fastSign(record, key);
    if (!checked) {
      if (signRecord<Intent>(record, me.signSecretKey).sig !== signed.sig || !verifyRecord(signed)) throw new Error('node:crypto ed25519 signature differs from signRecord');
      checked = true;
    }
    return signed;
  };
}

const CATEGORIES = ['food', 'tools', 'clothing', 'housing', 'transport', 'skills'];

/** An open offer drafted by the app's own draftIntent, so only the signer differs from createIntent. */
function unsignedOffer(me: Identity, member: number, i: number, now: number, audience: Intent['audience'] = 'public'): Unsigned<Intent> {
  return draftIntent(
    me.agentId,
    {
      kind: 'offer',
      category: CATEGORIES[(member + i) % CATEGORIES.length],
      title: `Offer ${i + 1} from member ${member + 1}`,
      description: i % 3 === 0 ? 'Pick up any evening after six, ring the bell twice.' : 'Happy to bring it round.',
      audience,
    },
    now,
  );
}

/** `n` signed offers by `me` (`audience` 'trusted': members-only); throws if node:crypto's signature differs from the app's signRecord. */
export function signedOffers(me: Identity, member: number, n: number, now: number, audience?: Intent['audience']): Intent[] {
  const signed = intentSigner(me);
  return Array.from({ length: n }, (_, i) => signed(unsignedOffer(me, member, i, now - (n - i) * 1000, audience)));
}
