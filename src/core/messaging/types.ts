import type { Signed } from '../crypto/sign.ts';
import { CodedError } from '../errors/coded-error.ts';

export const MAX_TEXT_CHARS = 4000;

export type MessageBody =
  | { kind: 'text'; text: string }
  /** Delivery receipt for the message with id `of`, sealed back to its sender like any message. */
  | { kind: 'receipt'; of: string };

/**
 * What a relay sees (in a bundle to `dtn://<to>/~inbox`): the recipient and opaque bytes. epk is a
 * fresh x25519 key per message, so two messages from the same sender share nothing in the clear.
 * Binary fields are base64url so that an Envelope can be stored as JSON (the phone's local tables, the Outbox).
 */
export interface Envelope {
  v: 1;
  /** Recipient agent id (ed25519 public key, base64url): the routing information. */
  to: string;
  /** Ephemeral x25519 public key, 32 bytes. */
  epk: string;
  /** 24 random bytes. */
  nonce: string;
  /** nacl.box(padded canonical JSON of the Message, nonce, recipient box key, ephemeral secret). */
  ct: string;
}

/**
 * The sealed record, signed by its author (ed25519, canonical JSON without `sig`) so that the
 * recipient knows who wrote it; `to` is signed too, so a recipient cannot re-seal it to someone else
 * as if it had been written to them. `type` keeps a message signature from passing for any other
 * kind of signed record.
 */
export interface Message extends Signed {
  type: 'message';
  /** Random 128-bit id, base64url: the replay and receipt key. */
  id: string;
  /** Recipient agent id. */
  to: string;
  created: number;
  /** The author's x25519 public key, so the recipient can answer (and send a receipt) without a directory. */
  boxKey: string;
  body: MessageBody;
}

export interface SealedMessage {
  envelope: Envelope;
  /** The plaintext record, for the sender's own Inbox (recordSent). */
  message: Message;
}

export type OpenFailure = 'malformed' | 'wrong-recipient' | 'tampered' | 'bad-signature' | 'unknown-sender' | 'too-old' | 'from-future';

export type OpenResult = { ok: true; message: Message } | { ok: false; reason: OpenFailure };

export type Random = (n: number) => Uint8Array;

export class MessagingError extends CodedError<'malformed' | 'full'> {
  override name = 'MessagingError';
}
