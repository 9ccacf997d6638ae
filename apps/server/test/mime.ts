// Just enough MIME to read the mail the server sends in tests: headers, multipart bodies,
// quoted-printable and base64 parts (RFC 2045/2046).
export interface MimePart {
  readonly headers: Record<string, string>;
  /** Decoded body (text parts as a string, others as bytes). */
  readonly body: string;
  readonly bytes: Uint8Array;
  readonly parts: readonly MimePart[];
}

function splitHead(raw: string): [Record<string, string>, string] {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return [headers, body];
}

function decodeQuotedPrintable(text: string): Uint8Array {
  const soft = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(c, 'utf8'));
  }
  return new Uint8Array(out);
}

export function parseMime(raw: string): MimePart {
  const [headers, body] = splitHead(raw);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const chunks = body.split(`--${boundary}`).slice(1);
    const parts = chunks
      .filter((c) => !c.startsWith('--'))
      .map((c) => parseMime(c.replace(/^\r\n/, '').replace(/\r\n$/, '')));
    return { headers, body: '', bytes: new Uint8Array(), parts };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'))
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : new Uint8Array(Buffer.from(body, 'utf8'));
  return { headers, body: Buffer.from(bytes).toString('utf8'), bytes, parts: [] };
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}
