import nacl from 'tweetnacl';
import { canonicalJson } from '../crypto/canonical.ts';
import { fromBase64Url, randomId, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';
import { isAgentId, isB64, isBody, isMessageId, isTime } from './checks.ts';
import { MAX_PLAINTEXT, PAD_BLOCK, pad, unpad } from './padding.ts';
import { MAX_TEXT_CHARS, type Envelope, type Message, type MessageBody, type OpenFailure, type OpenResult, type Random, type SealedMessage } from './types.ts';

/**
 * Clock limits. Bundles can wait days for a bridge, so the age limit is generous; it exists so that
 * an Inbox can forget ids older than it (pruneSeen) and still refuse every replay. Phones on an
 * island without network time drift, so a day of future skew is allowed.
 */
export const MAX_AGE_MS = 30 * 24 * 3_600_000;
export const MAX_FUTURE_MS = 24 * 3_600_000;
/** Largest ciphertext: padded plaintext plus the box tag. */
export const MAX_CT_BYTES = MAX_PLAINTEXT + nacl.box.overheadLength;

export interface Recipient {
  agentId: string;
  /** x25519 public key, base64url (Profile.boxKey). */
  boxKey: string;
}

export interface OpenOptions {
  /** When given, a sender for whom it returns undefined/null/false is refused as 'unknown-sender'. */
  lookupSender?: (agentId: string) => unknown;
  maxAgeMs?: number;
  maxFutureMs?: number;
}

function checkBody(body: MessageBody): void {
  if (body.kind === 'text' && (typeof body.text !== 'string' || body.text.length === 0 || body.text.length > MAX_TEXT_CHARS))
    throw new RangeError(`a message text is 1..${MAX_TEXT_CHARS} characters`);
  if (!isBody(body)) throw new RangeError('not a message body');
}

/** Seals `body` from `sender` to `recipient`. Throws RangeError only for the caller's own bad input. */
export function sealMessage(sender: Identity, recipient: Recipient, body: MessageBody, now: number, random: Random = randomBytes): SealedMessage {
  checkBody(body);
  if (!isAgentId(recipient.agentId) || !isB64(recipient.boxKey, nacl.box.publicKeyLength)) throw new RangeError('recipient needs an agent id and a 32-byte box key');
  if (!isTime(now)) throw new RangeError('now must be ms since the epoch');
  const message = signRecord<Message>(
    { type: 'message', id: randomId(random), author: sender.agentId, to: recipient.agentId, created: now, boxKey: toBase64Url(sender.boxPublicKey), body: { ...body } },
    sender.signSecretKey,
  );
  const plaintext = pad(utf8.encode(canonicalJson(message)));
  if (plaintext.length > MAX_PLAINTEXT) throw new RangeError('message too large');
  const ephemeral = nacl.box.keyPair.fromSecretKey(random(nacl.box.secretKeyLength));
  const nonce = random(nacl.box.nonceLength);
  const ct = nacl.box(plaintext, nonce, fromBase64Url(recipient.boxKey), ephemeral.secretKey);
  return { envelope: { v: 1, to: recipient.agentId, epk: toBase64Url(ephemeral.publicKey), nonce: toBase64Url(nonce), ct: toBase64Url(ct) }, message };
}

/** The delivery receipt for a message `me` received, sealed back to its author. */
export function sealReceipt(me: Identity, received: Message, now: number, random: Random = randomBytes): SealedMessage {
  return sealMessage(me, { agentId: received.author, boxKey: received.boxKey }, { kind: 'receipt', of: received.id }, now, random);
}

export function isEnvelope(e: unknown): e is Envelope {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return (
    o.v === 1 &&
    Object.keys(o).length === 5 &&
    isAgentId(o.to) &&
    isB64(o.epk, nacl.box.publicKeyLength) &&
    isB64(o.nonce, nacl.box.nonceLength) &&
    typeof o.ct === 'string' &&
    o.ct.length <= Math.ceil((MAX_CT_BYTES * 4) / 3) &&
    isCiphertext(o.ct)
  );
}

/** A box of a padded plaintext: tag plus a whole number of pad blocks. */
function isCiphertext(ct: string): boolean {
  if (!isB64(ct)) return false;
  const n = fromBase64Url(ct).length - nacl.box.overheadLength;
  return n > 0 && n % PAD_BLOCK === 0 && n <= MAX_PLAINTEXT;
}

function isMessage(m: unknown): m is Message {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const o = m as Record<string, unknown>;
  return (
    o.type === 'message' &&
    Object.keys(o).length === 8 &&
    isMessageId(o.id) &&
    isAgentId(o.author) &&
    isAgentId(o.to) &&
    isTime(o.created) &&
    isB64(o.boxKey, nacl.box.publicKeyLength) &&
    isBody(o.body) &&
    typeof o.sig === 'string'
  );
}

function decrypt(me: Identity, e: Envelope): Uint8Array | null {
  const ct = fromBase64Url(e.ct);
  if (ct.length > MAX_CT_BYTES) return null;
  const epk = fromBase64Url(e.epk);
  // X25519 ignores the top bit of a public key, so one with it set is a second spelling of another
  // envelope (a sender's key never has it: keys are below 2^255). Refused as tampered, not opened.
  if (epk[nacl.box.publicKeyLength - 1] & 0x80) return null;
  return nacl.box.open(ct, fromBase64Url(e.nonce), epk, me.boxSecretKey);
}

function parseInner(plain: Uint8Array): unknown {
  const json = unpad(plain);
  if (!json) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    return undefined;
  }
}

const fail = (reason: OpenFailure): OpenResult => ({ ok: false, reason });

/**
 * Opens an envelope addressed to `me`. Total: any input gives a result, never an exception. Checks,
 * in order: envelope shape, envelope recipient, decryption, inner shape, inner recipient, signature,
 * sender lookup, clock limits.
 */
export function openMessage(me: Identity, envelope: unknown, now: number, options: OpenOptions = {}): OpenResult {
  try {
    if (!isEnvelope(envelope)) return fail('malformed');
    if (envelope.to !== me.agentId) return fail('wrong-recipient');
    const plain = decrypt(me, envelope);
    if (!plain) return fail('tampered');
    const inner = parseInner(plain);
    if (!isMessage(inner)) return fail('malformed');
    if (inner.to !== me.agentId) return fail('wrong-recipient');
    if (!verifyRecord(inner)) return fail('bad-signature');
    if (options.lookupSender && !knownSender(options.lookupSender, inner.author)) return fail('unknown-sender');
    if (inner.created < now - (options.maxAgeMs ?? MAX_AGE_MS)) return fail('too-old');
    if (inner.created > now + (options.maxFutureMs ?? MAX_FUTURE_MS)) return fail('from-future');
    return { ok: true, message: inner };
  } catch {
    // A throwing lookupSender, or anything unforeseen in a peer's bytes, must not escape.
    return fail('malformed');
  }
}

function knownSender(lookup: (agentId: string) => unknown, agentId: string): boolean {
  try {
    return Boolean(lookup(agentId));
  } catch {
    return false;
  }
}

/** The DTN endpoint a message for `agentId` is sent to. */
export { inboxEndpoint } from '../protocol/endpoints.ts';
