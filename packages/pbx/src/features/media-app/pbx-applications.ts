// The PBX's own applications as one PbxApps: `*97`/`*98` open a mailbox, `*8` + room joins a
// conference, unanswered calls go to an enabled mailbox, and every answered call may be recorded.
// Each part is optional (the server wires what it has).
import type { IncomingInvite } from '@switchboard/sip';
import type { AdmittedCall } from '../../call/call-admission.ts';
import type { AnsweredCall, AnsweredCallHandler } from '../answered-call.ts';
import type { Tenant } from '../../store/directory.ts';
import type { ConferencePhone, Conferences } from '../conference/conferences.ts';
import type { DialledCodeCall } from '../dialled-code.ts';
import type { FeatureCodeMap, FeatureMatch } from '../feature-codes.ts';
import type { CallRecordings } from '../recording/call-recordings.ts';
import type { Voicemail } from '../voicemail/voicemail.ts';
import type { PbxApps, UnansweredCause } from './pbx-apps.ts';

export interface PbxApplicationParts {
  readonly voicemail?: Voicemail;
  readonly conferences?: Conferences;
  readonly recordings?: CallRecordings;
}

export class PbxApplications implements PbxApps {
  constructor(readonly parts: PbxApplicationParts) {}

  async dialled(invite: IncomingInvite, call: DialledCodeCall, match: FeatureMatch): Promise<boolean> {
    const { voicemail, conferences } = this.parts;
    switch (match.feature) {
      case 'voicemail':
      case 'voicemail-any':
        if (!voicemail) return false;
        // The menu runs as long as the call: not awaited here.
        void voicemail.listen(invite, call, match.feature === 'voicemail' ? 'own' : 'any');
        return true;
      case 'conference':
        if (!conferences) return false;
        await conferences.dialIn(invite, {
          tenant: call.tenant,
          caller: call.caller,
          room: match.argument ?? call.caller.username,
        });
        return true;
      default:
        return false;
    }
  }

  joinConference(tenant: Tenant, room: string, phone: ConferencePhone, owner: boolean): Promise<boolean> {
    return this.parts.conferences?.adopt(tenant, room, phone, { owner }) ?? Promise.resolve(false);
  }

  answered(call: AnsweredCall, codes: FeatureCodeMap): AnsweredCallHandler | undefined {
    return this.parts.recordings?.answered(call, codes);
  }

  async voicemailFor(call: AdmittedCall): Promise<boolean> {
    return (await this.parts.voicemail?.enabledFor(call.tenant.id, call.callee.username)) ?? false;
  }

  toVoicemail(invite: IncomingInvite, call: AdmittedCall, cause: UnansweredCause): void {
    this.parts.voicemail?.divert(
      invite,
      {
        tenant: call.tenant,
        caller: call.caller,
        mailbox: call.callee,
        ...(call.divertedFrom && { divertedFrom: call.divertedFrom }),
      },
      cause,
    );
  }
}
