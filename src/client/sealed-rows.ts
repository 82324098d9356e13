import { toBase64Url } from '../core/crypto/encoding.ts';
import { SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../core/crypto/secretbox.ts';
import type { OpenedBefore } from '../core/model/sealed-memo.ts';
import type { Intent } from '../core/model/types.ts';
import type { IntentRow } from './local-store.ts';
import type { PhoneVault } from './vault.ts';

/** Most rows remembered opened; beyond that the oldest are opened again when next read. */
const MAX_OPENED = 50_000;

/** Where a row's post was opened from, as its `opened` field holds it (sealed), tied to the row's own seal. */
type Source = Omit<OpenedBefore, 'record'>;
interface SealedSource extends Source {
  /** idOf the row's seal (null only for a seal too short to be one). */
  row: string | null;
}

/**
 * Index rows of members-only posts, sealed under the data key, opened once per session: the list opens
 * them to filter and count on every refresh, and the community read takes its known posts from them.
 * A row is known by its nonce and Poly1305 tag (vault/secretbox.ts: nonce ‖ tag ‖ ciphertext): nobody
 * without the data key can make another row with the same tag that opens. Forgotten when the data key
 * changes (a duress unlock puts the decoy's key in its place).
 */
export class SealedRows {
  private opened = new Map<string, Intent>();
  private dek?: Uint8Array;

  constructor(private readonly vault: PhoneVault) {}

  /** A members-only post sealed for its row (and remembered opened). Throws when the phone is locked. */
  seal(intent: Intent): Uint8Array {
    const sealed = this.vault.seal(intent);
    this.remember(sealed, intent);
    return sealed;
  }

  /** The row's `opened` field: the entry its post came from, sealed and tied to the row's seal. */
  sealSource(sealed: Uint8Array, source: Source): Uint8Array {
    return this.vault.seal({ digest: source.digest, epoch: source.epoch, kid: source.kid, row: idOf(sealed) } satisfies SealedSource);
  }

  /** The post in a sealed row; throws when it does not open with the data key (or the phone is locked). */
  open(sealed: Uint8Array): Intent {
    this.sameKey();
    const id = idOf(sealed);
    const known = id === null ? undefined : this.opened.get(id);
    if (known) return known;
    const intent = this.vault.open<Intent>(sealed);
    this.remember(sealed, intent);
    return intent;
  }

  /** The entry a row's post was opened from, or undefined (none noted, or it does not open or belong to this row). */
  source(row: IntentRow): Source | undefined {
    if (!row.opened || !row.sealed) return undefined;
    try {
      const s = this.vault.open<Partial<SealedSource>>(row.opened);
      const ok = typeof s.digest === 'string' && Number.isSafeInteger(s.epoch) && typeof s.kid === 'string' && typeof s.row === 'string' && s.row === idOf(row.sealed);
      return ok ? { digest: s.digest!, epoch: s.epoch!, kid: s.kid! } : undefined;
    } catch {
      return undefined;
    }
  }

  private remember(sealed: Uint8Array, intent: Intent): void {
    this.sameKey();
    const id = idOf(sealed);
    if (id === null) return;
    if (this.opened.size >= MAX_OPENED) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(id, intent);
  }

  private sameKey(): void {
    if (this.dek === this.vault.dek) return;
    this.opened.clear();
    this.dek = this.vault.dek;
  }
}

function idOf(sealed: Uint8Array): string | null {
  const head = SECRETBOX_NONCE_BYTES + SECRETBOX_OVERHEAD;
  return sealed instanceof Uint8Array && sealed.length >= head ? toBase64Url(sealed.subarray(0, head)) : null;
}
