// The Activities Wheel: the people around the Home Circle — recently called or calling,
// recently interacted with, and pinned by the user. Newest first; pinned entries stay when
// the wheel is cleared "except pinned"; only the first WHEEL_SLOTS are visible.
export interface WheelEntry {
  /** `contact:<id>` or `number:<number>`. */
  readonly key: string;
  readonly pinned: boolean;
  readonly at: number;
}

export const WHEEL_SLOTS = 10;
export type ClearMode = 'all' | 'visible' | 'except-pinned';

/** Puts `key` first (keeping its pin), adding it if new. */
export function touchWheel(entries: readonly WheelEntry[], key: string, at: number): WheelEntry[] {
  const existing = entries.find((e) => e.key === key);
  return [{ key, pinned: existing?.pinned ?? false, at }, ...entries.filter((e) => e.key !== key)].slice(
    0,
    50,
  );
}

export function pinOnWheel(
  entries: readonly WheelEntry[],
  key: string,
  pinned: boolean,
  at: number,
): WheelEntry[] {
  const touched = touchWheel(entries, key, at);
  return touched.map((e) => (e.key === key ? { ...e, pinned } : e));
}

export function removeFromWheel(entries: readonly WheelEntry[], key: string): WheelEntry[] {
  return entries.filter((e) => e.key !== key);
}

/** Pinned entries first, then by recency: what the wheel shows, in slot order. */
export function visibleWheel(entries: readonly WheelEntry[]): WheelEntry[] {
  return [...entries]
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.at - a.at)
    .slice(0, WHEEL_SLOTS);
}

export function clearWheel(entries: readonly WheelEntry[], mode: ClearMode): WheelEntry[] {
  if (mode === 'all') return [];
  if (mode === 'except-pinned') return entries.filter((e) => e.pinned);
  const visible = new Set(visibleWheel(entries).map((e) => e.key));
  return entries.filter((e) => !visible.has(e.key));
}
