/**
 * Draws the app icons (a sun over a leaf-green field) as PNGs with no image library: the icons are
 * simple shapes, and this keeps the build free of native image dependencies. Run once; output is committed.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x / size, y / size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

function icon(scale: number, rounded: boolean) {
  return (x: number, y: number): [number, number, number, number] => {
    const r = 0.18;
    const inCorner = (cx: number, cy: number) => Math.hypot(x - cx, y - cy) > r;
    if (rounded && ((x < r && y < r && inCorner(r, r)) || (x > 1 - r && y < r && inCorner(1 - r, r)) || (x < r && y > 1 - r && inCorner(r, 1 - r)) || (x > 1 - r && y > 1 - r && inCorner(1 - r, 1 - r)))) return [0, 0, 0, 0];
    const u = (x - 0.5) / scale + 0.5;
    const v = (y - 0.5) / scale + 0.5;
    const d = Math.hypot(u - 0.5, v - 0.42);
    if (d < 0.2) return [250, 204, 21, 255];
    const ray = d < 0.3 && Math.abs(Math.sin(Math.atan2(v - 0.42, u - 0.5) * 6)) > 0.85;
    if (ray) return [250, 204, 21, 255];
    if (v > 0.68 + 0.05 * Math.sin(u * 9)) return [27, 94, 32, 255];
    return [47, 107, 47, 255];
  };
}

writeFileSync('public/icons/icon-192.png', png(192, icon(1, true)));
writeFileSync('public/icons/icon-512.png', png(512, icon(1, true)));
// Maskable: full bleed, content inside the 80 % safe zone.
writeFileSync('public/icons/icon-maskable-512.png', png(512, icon(0.8, false)));
