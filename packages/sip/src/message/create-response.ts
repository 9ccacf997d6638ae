// Building a response to a request (RFC 3261 §8.2.6.2): Via (all, in order), From, To,
// Call-ID and CSeq are copied as they arrived; a To tag is added when asked and none is
// present. Record-Route is copied only when the caller asks (dialog-creating responses,
// RFC 3261 §12.1.1).
import { headerKey } from '../header/header-names.ts';
import { Headers, type HeadersInit } from './headers.ts';
import type { SipRequest } from './sip-request.ts';
import { SipResponse, type SipResponseInit } from './sip-response.ts';

export interface CreateResponseOptions {
  /** Tag to add to To when the request's To has none (RFC 3261 §8.2.6.2). */
  toTag?: string;
  /** Extra header fields, appended after the copied ones. */
  headers?: HeadersInit;
  body?: Uint8Array | string;
  /** Copy Record-Route from the request (for 1xx/2xx to a dialog-creating request). */
  copyRecordRoute?: boolean;
}

const COPIED = new Set(['via', 'from', 'to', 'call-id', 'cseq']);

export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  options: CreateResponseOptions = {},
): SipResponse {
  const headers = new Headers();
  const addTag = options.toTag !== undefined && request.to.tag === undefined;
  for (const f of request.headers.fields()) {
    const key = headerKey(f.name);
    if (!(COPIED.has(key) || (options.copyRecordRoute === true && key === 'record-route'))) continue;
    if (key === 'to' && addTag) {
      const to = request.to.clone();
      to.tag = options.toTag;
      headers.append(f.name, to.toString());
    } else headers.append(f.name, f.value);
  }
  if (options.headers !== undefined)
    for (const f of new Headers(options.headers)) headers.append(f.name, f.value);
  const init: SipResponseInit = { status, headers };
  if (reason !== undefined) init.reason = reason;
  if (options.body !== undefined) init.body = options.body;
  return new SipResponse(init);
}
