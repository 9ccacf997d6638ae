// The header section of a SIP message: an ordered list of fields (RFC 3261 §7.3). Names are
// matched case-insensitively with compact forms expanded (`v` = `Via`); fields keep the name
// as written and the raw value, so a proxy forwards unknown headers unchanged. Parsed values
// are cached per header and dropped when that header changes.
import { headerKey, isListHeader } from '../header/header-names.ts';
import { isToken, splitList } from '../header/scan.ts';
import type { HeaderField } from './contract.ts';

export type HeadersInit = Headers | Iterable<HeaderField> | Record<string, string | readonly string[]>;

function checkField(name: string, value: string): void {
  // Programming errors, not network input: refuse header injection.
  if (!isToken(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
  if (value.indexOf('\r') !== -1 || value.indexOf('\n') !== -1)
    throw new TypeError(`header ${name} value contains CR or LF`);
}

export class Headers implements Iterable<HeaderField> {
  #names: string[] = [];
  #values: string[] = [];
  #keys: string[] = [];
  // Parsed values: a few entries per message, so two small arrays beat a Map.
  #cacheKeys: string[] = [];
  #cacheValues: unknown[] = [];
  #version = 0;

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init instanceof Headers) {
      this.#names = init.#names.slice();
      this.#values = init.#values.slice();
      this.#keys = init.#keys.slice();
      return;
    }
    if (Symbol.iterator in init) {
      for (const f of init as Iterable<HeaderField>) this.append(f.name, f.value);
      return;
    }
    for (const [name, value] of Object.entries(init as Record<string, string | readonly string[]>)) {
      if (typeof value === 'string') this.append(name, value);
      else for (const v of value) this.append(name, v);
    }
  }

  /** @internal Adopts arrays built by the parser (already validated; no copies). */
  static fromParsed(names: string[], values: string[], keys: string[]): Headers {
    const h = new Headers();
    h.#names = names;
    h.#values = values;
    h.#keys = keys;
    return h;
  }

  /** Number of fields. */
  get size(): number {
    return this.#names.length;
  }

  /** Increases on every change; lets a message know whether its parsed bytes are still valid. */
  get version(): number {
    return this.#version;
  }

  /** The first field's raw value, or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.#values[i];
    return undefined;
  }

  /**
   * Every value of the header in order. For list headers (Via, Contact, Route, Allow, …) field
   * values are split at commas outside quotes and `<>`; other headers (auth headers, Date, …)
   * give one raw value per field.
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const split = isListHeader(key);
    const out: string[] = [];
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== key) continue;
      const v = this.#values[i] as string;
      if (split) for (const item of splitList(v)) out.push(item);
      else out.push(v);
    }
    return out;
  }

  /** Raw field values of the header, one per field line, never split. */
  getFieldValues(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (let i = 0; i < this.#keys.length; i++)
      if (this.#keys[i] === key) out.push(this.#values[i] as string);
    return out;
  }

  has(name: string): boolean {
    return this.#keys.indexOf(headerKey(name)) !== -1;
  }

  /**
   * Replaces every field of this header with the given value(s), at the position of the first
   * existing field (or at the end).
   */
  set(name: string, value: string | readonly string[]): void {
    const values = typeof value === 'string' ? [value] : value;
    for (const v of values) checkField(name, v);
    const key = headerKey(name);
    if (values.length === 1) {
      // Common case: one field replaced in place, keeping the name as it was written.
      const at = this.#keys.indexOf(key);
      if (at !== -1 && this.#keys.indexOf(key, at + 1) === -1) {
        this.#values[at] = values[0] as string;
        this.#changed(key);
        return;
      }
    }
    const first = this.#keys.indexOf(key);
    this.#removeKey(key);
    const at = first === -1 ? this.#names.length : first;
    this.#names.splice(at, 0, ...values.map(() => name));
    this.#values.splice(at, 0, ...values);
    this.#keys.splice(at, 0, ...values.map(() => key));
    this.#changed(key);
  }

  /** Adds a field after all others. */
  append(name: string, value: string): void {
    checkField(name, value);
    const key = headerKey(name);
    this.#names.push(name);
    this.#values.push(value);
    this.#keys.push(key);
    this.#changed(key);
  }

  /** Adds a field before all others of the same header (or at the top if there are none). */
  prepend(name: string, value: string): void {
    checkField(name, value);
    const key = headerKey(name);
    const first = this.#keys.indexOf(key);
    const at = first === -1 ? 0 : first;
    this.#names.splice(at, 0, name);
    this.#values.splice(at, 0, value);
    this.#keys.splice(at, 0, key);
    this.#changed(key);
  }

  /** Removes every field of this header; returns how many were removed. */
  remove(name: string): number {
    const key = headerKey(name);
    const n = this.#removeKey(key);
    if (n > 0) this.#changed(key);
    return n;
  }

  /** The fields in order, names as written (compact forms stay compact), values raw. */
  fields(): readonly HeaderField[] {
    const out: HeaderField[] = new Array(this.#names.length);
    for (let i = 0; i < this.#names.length; i++)
      out[i] = { name: this.#names[i] as string, value: this.#values[i] as string };
    return out;
  }

  [Symbol.iterator](): Iterator<HeaderField> {
    return this.fields()[Symbol.iterator]();
  }

  clone(): Headers {
    return new Headers(this);
  }

  /**
   * @internal The parsed value of a header, computed once and kept until the header changes.
   * `key` is the lower-case full name, optionally with a "#variant" suffix for a second value
   * derived from the same header; `compute` receives the raw field values. The value must not
   * be undefined.
   */
  cached<T>(key: string, compute: (values: string[]) => T): T {
    const keys = this.#cacheKeys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.#cacheValues[i] as T;
    const hash = key.indexOf('#');
    const value = compute(this.#valuesOf(hash === -1 ? key : key.slice(0, hash)));
    keys.push(key);
    this.#cacheValues.push(value);
    return value;
  }

  /** @internal Forgets every parsed value (they are parsed again on demand): less memory held. */
  dropParsed(): void {
    this.#cacheKeys = [];
    this.#cacheValues = [];
  }

  /** @internal Stores an already parsed value (the parser validates core headers eagerly). */
  prime(key: string, value: unknown): void {
    this.#cacheKeys.push(key);
    this.#cacheValues.push(value);
  }

  /** @internal Serializes `Name: value\r\n` lines, calling `override` to replace a value. */
  serialize(override?: (key: string, value: string) => string): string {
    let out = '';
    for (let i = 0; i < this.#names.length; i++) {
      const v = this.#values[i] as string;
      out += this.#names[i] + ': ' + (override ? override(this.#keys[i] as string, v) : v) + '\r\n';
    }
    return out;
  }

  #valuesOf(key: string): string[] {
    const out: string[] = [];
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) out.push(this.#values[i] as string);
    return out;
  }

  #removeKey(key: string): number {
    let removed = 0;
    for (let i = this.#keys.length - 1; i >= 0; i--) {
      if (this.#keys[i] === key) {
        this.#names.splice(i, 1);
        this.#values.splice(i, 1);
        this.#keys.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  #changed(key: string): void {
    this.#version++;
    const keys = this.#cacheKeys;
    // Derived entries ("via#top") go with their header.
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      if (k === key || k.startsWith(key + '#')) {
        keys.splice(i, 1);
        this.#cacheValues.splice(i, 1);
      }
    }
  }
}
