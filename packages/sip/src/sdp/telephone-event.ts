// The fmtp of `telephone-event` (RFC 4733 §7.1.1): a list of event numbers and ranges,
// e.g. `0-15`, `0-16`, `0-15,66,70`. Without an fmtp line the receiver assumes `0-15`
// (RFC 4733 §2.4.1).

export const IMPLIED_TELEPHONE_EVENTS = '0-15';

/** Events are 0..255 (RFC 4733 §2.3.4: the event field is 8 bits). */
const MAX_EVENT = 255;

/** The set of events an fmtp value lists, or undefined when it is not a valid list. */
export function parseEventList(value: string): Set<number> | undefined {
  const out = new Set<number>();
  const text = value.replace(/[ \t]/g, '');
  if (text === '') return undefined;
  for (const item of text.split(',')) {
    const m = /^([0-9]{1,3})(?:-([0-9]{1,3}))?$/.exec(item);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from > MAX_EVENT || to > MAX_EVENT || to < from) return undefined;
    for (let e = from; e <= to; e++) out.add(e);
  }
  return out;
}

/** Writes a set of events compactly: `0-16`, `0-15,66,70`. Empty sets give ''. */
export function formatEventList(events: Iterable<number>): string {
  const sorted = [...new Set(events)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    const from = sorted[i] as number;
    let to = from;
    while (i + 1 < sorted.length && sorted[i + 1] === to + 1) {
      to++;
      i++;
    }
    i++;
    parts.push(from === to ? `${from}` : `${from}-${to}`);
  }
  return parts.join(',');
}

/**
 * The events both sides support, as an fmtp value: what we put in an answer. An offer whose
 * fmtp is missing or unreadable counts as `0-15`. Returns '' when nothing is common.
 */
export function intersectEvents(offered: string | undefined, supported: string): string {
  const theirs =
    parseEventList(offered ?? IMPLIED_TELEPHONE_EVENTS) ?? parseEventList(IMPLIED_TELEPHONE_EVENTS);
  const ours = parseEventList(supported) ?? new Set<number>();
  return formatEventList([...(theirs ?? [])].filter((e) => ours.has(e)));
}
