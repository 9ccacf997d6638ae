// Header names: compact forms and canonical spellings (RFC 3261 §7.3.3, §20; IANA "SIP
// Parameters" registry, "Header Fields" table), and which headers are comma-separated lists.

/** Compact form → full name (IANA registry; RFC 3261 §7.3.3 and later RFCs). */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

/** Canonical spellings used when this code writes a header it knows. */
const CANONICAL: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ...Object.values(COMPACT),
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Authentication-Info',
    'Authorization',
    'Call-Info',
    'Content-Disposition',
    'Content-Language',
    'CSeq',
    'Date',
    'Error-Info',
    'Expires',
    'In-Reply-To',
    'Max-Forwards',
    'Min-Expires',
    'Min-SE',
    'MIME-Version',
    'Organization',
    'P-Asserted-Identity',
    'P-Preferred-Identity',
    'Path',
    'Priority',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'Proxy-Require',
    'RAck',
    'Reason',
    'Record-Route',
    'Reply-To',
    'Require',
    'Retry-After',
    'Route',
    'RSeq',
    'Server',
    'Service-Route',
    'Subscription-State',
    'Timestamp',
    'Unsupported',
    'User-Agent',
    'Warning',
    'WWW-Authenticate',
  ].map((n) => [n.toLowerCase(), n]),
);

/**
 * Headers whose values are comma-separated lists (RFC 3261 §7.3.1: `Name: a, b` equals two
 * `Name:` fields). Everything else is one value per field — in particular the auth headers,
 * whose challenge/credentials contain commas, and Date-like values.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-contact',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'contact',
  'content-encoding',
  'content-language',
  'error-info',
  'history-info',
  'in-reply-to',
  'p-asserted-identity',
  'p-associated-uri',
  'p-preferred-identity',
  'path',
  'proxy-require',
  'reason',
  'record-route',
  'reject-contact',
  'request-disposition',
  'require',
  'route',
  'security-client',
  'security-server',
  'security-verify',
  'service-route',
  'supported',
  'unsupported',
  'via',
  'warning',
]);

/**
 * The lookup key of a header name: lower case, compact form expanded. `v`, `V` and `via` all
 * give `via`.
 */
export function headerKey(name: string): string {
  const known = knownHeaderKey(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  if (name.length === 1) {
    const full = COMPACT[lower];
    if (full !== undefined) return full.toLowerCase();
  }
  return lower;
}

/**
 * The key of a header name written in one of the usual spellings (`Via`, `v`, `Call-ID`, …),
 * found through a small table indexed by length and first character — no hashing and no
 * allocation; undefined for anything else.
 */
export function knownHeaderKey(name: string): string | undefined {
  const len = name.length;
  if (len >= COMMON_BY_LENGTH.length) return undefined;
  const bucket = COMMON_BY_LENGTH[len];
  if (bucket === undefined) return undefined;
  const c = name.charCodeAt(0);
  for (let i = 0; i < bucket.length; i += 2) {
    const candidate = bucket[i] as string;
    if (candidate.charCodeAt(0) === c && candidate === name) return bucket[i + 1] as string;
  }
  return undefined;
}

/** [name, key, name, key, …] per name length, for the spellings seen in practice. */
const COMMON_BY_LENGTH: Array<string[] | undefined> = (() => {
  const spellings = [
    ...Object.values(CANONICAL),
    'Call-Id',
    'Cseq',
    'Www-Authenticate',
    'Content-length',
    'Content-type',
    'Max-forwards',
    'Record-route',
    'Call-ID',
    'via',
    'from',
    'to',
    'call-id',
    'cseq',
    'contact',
    'content-length',
    'content-type',
    'max-forwards',
    'route',
    'record-route',
    ...Object.keys(COMPACT),
    ...Object.keys(COMPACT).map((c) => c.toUpperCase()),
  ];
  const out: Array<string[] | undefined> = [];
  for (const name of spellings) {
    const lower = name.toLowerCase();
    const key = name.length === 1 ? (COMPACT[lower] ?? lower).toLowerCase() : lower;
    const bucket = (out[name.length] ??= []);
    if (!bucket.some((v, i) => i % 2 === 0 && v === name)) bucket.push(name, key);
  }
  return out;
})();

/** The canonical spelling of a header name (`call-id` → `Call-ID`, `i` → `Call-ID`). */
export function canonicalHeaderName(name: string): string {
  return CANONICAL[headerKey(name)] ?? name;
}

/** True when the header's values are a comma-separated list that may be split. */
export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}
