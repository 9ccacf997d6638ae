// ICE attributes (RFC 8839 §5, formerly RFC 5245 §15): ice-ufrag, ice-pwd, ice-lite,
// ice-options, candidate, end-of-candidates (RFC 8840 §8.2 trickle).
//
//   candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP
//                         priority SP connection-address SP port SP "typ" SP cand-type
//                         [SP "raddr" SP connection-address] [SP "rport" SP port]
//                         *(SP extension-att-name SP extension-att-value)

import { attributeValue, hasAttribute, readAttributes, type HasAttributes } from './attributes.ts';
import type { SdpAttribute } from './sdp-model.ts';

export interface IceCandidate {
  readonly foundation: string;
  /** 1 = RTP, 2 = RTCP. */
  readonly component: number;
  /** `UDP`, `TCP` — as written (Chromium writes lower case). */
  readonly transport: string;
  readonly priority: number;
  /** IP address, or an mDNS name (`<uuid>.local`) from browsers. */
  readonly address: string;
  readonly port: number;
  /** `host`, `srflx`, `prflx`, `relay`. */
  readonly type: string;
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  /** `generation 0`, `network-id 1`, `tcptype passive`, `ufrag …` — in order. */
  readonly extensions: readonly { readonly name: string; readonly value: string }[];
}

export function parseCandidate(value: string): IceCandidate | undefined {
  const f = value.trim().split(/[ \t]+/);
  if (f.length < 8 || f[6]?.toLowerCase() !== 'typ') return undefined;
  const [foundation, componentText, transport, priorityText, address, portText, , type] = f as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^[A-Za-z0-9+/]{1,32}$/.test(foundation)) return undefined;
  if (!/^[0-9]{1,3}$/.test(componentText) || !/^[0-9]{1,10}$/.test(priorityText)) return undefined;
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
  let relatedAddress: string | undefined;
  let relatedPort: number | undefined;
  const extensions: { name: string; value: string }[] = [];
  let i = 8;
  if (f[i] === 'raddr' && f[i + 1] !== undefined) {
    relatedAddress = f[i + 1];
    i += 2;
  }
  if (f[i] === 'rport' && f[i + 1] !== undefined) {
    const p = f[i + 1] as string;
    if (!/^[0-9]{1,5}$/.test(p) || Number(p) > 65535) return undefined;
    relatedPort = Number(p);
    i += 2;
  }
  for (; i < f.length; i += 2) {
    const name = f[i] as string;
    const v = f[i + 1];
    if (v === undefined) return undefined;
    extensions.push({ name, value: v });
  }
  return {
    foundation,
    component: Number(componentText),
    transport,
    priority: Number(priorityText),
    address,
    port: Number(portText),
    type,
    ...(relatedAddress === undefined ? {} : { relatedAddress }),
    ...(relatedPort === undefined ? {} : { relatedPort }),
    extensions,
  };
}

export function formatCandidate(c: IceCandidate): string {
  let s = `${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined) s += ` raddr ${c.relatedAddress}`;
  if (c.relatedPort !== undefined) s += ` rport ${c.relatedPort}`;
  for (const e of c.extensions) s += ` ${e.name} ${e.value}`;
  return s;
}

/** The ICE parameters that apply to one media section (media level overrides session level). */
export interface IceParameters {
  readonly ufrag?: string;
  readonly pwd?: string;
  /** `a=ice-lite` at session level (RFC 8839 §5.3). */
  readonly lite: boolean;
  /** `a=ice-options:trickle ice2 …` tokens. */
  readonly options: readonly string[];
  readonly candidates: readonly IceCandidate[];
  readonly endOfCandidates: boolean;
}

function firstOf(name: string, media: HasAttributes, session?: HasAttributes): string | undefined {
  return attributeValue(media, name) ?? (session ? attributeValue(session, name) : undefined);
}

export function readIce(media: HasAttributes, session?: HasAttributes): IceParameters {
  const ufrag = firstOf('ice-ufrag', media, session)?.trim();
  const pwd = firstOf('ice-pwd', media, session)?.trim();
  const options = (firstOf('ice-options', media, session) ?? '').trim();
  return {
    ...(ufrag === undefined ? {} : { ufrag }),
    ...(pwd === undefined ? {} : { pwd }),
    lite: session ? hasAttribute(session, 'ice-lite') : hasAttribute(media, 'ice-lite'),
    options: options === '' ? [] : options.split(/[ \t]+/),
    candidates: readAttributes(media, 'candidate', parseCandidate),
    endOfCandidates:
      hasAttribute(media, 'end-of-candidates') ||
      (session ? hasAttribute(session, 'end-of-candidates') : false),
  };
}

export const iceAttribute = {
  ufrag: (v: string): SdpAttribute => ({ name: 'ice-ufrag', value: v }),
  pwd: (v: string): SdpAttribute => ({ name: 'ice-pwd', value: v }),
  lite: (): SdpAttribute => ({ name: 'ice-lite' }),
  options: (tokens: readonly string[]): SdpAttribute => ({ name: 'ice-options', value: tokens.join(' ') }),
  candidate: (c: IceCandidate): SdpAttribute => ({ name: 'candidate', value: formatCandidate(c) }),
  endOfCandidates: (): SdpAttribute => ({ name: 'end-of-candidates' }),
};
