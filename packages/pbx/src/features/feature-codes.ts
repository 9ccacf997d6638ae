// The feature-code table (docs/feature-codes.md): codes a user dials as a number (`*78`) or
// keys during a call (`*2` + extension). Defaults follow common PBX habits (Asterisk, FreePBX);
// each tenant may replace any code. Features owned by later modules (voicemail, recording,
// conference) are listed so their codes are reserved and documented in one place.

export type FeatureKind = 'dial' | 'in-call';

export interface FeatureCodeDefinition {
  readonly feature: string;
  readonly code: string;
  readonly kind: FeatureKind;
  /** The code is followed by a number (`*72` + 1002). */
  readonly takesNumber: boolean;
  readonly description: string;
  /** False for codes reserved for a module that does not exist yet. */
  readonly implemented: boolean;
}

const def = (
  feature: string,
  code: string,
  description: string,
  options: { kind?: FeatureKind; takesNumber?: boolean; implemented?: boolean } = {},
): FeatureCodeDefinition => ({
  feature,
  code,
  description,
  kind: options.kind ?? 'dial',
  takesNumber: options.takesNumber ?? false,
  implemented: options.implemented ?? true,
});

export const DEFAULT_FEATURE_CODES: readonly FeatureCodeDefinition[] = [
  def('dnd-on', '*78', 'Do Not Disturb on'),
  def('dnd-off', '*79', 'Do Not Disturb off'),
  def('dnd-toggle', '*76', 'Do Not Disturb on/off'),
  def('forward-always-on', '*72', 'Forward every call to the number', { takesNumber: true }),
  def('forward-always-off', '*73', 'Unconditional forwarding off'),
  def('forward-busy-on', '*90', 'Forward when busy to the number', { takesNumber: true }),
  def('forward-busy-off', '*91', 'Forwarding when busy off'),
  def('forward-no-answer-on', '*52', 'Forward when not answered or not registered to the number', {
    takesNumber: true,
  }),
  def('forward-no-answer-off', '*53', 'Forwarding when not answered / not registered off'),
  def('transfer-attended', '*2', 'Attended transfer: *2, the extension, talk, hang up', {
    kind: 'in-call',
    takesNumber: true,
  }),
  def('transfer-blind', '#1', 'Blind transfer: #1 and the extension', { kind: 'in-call', takesNumber: true }),
  // Voicemail, conferences and recording (features/voicemail, conference, recording).
  def('voicemail', '*97', 'Listen to your voicemail'),
  def('voicemail-any', '*98', 'Listen to a mailbox (asks which, then its PIN)'),
  def('conference', '*8', 'Join conference room (the number; *8 alone: the room of your extension)', {
    takesNumber: true,
  }),
  def('record-toggle', '*1', 'Start/stop recording this call', { kind: 'in-call' }),
];

/** Feature name → code, for one tenant. */
export type FeatureCodeMap = ReadonlyMap<string, FeatureCodeDefinition>;

/** The tenant's table: the defaults with its own codes (`feature → code`) laid over them. */
export function featureCodeMap(overrides: Readonly<Record<string, string>> = {}): FeatureCodeMap {
  return new Map(
    DEFAULT_FEATURE_CODES.map((d) => [
      d.feature,
      overrides[d.feature] ? { ...d, code: overrides[d.feature]! } : d,
    ]),
  );
}

/**
 * Problems with a tenant's overrides: unknown features, badly shaped codes, and codes that
 * collide — equal, or one a prefix of another of the same kind (then the shorter one would
 * always win, or a number could not follow it unambiguously).
 */
export function checkFeatureCodes(
  overrides: Readonly<Record<string, string>>,
): { feature: string; message: string }[] {
  const problems: { feature: string; message: string }[] = [];
  const known = new Set(DEFAULT_FEATURE_CODES.map((d) => d.feature));
  for (const [feature, code] of Object.entries(overrides)) {
    if (!known.has(feature)) problems.push({ feature, message: 'is not a feature' });
    else if (!/^[*#][0-9*#]{0,7}$/.test(code))
      problems.push({ feature, message: 'expected * or # then up to 7 digits, * or #' });
  }
  if (problems.length > 0) return problems;
  const all = [...featureCodeMap(overrides).values()];
  for (const a of all)
    for (const b of all) {
      if (a === b || a.kind !== b.kind) continue;
      if (a.code === b.code && a.feature < b.feature)
        problems.push({ feature: b.feature, message: `uses the same code as ${a.feature}` });
      else if (a.code !== b.code && b.code.startsWith(a.code))
        problems.push({ feature: b.feature, message: `starts with ${a.feature}'s code ${a.code}` });
    }
  return problems;
}

export interface FeatureMatch {
  readonly feature: string;
  /** The number after the code, for features that take one. */
  readonly argument: string | undefined;
}

/** The feature a dialled number (request-URI user) asks for, if it is a feature code. */
export function matchDialledCode(map: FeatureCodeMap, dialled: string): FeatureMatch | undefined {
  for (const d of map.values()) {
    if (d.kind !== 'dial') continue;
    if (dialled === d.code) return { feature: d.feature, argument: undefined };
    if (d.takesNumber && dialled.startsWith(d.code) && dialled.length > d.code.length)
      return { feature: d.feature, argument: dialled.slice(d.code.length) };
  }
  return undefined;
}

/** True when the dialled number is shaped like a feature code (starts with * or #). */
export const looksLikeFeatureCode = (dialled: string): boolean => /^[*#]/.test(dialled);
