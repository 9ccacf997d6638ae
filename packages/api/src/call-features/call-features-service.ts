// Rules of the PBX's call features over the API: an account's DND and forwarding (built-in PBX
// extensions only), the tenant's feature codes (checked against collisions), and the call
// history of a user's lines, named from the directory.
import type { Cdr, SipAccount } from '@switchboard/db';
import type {
  CallHistoryEntry,
  CallSettingsPatchRequest,
  CallSettingsView,
  FeatureCodeView,
  MusicOnHoldView,
} from '@switchboard/contracts';
import {
  checkFeatureCodes,
  DEFAULT_FEATURE_CODES,
  defaultMusicOnHold,
  featureCodeMap,
  matchesDialPattern,
  musicFromUpload,
  normaliseDialled,
  musicWav,
} from '@switchboard/pbx';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors/api-error.ts';
import { configChanged } from '../live/notify.ts';

export class CallFeaturesService {
  constructor(private readonly ctx: ApiContext) {}

  /** The account, which must be an extension of the built-in PBX. */
  async extension(tenantId: string, accountId: string): Promise<SipAccount> {
    const account = await this.ctx.repos.sipAccounts.findById(tenantId, accountId);
    if (!account) throw new ApiError('not_found', 'no such SIP account');
    const builtIn = await this.ctx.repos.providers.getBuiltIn(tenantId);
    if (account.providerId !== builtIn.id)
      throw new ApiError('validation_failed', 'call settings exist only for extensions of the built-in PBX', [
        { field: 'accountId', message: 'is not an extension of the built-in PBX' },
      ]);
    return account;
  }

  async settings(tenantId: string, accountId: string): Promise<CallSettingsView> {
    await this.extension(tenantId, accountId);
    return { ...(await this.ctx.repos.callSettings.get(tenantId, accountId)) };
  }

  async updateSettings(
    tenantId: string,
    accountId: string,
    patch: CallSettingsPatchRequest,
  ): Promise<CallSettingsView> {
    const account = await this.extension(tenantId, accountId);
    // Targets are extensions, or external numbers the extension may call out to (docs/trunks.md).
    const details = [];
    for (const field of ['forwardAlways', 'forwardBusy', 'forwardNoAnswer', 'forwardUnavailable'] as const) {
      const target = patch[field];
      if (target === undefined || target === null) continue;
      if (target === account.username) details.push({ field, message: 'cannot forward to itself' });
      else if (
        !(await this.ctx.repos.sipAccounts.findExtension(tenantId, target)) &&
        !(await this.externalAllowed(tenantId, account.username, target))
      )
        details.push({
          field,
          message: 'is not an extension of this PBX nor an external number this extension may call',
        });
    }
    if (details.length > 0)
      throw new ApiError(
        'validation_failed',
        details.map((d) => `${d.field}: ${d.message}`).join('; '),
        details,
      );
    return { ...(await this.ctx.repos.callSettings.update(tenantId, accountId, patch)) };
  }

  /** Whether `number` goes out on one of the tenant's trunks and `extension` may call out. */
  private async externalAllowed(tenantId: string, extension: string, number: string): Promise<boolean> {
    const dialled = normaliseDialled(number);
    if (dialled === undefined) return false;
    const { trunks } = this.ctx.repos;
    const routes = await trunks.listRoutes(tenantId);
    if (!routes.some((r) => matchesDialPattern(r.pattern, dialled))) return false;
    const policy = await trunks.policy(tenantId);
    return policy.externalCalls && (policy.allowedExtensions?.includes(extension) ?? true);
  }

  async featureCodes(tenantId: string): Promise<FeatureCodeView[]> {
    const map = featureCodeMap(await this.ctx.repos.featureCodes.list(tenantId));
    return DEFAULT_FEATURE_CODES.map((d) => {
      const current = map.get(d.feature) ?? d;
      return {
        feature: d.feature,
        code: current.code,
        defaultCode: d.code,
        kind: d.kind,
        takesNumber: d.takesNumber,
        description: d.description,
        available: d.implemented,
      };
    });
  }

  async replaceFeatureCodes(tenantId: string, codes: Record<string, string>): Promise<FeatureCodeView[]> {
    // Codes equal to the default are not stored: the table keeps only what differs.
    const defaults = new Map(DEFAULT_FEATURE_CODES.map((d) => [d.feature, d.code]));
    const overrides = Object.fromEntries(Object.entries(codes).filter(([f, c]) => defaults.get(f) !== c));
    const problems = checkFeatureCodes(overrides);
    if (problems.length > 0)
      throw new ApiError(
        'validation_failed',
        problems.map((p) => `codes.${p.feature}: ${p.message}`).join('; '),
        problems.map((p) => ({ field: `codes.${p.feature}`, message: p.message })),
      );
    await this.ctx.repos.featureCodes.replace(tenantId, overrides);
    // The codes are in every device's configuration (the softphone REFERs to the conference code).
    const { items } = await this.ctx.repos.devices.list({ tenantId, limit: 100_000 });
    await configChanged(
      this.ctx,
      tenantId,
      items.map((d) => d.id),
    );
    return this.featureCodes(tenantId);
  }

  async musicOnHold(tenantId: string): Promise<MusicOnHoldView> {
    const info = await this.ctx.repos.musicOnHold.info(tenantId);
    const builtIn = defaultMusicOnHold();
    return info
      ? {
          custom: true,
          name: info.name,
          durationSeconds: info.durationMs / 1000,
          updatedAt: info.updatedAt.toISOString(),
        }
      : {
          custom: false,
          name: null,
          durationSeconds: builtIn.samples.length / builtIn.sampleRate,
          updatedAt: null,
        };
  }

  /** Converts an uploaded WAV or MP3 to what the PBX plays (8 kHz mono) and stores it. */
  async uploadMusicOnHold(
    tenantId: string,
    name: string,
    file: { audio?: string; wav?: string },
  ): Promise<MusicOnHoldView> {
    const field = file.audio !== undefined ? 'audio' : 'wav';
    const base64 = file.audio ?? file.wav;
    if (base64 === undefined || (file.audio !== undefined && file.wav !== undefined))
      throw new ApiError('validation_failed', 'audio: give the file (base64) once, as `audio`', [
        { field: 'audio', message: 'is required (and `wav` with it is not allowed)' },
      ]);
    // Decoding a long MP3 takes a while: let calls (SIP, RTP on this thread) go on meanwhile.
    const track = await musicFromUpload(new Uint8Array(Buffer.from(base64, 'base64')), {
      pause: () => new Promise((resolve) => setImmediate(resolve)),
    });
    if (!track.ok)
      throw new ApiError('validation_failed', `${field}: ${track.reason}`, [
        { field, message: track.reason },
      ]);
    await this.ctx.repos.musicOnHold.put(tenantId, {
      name,
      wav: musicWav(track.audio),
      durationMs: track.durationMs,
    });
    return this.musicOnHold(tenantId);
  }

  /** The WAV that plays now: the tenant's, else the built-in melody. */
  async musicOnHoldAudio(tenantId: string): Promise<Uint8Array> {
    return (await this.ctx.repos.musicOnHold.find(tenantId))?.wav ?? musicWav(defaultMusicOnHold());
  }

  /**
   * The calls of these lines (built-in PBX extensions), newest first, from the other party's
   * point of view turned around: Outbound when a line called, Inbound when a line answered,
   * Missed when a line was called and did not answer — or forwarded the call (`divertedTo`) or
   * its voicemail answered (`voicemail`), found by the record's diversion chain.
   */
  async history(
    tenantId: string,
    accountIds: readonly string[],
    options: { limit: number; before?: string },
  ): Promise<CallHistoryEntry[]> {
    const builtIn = await this.ctx.repos.providers.getBuiltIn(tenantId);
    const all = await this.ctx.repos.sipAccounts.list({ tenantId, providerId: builtIn.id, limit: 100_000 });
    const byNumber = new Map(all.map((a) => [a.username, a]));
    const lines = all.filter((a) => accountIds.includes(a.id));
    if (lines.length === 0) return [];
    const mine = new Set(lines.map((a) => a.username));
    const cdrs = await this.ctx.repos.cdrs.list({
      tenantId,
      parties: [...mine],
      limit: options.limit,
      ...(options.before
        ? { before: { startedAt: new Date(options.before), id: '00000000-0000-0000-0000-000000000000' } }
        : {}),
    });
    const contacts = await this.contactNames(tenantId);
    const nameOf = (number: string): string => {
      const account = byNumber.get(number);
      return (account && (account.displayName || contacts.get(account.id) || account.name)) || number;
    };
    return withoutForwardedAttempts(cdrs.map((cdr) => entry(cdr, mine, byNumber, nameOf)));
  }

  /** Every line of every device of a contact (a user's lines across devices). */
  async accountsOfContact(tenantId: string, contactId: string): Promise<string[]> {
    const contact = await this.ctx.repos.contacts.findById(tenantId, contactId);
    if (!contact) throw new ApiError('not_found', 'no such contact');
    const { items } = await this.ctx.repos.devices.list({ tenantId, contactId, limit: 1000 });
    return [...new Set(items.flatMap((d) => d.accountIds))];
  }

  private async contactNames(tenantId: string): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const a of await this.ctx.repos.devices.assignments(tenantId))
      if (!names.has(a.accountId)) names.set(a.accountId, a.contactName);
    return names;
  }
}

function entry(
  cdr: Cdr,
  mine: ReadonlySet<string>,
  byNumber: ReadonlyMap<string, SipAccount>,
  nameOf: (number: string) => string,
): CallHistoryEntry {
  const outbound = mine.has(cdr.caller);
  // Not the caller nor the callee: one of the lines diverted the call (forwarding, voicemail).
  const at = outbound || mine.has(cdr.callee) ? -1 : cdr.divertedFrom.findIndex((n) => mine.has(n));
  const line = outbound ? cdr.caller : at >= 0 ? cdr.divertedFrom[at]! : cdr.callee;
  const other = outbound ? cdr.callee : cdr.caller;
  const type = outbound ? 'outbound' : at < 0 && cdr.disposition === 'answered' ? 'inbound' : 'missed';
  const next = at >= 0 ? (cdr.divertedFrom[at + 1] ?? cdr.callee) : undefined;
  const diversion =
    next === undefined ? {} : next.startsWith('voicemail:') ? { voicemail: true } : { divertedTo: next };
  return {
    id: cdr.id,
    type,
    number: other,
    name: nameOf(other),
    line: { accountId: byNumber.get(line)?.id ?? null, username: line },
    startedAt: cdr.startedAt.toISOString(),
    answeredAt: cdr.answeredAt?.toISOString() ?? null,
    durationSeconds: cdr.billableSeconds,
    disposition: cdr.disposition,
    sipCallIds: [...cdr.sipCallIds],
    ...diversion,
  };
}

/**
 * A call forwarded on busy or no answer has two records: the attempt that rang the line (missed)
 * and the forwarded call (voicemail's too), both with the caller's Call-ID first; a forwarded
 * call that is then transferred has a record per stretch. The line's history keeps one entry of
 * the call: the first diverted one (where the line sent it).
 */
function withoutForwardedAttempts(entries: CallHistoryEntry[]): CallHistoryEntry[] {
  const key = (e: CallHistoryEntry): string => `${e.line.username} ${e.sipCallIds?.[0] ?? e.id}`;
  const diverted = (e: CallHistoryEntry): boolean => e.divertedTo !== undefined || e.voicemail === true;
  // Newest first: the last diverted entry seen of a call is its oldest.
  const first = new Map<string, CallHistoryEntry>();
  for (const e of entries) if (diverted(e)) first.set(key(e), e);
  return entries.filter((e) =>
    diverted(e) ? first.get(key(e)) === e : e.type !== 'missed' || !first.has(key(e)),
  );
}
