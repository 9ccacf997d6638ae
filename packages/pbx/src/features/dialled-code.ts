// A feature code dialled as a number (`*78`, `*721002`): the PBX changes the caller's settings,
// answers, plays three rising beeps (or the refusal tone) and hangs up — what desk-phone users
// expect from Asterisk or FreePBX. Codes of modules not built yet are refused with 501.
import type { IncomingInvite } from '@switchboard/sip';
import { answerToCaller, legSettings, parseBody, sdpText } from '../call/sdp-bridge.ts';
import type { Extension, Tenant } from '../store/directory.ts';
import type { CallFeatures } from './call-features.ts';
import type { CallSettings, CallSettingsPatch } from './call-settings.ts';
import { matchDialledCode, type FeatureMatch } from './feature-codes.ts';
import { SDP } from './leg-sdp.ts';
import { confirmationBeeps, durationMs, errorBeeps } from './tones.ts';

export interface DialledCodeCall {
  readonly tenant: Tenant;
  readonly caller: Extension;
  readonly dialled: string;
}

/** Handles `call` if it dialled a feature code; false when it is no code (then: 404). */
export async function handleDialledCode(
  features: CallFeatures,
  invite: IncomingInvite,
  call: DialledCodeCall,
): Promise<boolean> {
  const ctx = features.context;
  const codes = await features.codes(call.tenant.id);
  const match = matchDialledCode(codes, call.dialled);
  if (!match) return false;
  if (await features.apps?.dialled?.(invite, call, match)) return true;
  if (!codes.get(match.feature)?.implemented) {
    invite.reject(501, { reason: `Not Implemented (${match.feature} is not available yet)` });
    return true;
  }
  const { directory } = ctx;
  if (!directory.updateCallSettings || !directory.callSettings) {
    invite.reject(501, { reason: 'Not Implemented (no settings store)' });
    return true;
  }
  const current = await directory.callSettings(call.tenant.id, call.caller.username);
  let worked = false;
  if (current) {
    const patch = await settingsPatch(features, call, match, current);
    if (patch)
      worked =
        (await directory.updateCallSettings(call.tenant.id, call.caller.username, patch)) !== undefined;
  }
  ctx.log(
    { tenantId: call.tenant.id, extension: call.caller.username, feature: match.feature, worked },
    'feature code',
  );
  await announce(features, invite, worked);
  return true;
}

/** The settings change a code asks for; undefined when its number is no extension of the tenant. */
async function settingsPatch(
  features: CallFeatures,
  call: DialledCodeCall,
  match: FeatureMatch,
  current: CallSettings,
): Promise<CallSettingsPatch | undefined> {
  const target = async (): Promise<string | undefined> => {
    const number = match.argument;
    if (!number || number === call.caller.username) return undefined;
    const ext = await features.context.directory.findExtension(call.tenant.id, number);
    if (ext) return number;
    // An external number, when it goes out on a trunk and the caller may call out (trunks/).
    const external = await features.context.trunks?.external(
      call.tenant,
      call.caller,
      call.caller.username,
      number,
    );
    return external?.ok ? number : undefined;
  };
  switch (match.feature) {
    case 'dnd-on':
      return { dnd: true };
    case 'dnd-off':
      return { dnd: false };
    case 'dnd-toggle':
      return { dnd: !current.dnd };
    case 'forward-always-on': {
      const to = await target();
      return to ? { forwardAlways: to } : undefined;
    }
    case 'forward-always-off':
      return { forwardAlways: null };
    case 'forward-busy-on': {
      const to = await target();
      return to ? { forwardBusy: to } : undefined;
    }
    case 'forward-busy-off':
      return { forwardBusy: null };
    case 'forward-no-answer-on': {
      const to = await target();
      return to ? { forwardNoAnswer: to, forwardUnavailable: to } : undefined;
    }
    case 'forward-no-answer-off':
      return { forwardNoAnswer: null, forwardUnavailable: null };
    default:
      return undefined;
  }
}

/** Answers, plays the beeps and hangs up; without an SDP offer, a plain 200 then BYE. */
async function announce(features: CallFeatures, invite: IncomingInvite, worked: boolean): Promise<void> {
  const ctx = features.context;
  const offer = invite.request.body.length > 0 ? parseBody(invite.request.body) : undefined;
  const audio = worked ? confirmationBeeps() : errorBeeps();
  const relay = offer?.ok ? await ctx.media.createRelay({}).catch(() => undefined) : undefined;
  const answer =
    relay && offer?.ok ? answerToCaller(offer.value, undefined, relay.a, String(Date.now())) : undefined;
  if (!relay || !answer?.ok) {
    void relay?.close();
    // Nothing to play on: the status says it.
    if (worked) invite.reject(480, { reason: 'Temporarily Unavailable (done)' });
    else invite.reject(404, { reason: 'Not Found (no such extension)' });
    return;
  }
  const session = invite.accept({ body: sdpText(answer.value.local), contentType: SDP });
  if (!session) {
    void relay.close();
    return;
  }
  await relay.configure({ a: legSettings(answer.value.negotiated) });
  await relay.play?.('a', audio).catch(() => undefined);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    void relay.close().catch(() => undefined);
  };
  session.delegate = { onBye: close, onTerminated: close };
  ctx.clock.setTimer(durationMs(audio) + 400, () => {
    void session.bye();
    close();
  });
}
