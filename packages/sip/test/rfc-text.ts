// Turns a torture message written in the notation of RFC 4475 §2 into the bytes it stands for:
//   §2.1 <allOneLine>…</allOneLine>: the lines between the tags are concatenated directly
//        (line ends dropped; whitespace at a fold point sits at the start of the next line);
//   §2.2 <hex>…</hex>: the octets given as hex pairs (non-printable and non-ASCII bytes);
//   §2.3 <repeat count=N>s</repeat>: s repeated N times.
// Every remaining line end is CRLF on the wire. RFC 5118 uses the same notation.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const encoder = new TextEncoder();

export function expandRfcText(text: string): Uint8Array {
  let s = text.replace(/\r\n/g, '\n');
  s = s.replace(/<allOneLine>\n([\s\S]*?)\n<\/allOneLine>/g, (_m, inner: string) => inner.replace(/\n/g, ''));
  s = s.replace(/<repeat count=(\d+)>([^<]*)<\/repeat>/g, (_m, count: string, value: string) =>
    value.repeat(Number(count)),
  );
  s = s.replace(/\n/g, '\r\n');
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const m of s.matchAll(/<hex>([0-9A-Fa-f\s]*)<\/hex>/g)) {
    chunks.push(encoder.encode(s.slice(last, m.index)));
    const hex = (m[1] as string).replace(/\s+/g, '');
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    chunks.push(bytes);
    last = (m.index as number) + m[0].length;
  }
  chunks.push(encoder.encode(s.slice(last)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Reads and expands `test/fixtures/<dir>/<name>.txt`. */
export function fixture(dir: 'rfc4475' | 'rfc5118', name: string): Uint8Array {
  const path = fileURLToPath(new URL(`./fixtures/${dir}/${name}.txt`, import.meta.url));
  return expandRfcText(readFileSync(path, 'utf8'));
}
