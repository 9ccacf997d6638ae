// Helpers for the round-trip tests: what "an equivalent message" means, checked two ways.
//  - wire: serialize the fields as they are (names and unfolded raw values), parse again, and
//    compare start line, every field and the body;
//  - structural: rebuild the typed headers from their parsed objects (so URIs, name-addrs,
//    Vias and Contacts are written by our serializers), parse again, and compare the values
//    under the RFC 3261 comparison rules.
import { expect } from 'vitest';
import type { SipResponse } from '@switchboard/sip';
import { type SipMessageAny, type Uri, SipRequest, parseMessage, uriEquals } from '@switchboard/sip';

function reparse(bytes: Uint8Array): SipMessageAny {
  const r = parseMessage(bytes, undefined, { validate: 'none' });
  if (r.kind !== 'message') throw new Error(`re-parse failed: ${r.kind === 'malformed' ? r.reason : r.kind}`);
  return r.message;
}

function startLine(m: SipMessageAny): unknown {
  return m instanceof SipRequest
    ? { method: m.method, uri: m.uri.toString(), version: m.version }
    : { status: (m as SipResponse).status, reason: (m as SipResponse).reason, version: m.version };
}

function fieldsWithoutLength(m: SipMessageAny): Array<[string, string]> {
  return m.headers
    .fields()
    .filter((f) => !/^(content-length|l)$/i.test(f.name))
    .map((f) => [f.name, f.value]);
}

/** serialize() → parse → same start line, same fields in order, same body. */
export function expectWireRoundTrip(m: SipMessageAny): SipMessageAny {
  const again = reparse(m.serialize());
  expect(startLine(again)).toEqual(startLine(m));
  expect(fieldsWithoutLength(again)).toEqual(fieldsWithoutLength(m));
  expect(Array.from(again.body)).toEqual(Array.from(m.body));
  expect(again.contentLength).toBe(m.body.length);
  return again;
}

function expectUri(a: Uri, b: Uri): void {
  expect(uriEquals(a, b), `${a.toString()} vs ${b.toString()}`).toBe(true);
}

/**
 * Rewrites every typed header from its parsed value, serializes, parses again and compares
 * the values. Only headers that parse are rewritten (the torture messages keep odd ones raw).
 */
export function expectStructuralRoundTrip(m: SipMessageAny): void {
  const copy = m.clone();
  if (copy instanceof SipRequest) copy.uri = copy.uri.clone();
  else (copy as SipResponse).reason = (copy as SipResponse).reason;
  copy.from = m.from.clone();
  copy.to = m.to.clone();
  copy.cseq = { ...m.cseq };
  copy.callId = m.callId;
  copy.setVias(m.vias().map((v) => v.clone()));
  const contacts = m.parsedHeader('contact');
  if (contacts.ok) copy.setContacts(contacts.value.map((c) => c.clone()));
  const routes = m.parsedHeader('route');
  if (routes.ok) copy.setRoutes(routes.value.map((r) => r.clone()));
  const rr = m.parsedHeader('record-route');
  if (rr.ok) copy.setRecordRoutes(rr.value.map((r) => r.clone()));
  if (m.maxForwards !== undefined) copy.maxForwards = m.maxForwards;
  if (m.contentType !== undefined) copy.contentType = m.contentType;

  const again = reparse(copy.serialize());
  if (m instanceof SipRequest) {
    expect(again).toBeInstanceOf(SipRequest);
    expect((again as SipRequest).method).toBe(m.method);
    expectUri((again as SipRequest).uri, m.uri);
  } else {
    expect((again as SipResponse).status).toBe((m as SipResponse).status);
    expect((again as SipResponse).reason).toBe((m as SipResponse).reason);
  }
  for (const [a, b] of [
    [again.from, m.from],
    [again.to, m.to],
  ] as const) {
    expectUri(a.uri, b.uri);
    expect(a.displayName).toBe(b.displayName);
    expect(Object.fromEntries(a.params)).toEqual(Object.fromEntries(b.params));
  }
  expect(again.callId).toBe(m.callId);
  expect(again.cseq).toEqual(m.cseq);
  expect(again.maxForwards).toBe(m.maxForwards);
  expect(again.contentType?.toString()).toBe(m.contentType?.toString());
  const va = again.vias();
  const vb = m.vias();
  expect(va.length).toBe(vb.length);
  va.forEach((v, i) => {
    const w = vb[i];
    expect(w).toBeDefined();
    if (w === undefined) return;
    expect([v.protocol, v.transport, v.host.toLowerCase(), v.port]).toEqual([
      w.protocol.replace(/\s+/g, ''),
      w.transport,
      w.host.toLowerCase(),
      w.port,
    ]);
    expect(Object.fromEntries(v.params)).toEqual(Object.fromEntries(w.params));
  });
  if (contacts.ok) {
    const ca = again.contacts();
    expect(ca.length).toBe(contacts.value.length);
    ca.forEach((c, i) => {
      const d = contacts.value[i];
      if (d === undefined) return;
      expect(c.isWildcard).toBe(d.isWildcard);
      if (!c.isWildcard) expectUri(c.uri, d.uri);
      expect(Object.fromEntries(c.params)).toEqual(Object.fromEntries(d.params));
    });
  }
  if (routes.ok) {
    const ra = again.routes();
    expect(ra.length).toBe(routes.value.length);
    ra.forEach((r, i) => expectUri(r.uri, (routes.value[i] as { uri: Uri }).uri));
  }
  expect(Array.from(again.body)).toEqual(Array.from(m.body));
}
