import { inflateSync } from 'node:zlib';

/**
 * Text of a PDF as Chromium (Skia/PDF) writes it: Type0 fonts with Identity-H encoding, hex glyph
 * strings in Tj/TJ, and a ToUnicode CMap per font. Enough to check what a printed sheet says; not a
 * general PDF reader (no literal strings, no object streams, no encryption). One line per BT…ET run.
 */
export function pdfText(pdf: Uint8Array): string {
  const objects = parseObjects(Buffer.from(pdf));
  const lines: string[] = [];
  for (const obj of objects.values()) {
    if (!/\/Type\s*\/Page\b/.test(obj.dict)) continue;
    const fonts = new Map<string, Map<number, string>>();
    const fontDict = /\/Font\s*<<([^>]*)>>/.exec(obj.dict)?.[1] ?? '';
    for (const [, name, ref] of fontDict.matchAll(/\/(\w+)\s+(\d+)\s+0\s+R/g)) {
      const toUnicode = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(objects.get(Number(ref))?.dict ?? '')?.[1];
      const cmap = toUnicode ? objects.get(Number(toUnicode))?.stream : undefined;
      fonts.set(name, cmap ? parseCMap(cmap.toString('latin1')) : new Map());
    }
    const contents = /\/Contents\s+(?:(\d+)\s+0\s+R|\[([^\]]*)\])/.exec(obj.dict);
    const refs = contents?.[1] ? [contents[1]] : [...(contents?.[2] ?? '').matchAll(/(\d+)\s+0\s+R/g)].map((m) => m[1]);
    for (const ref of refs) lines.push(...showText(objects.get(Number(ref))?.stream?.toString('latin1') ?? '', fonts));
  }
  return lines.join('\n');
}

/** Whitespace-insensitive containment: Chromium splits words into runs wherever it positions glyphs. */
export function pdfContains(text: string, needle: string): boolean {
  const squash = (s: string) => s.replace(/\s+/g, '');
  return squash(text).includes(squash(needle));
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const out = new Map<number, PdfObject>();
  const text = pdf.toString('latin1');
  for (const m of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = m[2];
    const at = body.indexOf('stream');
    if (at < 0) {
      out.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, at);
    let start = at + 'stream'.length;
    if (body[start] === '\r') start++;
    if (body[start] === '\n') start++;
    const end = body.lastIndexOf('endstream');
    let raw = Buffer.from(body.slice(start, end), 'latin1');
    if (/\/FlateDecode/.test(dict)) {
      try {
        raw = inflateSync(raw);
      } catch {
        // a font program or image we do not need
      }
    }
    out.set(Number(m[1]), { dict, stream: raw });
  }
  return out;
}

function parseCMap(src: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, from, to] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(from, 16), utf16(to));
  }
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, a, b, dst, list] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g)) {
      const lo = parseInt(a, 16);
      const hi = parseInt(b, 16);
      const items = list ? [...list.matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => x[1]) : [];
      for (let c = lo; c <= hi && c - lo < 65536; c++) {
        if (list) map.set(c, utf16(items[c - lo] ?? ''));
        else map.set(c, String.fromCharCode(parseInt(dst!, 16) + (c - lo)));
      }
    }
  }
  return map;
}

/** Decodes the hex strings of Tj/TJ with the current font's CMap; one output line per BT…ET. */
function showText(content: string, fonts: Map<string, Map<number, string>>): string[] {
  const lines: string[] = [];
  let font = new Map<number, string>();
  let line = '';
  for (const m of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b/g)) {
    if (m[1] !== undefined) font = fonts.get(m[1]) ?? new Map();
    else if (m[2] !== undefined) for (const g of m[2].match(/.{4}/g) ?? []) line += font.get(parseInt(g, 16)) ?? '';
    else {
      lines.push(line);
      line = '';
    }
  }
  return lines.filter((l) => l.trim() !== '');
}
