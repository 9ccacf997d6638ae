// Strings kept long (map keys, stored bindings) must not keep the message they came from.
// V8 builds `a + b` as a tree of its parts and cuts `s.slice(…)` (13 characters or more) as a
// view into `s`; header values are cut from the message text, so a key made of them holds the
// whole message alive — measured, 2 KiB per retained transaction key at 6,000 REGISTER/s where
// the key itself is 60 bytes. These helpers return strings that hold only their own characters.

/** Flattens a string built by concatenation, in place: its parts (and what they view) go. */
export function flatString(s: string): string {
  s.charCodeAt(0); // V8 flattens a cons string when it reads a character of it
  return s;
}

/** A copy of `s` that owns its characters (for a part cut from a message and kept for long). */
export function ownString(s: string): string {
  if (s.length < 13) return s; // V8 copies short slices already
  // Flattening `s + ' '` makes a new sequential string; the slice then views that copy only.
  return flatString(s + ' ').slice(0, -1);
}
