// Session and transfer extension items (RFC 9174 §4.8, §5.2.5): a TLV list.

import { ByteReader, ByteWriter } from './bytes.ts';
import { ExtensionFlags, TransferExtensionType } from './constants.ts';
import type { ExtensionItem } from './messages.ts';

export function encodeExtensionItems(items: readonly ExtensionItem[]): Uint8Array {
  const w = new ByteWriter();
  for (const item of items) {
    w.u8(item.flags).u16(item.itemType).u16(item.value.length).bytes(item.value);
  }
  return w.finish();
}

/** Returns undefined when an item claims more bytes than the list holds (RFC: reception failed). */
export function parseExtensionItems(bytes: Uint8Array): ExtensionItem[] | undefined {
  const r = new ByteReader(bytes);
  const items: ExtensionItem[] = [];
  while (r.remaining > 0) {
    if (r.remaining < 5) return undefined;
    const flags = r.u8();
    const itemType = r.u16();
    const length = r.u16();
    if (length > r.remaining) return undefined;
    items.push({ flags, itemType, value: r.bytes(length) });
  }
  return items;
}

/** First item that is critical and whose type we do not implement. */
export function unknownCriticalItem(
  items: readonly ExtensionItem[],
  known: ReadonlySet<number>,
): ExtensionItem | undefined {
  return items.find((i) => (i.flags & ExtensionFlags.CRITICAL) !== 0 && !known.has(i.itemType));
}

export function transferLengthItem(total: bigint | number): ExtensionItem {
  const value = new ByteWriter(8).u64(total).finish();
  return { flags: 0, itemType: TransferExtensionType.TRANSFER_LENGTH, value };
}

export type TransferLength = { kind: 'absent' } | { kind: 'present'; total: bigint } | { kind: 'invalid' };

/** The Transfer Length extension must appear at most once and carry exactly a u64. */
export function readTransferLength(items: readonly ExtensionItem[]): TransferLength {
  const found = items.filter((i) => i.itemType === TransferExtensionType.TRANSFER_LENGTH);
  if (found.length === 0) return { kind: 'absent' };
  if (found.length > 1 || found[0].value.length !== 8) return { kind: 'invalid' };
  return { kind: 'present', total: new ByteReader(found[0].value).u64() };
}

export const KNOWN_TRANSFER_EXTENSIONS: ReadonlySet<number> = new Set([TransferExtensionType.TRANSFER_LENGTH]);
export const KNOWN_SESSION_EXTENSIONS: ReadonlySet<number> = new Set();
