/**
 * Automerge's wasm carries a `name` custom section: 687 KB of its 3.6 MB, function names that only a
 * debugger or a panic's stack trace reads. The phone build drops it (vite.config.ts), which the browser
 * never needs to run the module, so a phone fetches fewer bytes over a weak mesh link before it can join.
 *
 * Written here rather than taken from binaryen (`wasm-opt --strip-debug`, a 13 MB package): dropping a
 * custom section is a walk over the module's top-level sections (WebAssembly core spec §5.5.2), and every
 * other byte stays as it was.
 */

import { concatBytes } from '../src/core/crypto/bytes.ts';

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const CUSTOM = 0;

/** An unsigned LEB128 u32 at `at`: its value and where it ends. */
function u32(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let shift = 0, i = at; shift < 35; shift += 7, i++) {
    if (i >= bytes.length) throw new Error('wasm: a section length runs past the end of the module');
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) {
      if (value > 0xffffffff) throw new Error('wasm: a section length is larger than 32 bits');
      return [value, i + 1];
    }
  }
  throw new Error('wasm: a section length is longer than five bytes');
}

function sectionName(bytes: Uint8Array, at: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`wasm: the custom section at byte ${at} has a name that is not UTF-8`);
  }
}

/** The module without its custom sections whose names are in `drop`; throws on bytes that are not a wasm module. */
export function withoutCustomSections(wasm: Uint8Array, drop: ReadonlySet<string>): Uint8Array<ArrayBuffer> {
  if (wasm.length < MAGIC.length || MAGIC.some((b, i) => wasm[i] !== b)) throw new Error('wasm: not a version 1 WebAssembly module');
  const kept: Uint8Array[] = [wasm.subarray(0, MAGIC.length)];
  let at = MAGIC.length;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at]!;
    const [size, body] = u32(wasm, at + 1);
    const end = body + size;
    if (end > wasm.length) throw new Error(`wasm: section ${id} at byte ${start} runs past the end of the module`);
    let dropped = false;
    if (id === CUSTOM) {
      const [nameLength, name] = u32(wasm, body);
      if (name + nameLength > end) throw new Error(`wasm: the custom section at byte ${start} has a name longer than itself`);
      dropped = drop.has(sectionName(wasm.subarray(name, name + nameLength), start));
    }
    if (!dropped) kept.push(wasm.subarray(start, end));
    at = end;
  }
  return concatBytes(...kept);
}

/** What the phone build drops: names for debuggers, and which compiler made the module. */
export const DEBUG_SECTIONS: ReadonlySet<string> = new Set(['name', 'producers']);
