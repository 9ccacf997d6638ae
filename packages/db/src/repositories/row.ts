// Helpers that turn driver values into typed ones. Both backends return timestamptz as Date and
// int8 as number (configured in backends/), but a repository states what it expects.

export function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}

export function asDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : asDate(value);
}

export function asStringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function asNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
