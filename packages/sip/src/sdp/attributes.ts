// Generic access to `a=` lines of a session or media section (RFC 4566 §5.13). Typed readers
// for well-known attributes are built on these (rtp-attributes.ts, crypto-attribute.ts,
// ice-attributes.ts, webrtc-attributes.ts).
//
// NOTE: names are compared case-insensitively: registered names are lower case, and a
// tolerant reader costs nothing. Stored names keep their original case.

import type { SdpAttribute } from './sdp-model.ts';

/** Anything that carries attributes: a SessionDescription or a MediaDescription. */
export interface HasAttributes {
  readonly attributes: readonly SdpAttribute[];
}

const same = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase();

/** Every value of attribute `name`, in order (`''` for a property attribute). */
export function attributeValues(section: HasAttributes, name: string): string[] {
  const out: string[] = [];
  for (const a of section.attributes) if (same(a.name, name)) out.push(a.value ?? '');
  return out;
}

/** The first value of attribute `name`, `''` for a property attribute, undefined if absent. */
export function attributeValue(section: HasAttributes, name: string): string | undefined {
  for (const a of section.attributes) if (same(a.name, name)) return a.value ?? '';
  return undefined;
}

export function hasAttribute(section: HasAttributes, name: string): boolean {
  return section.attributes.some((a) => same(a.name, name));
}

/** A copy of `section` without any attribute named `name`. */
export function withoutAttribute<T extends HasAttributes>(section: T, name: string): T {
  return { ...section, attributes: section.attributes.filter((a) => !same(a.name, name)) };
}

/** A copy of `section` with `attribute` appended. */
export function withAttribute<T extends HasAttributes>(section: T, attribute: SdpAttribute): T {
  return { ...section, attributes: [...section.attributes, attribute] };
}

/**
 * A copy of `section` where the first attribute named `attribute.name` is replaced in place
 * (later ones removed), or `attribute` appended when there was none.
 */
export function replaceAttribute<T extends HasAttributes>(section: T, attribute: SdpAttribute): T {
  const attributes: SdpAttribute[] = [];
  let done = false;
  for (const a of section.attributes) {
    if (!same(a.name, attribute.name)) attributes.push(a);
    else if (!done) {
      attributes.push(attribute);
      done = true;
    }
  }
  if (!done) attributes.push(attribute);
  return { ...section, attributes };
}

/** Reads every value of `name` through `parse`, dropping values that do not parse. */
export function readAttributes<T>(
  section: HasAttributes,
  name: string,
  parse: (value: string) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const v of attributeValues(section, name)) {
    const parsed = parse(v);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}
