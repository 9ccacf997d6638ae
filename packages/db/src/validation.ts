// Rules for the values repositories store. Each check returns a problem or nothing, so a caller
// can report every bad field at once (ValidationError.details).
import { ValidationError, type FieldProblem } from './errors.ts';

// Printable text only: CR, LF and other controls would let a value break a SIP header line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * SIP user part of an extension or account. A subset of RFC 3261 §25.1 `user` that needs no
 * escaping in any phone: letters, digits and `- _ . ! ~ * ' ( ) + $ & = ,`.
 */
const SIP_USER = /^[A-Za-z0-9\-_.!~*'()+$&=,]{1,64}$/;

/** Host name (RFC 1123 §2.1 labels), or an IPv4 address. Lower case after normalisation. */
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export type Check = FieldProblem | undefined;

export function checkText(field: string, value: string, min: number, max: number): Check {
  if (value.length < min)
    return { field, message: min === 1 ? 'is required' : `needs at least ${min} characters` };
  if (value.length > max) return { field, message: `is longer than ${max} characters` };
  if (CONTROL.test(value)) return { field, message: 'contains control characters' };
  return undefined;
}

export function checkSipUser(field: string, value: string): Check {
  if (value.length === 0) return { field, message: 'is required' };
  if (!SIP_USER.test(value)) {
    return {
      field,
      message: "expected 1-64 letters, digits or - _ . ! ~ * ' ( ) + $ & = ,",
    };
  }
  return undefined;
}

export function normaliseDomain(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '');
}

export function checkDomain(field: string, value: string): Check {
  const labels = value.split('.');
  if (value.length === 0) return { field, message: 'is required' };
  if (value.length > 253 || !labels.every((label) => HOST_LABEL.test(label))) {
    return { field, message: 'expected a host name such as pbx.example.com' };
  }
  return undefined;
}

export function checkPassword(field: string, value: string): Check {
  return checkText(field, value, 1, 128);
}

export function checkPort(field: string, value: number): Check {
  return Number.isInteger(value) && value >= 1 && value <= 65535
    ? undefined
    : { field, message: 'expected a port number 1-65535' };
}

/** Throws one ValidationError listing every problem, or returns when there is none. */
export function assertValid(...checks: Check[]): void {
  const problems = checks.filter((c): c is FieldProblem => c !== undefined);
  if (problems.length > 0) throw new ValidationError(problems);
}

/** Like checkText, but line breaks are allowed (multi-line settings such as dialing rules). */
export function checkMultilineText(field: string, value: string, min: number, max: number): Check {
  return checkText(field, value.replace(/\r?\n/g, ' '), min, max);
}
