/** Hand-made wasm bytes for tests: the module header and custom sections, as the binary format lays them out. */

export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128, as wasm writes lengths. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

/** A custom section (id 0): its name, then whatever bytes. */
export function customSection(name: string, payload: ArrayLike<number>): number[] {
  const utf8 = new TextEncoder().encode(name);
  const body = [...leb(utf8.length), ...utf8, ...Array.from(payload)];
  return [0, ...leb(body.length), ...body];
}
