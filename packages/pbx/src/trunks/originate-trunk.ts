// A call the PBX places itself to an external number through a trunk (a transfer target): one
// INVITE to the provider on a relay leg the caller chose, answering its 401/407 with the trunk's
// credentials — originate()'s contract, for a number instead of an extension's devices.
import type { TimerHandle } from '@switchboard/sip';
import { sdpText } from '../call/sdp-bridge.ts';
import { readAnswer, SDP } from '../features/leg-sdp.ts';
import type { OriginateDeps, OriginateRequest, OriginateResult, Origination } from '../features/originate.ts';
import { trunkOffer, type TrunkTarget } from './trunk-target.ts';

export function originateTrunk(
  deps: OriginateDeps,
  request: Omit<OriginateRequest, 'target'>,
  trunk: TrunkTarget,
): Origination {
  let settled = false;
  let timer: TimerHandle | undefined;
  let resolve!: (r: OriginateResult) => void;
  const result = new Promise<OriginateResult>((r) => (resolve = r));
  const offer = trunkOffer(trunk, request.endpoint, request.sessionId);
  const settle = (r: OriginateResult): void => {
    if (settled) return;
    settled = true;
    timer?.cancel();
    if (!r.ok) invite?.cancel();
    resolve(r);
  };
  let invite: ReturnType<OriginateDeps['ua']['invite']> | undefined;
  try {
    invite = deps.ua.invite(
      trunk.uri,
      {
        from: trunk.from,
        to: trunk.to,
        destination: trunk.destination,
        body: sdpText(offer),
        contentType: SDP,
        headers: trunk.headers,
        ...(trunk.authenticator && { authenticator: trunk.authenticator }),
      },
      {
        onProgress: (response) => {
          if (response.status > 100) request.onProgress?.(response.status);
        },
        onAccept: (session, response) => {
          if (settled) {
            void session.bye();
            return;
          }
          const negotiated = readAnswer(offer, response.body);
          if (!negotiated) {
            void session.bye();
            return settle({ ok: false, status: 488, reason: 'no common codec with the provider' });
          }
          settle({ ok: true, session, local: offer, negotiated });
        },
        onReject: (response) =>
          settle({ ok: false, status: response.status, reason: `the provider answered ${response.status}` }),
        onCancel: () => settle({ ok: false, status: 487, reason: 'cancelled' }),
      },
    );
    void invite.final.catch(() => settle({ ok: false, status: 408, reason: 'the provider did not answer' }));
    timer = deps.clock.setTimer(request.ringTimeoutMs, () =>
      settle({ ok: false, status: 480, reason: 'no answer' }),
    );
  } catch {
    settle({ ok: false, status: 503, reason: 'the trunk could not be reached' });
  }
  return { result, cancel: () => settle({ ok: false, status: 487, reason: 'cancelled' }) };
}
