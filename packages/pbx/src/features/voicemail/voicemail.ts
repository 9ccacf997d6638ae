// Voicemail (issue 7): a mailbox per extension. Callers reach it when the extension is busy,
// does not answer, is not registered or has Do Not Disturb on (the call's failure path diverts
// the INVITE here) and leave a message after the greeting; the owner dials `*97` (or anyone
// `*98` and the mailbox number) to listen (mailbox-menu.ts). New messages and changes are
// signalled to subscribed phones (message-waiting.ts) and, when the mailbox has an address,
// e-mailed with the audio attached.
import type { IncomingInvite } from '@switchboard/sip';
import type { Extension, Tenant } from '../../store/directory.ts';
import type { AppContext } from '../media-app/app-context.ts';
import { leaveMessage } from './leave-message.ts';
import { listenToMailbox } from './mailbox-menu.ts';
import type { MessageWaiting } from './message-waiting.ts';
import type { VoicemailNotifier, VoicemailStore } from './voicemail-store.ts';

/** Why a call went to voicemail. */
export type DivertReason = 'busy' | 'no-answer' | 'unavailable' | 'dnd';

export interface VoicemailOptions {
  readonly store: VoicemailStore;
  readonly mwi?: MessageWaiting;
  readonly notifier?: VoicemailNotifier;
}

export class Voicemail {
  private readonly live = new Set<Promise<void>>();

  constructor(
    readonly ctx: AppContext,
    readonly options: VoicemailOptions,
  ) {}

  get store(): VoicemailStore {
    return this.options.store;
  }

  /** Whether unanswered calls to `extension` go to its voicemail (its mailbox is enabled). */
  async enabledFor(tenantId: string, extension: string): Promise<boolean> {
    return (await this.store.mailbox(tenantId, extension))?.enabled ?? false;
  }

  /**
   * Takes a caller's INVITE to `mailbox`'s voicemail. Synchronous so the call's failure path
   * can hand the INVITE over at once (the mailbox was checked with `enabledFor` before).
   */
  divert(
    invite: IncomingInvite,
    call: {
      readonly tenant: Tenant;
      readonly caller: Extension;
      readonly mailbox: Extension;
      readonly divertedFrom?: readonly string[];
    },
    reason: DivertReason,
  ): void {
    this.ctx.log(
      { callId: invite.request.callId, mailbox: call.mailbox.username, reason },
      'voicemail: divert',
    );
    void this.track(leaveMessage(this, invite, call));
  }

  /** `*97` (own mailbox) or `*98` (asks for the mailbox number): the owner's menu. */
  listen(
    invite: IncomingInvite,
    call: { readonly tenant: Tenant; readonly caller: Extension },
    which: 'own' | 'any',
  ): Promise<void> {
    return this.track(listenToMailbox(this, invite, call, which));
  }

  /** The mailbox's counts changed: tell the phones watching it. */
  async changed(tenantId: string, extension: string): Promise<void> {
    await this.options.mwi
      ?.notify(tenantId, extension)
      .catch((error: unknown) =>
        this.ctx.log({ extension, error: String(error) }, 'voicemail: MWI notify failed'),
      );
  }

  /** Waits for the calls in progress (shutdown: their calls are ended by then). */
  async drain(): Promise<void> {
    await Promise.all([...this.live]);
  }

  /** Keeps a voicemail call's promise until it settles; failures are logged, never thrown. */
  private track(run: Promise<void>): Promise<void> {
    const tracked = run.catch((error: unknown) =>
      this.ctx.log({ error: String(error) }, 'voicemail: call failed'),
    );
    this.live.add(tracked);
    void tracked.finally(() => this.live.delete(tracked));
    return tracked;
  }
}
