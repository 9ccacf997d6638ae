// A caller leaving a message: the PBX answers, plays the greeting (the owner's recording, or the
// default chime) and the beep, then records until the caller presses `#`, hangs up, or the
// maximum length is reached. Keys during the greeting skip to the beep. A message shorter than
// a second is not kept (a caller who hung up at the beep).
import type { IncomingInvite } from '@switchboard/sip';
import type { Extension, Tenant } from '../../store/directory.ts';
import { AppCall } from '../media-app/app-call.ts';
import { BEEP, DEFAULT_GREETING, GOODBYE } from '../media-app/prompts.ts';
import type { Voicemail } from './voicemail.ts';

const MIN_MESSAGE_MS = 1000;

export async function leaveMessage(
  vm: Voicemail,
  invite: IncomingInvite,
  call: {
    readonly tenant: Tenant;
    readonly caller: Extension;
    readonly mailbox: Extension;
    /** Who diverted the call to the mailbox before its owner (call forwarding). */
    readonly divertedFrom?: readonly string[];
  },
): Promise<void> {
  const { tenant, caller, mailbox } = call;
  const divertedFrom = [...(call.divertedFrom ?? []), mailbox.username];
  const box = await vm.store.mailbox(tenant.id, mailbox.username);
  if (!box?.enabled) {
    // Switched off a moment ago.
    invite.reject(480, { reason: 'Temporarily Unavailable' });
    return;
  }
  const app = await AppCall.answer(vm.ctx, invite, {
    tenant,
    caller,
    callee: `voicemail:${mailbox.username}`,
    // The owner's call history shows the call as missed, sent to voicemail.
    dialled: divertedFrom[0]!,
    divertedFrom,
  });
  if (!app) return;
  const greeting = box.greetingFile ? [{ file: box.greetingFile }] : DEFAULT_GREETING;
  if ((await app.prompt(greeting)) === 'failed') await app.prompt(DEFAULT_GREETING);
  app.digits.clear();
  await app.play(BEEP);
  if (!app.active) return;
  const { id, file } = vm.store.newMessageFile(tenant.id, mailbox.username);
  // `#` ends the message (the key itself is an RFC 4733 event: it is not in the audio).
  app.digits.listener = (digit) => {
    if (digit === '#') void app.stopRecording();
  };
  const outcome = await app.record(file, box.maxMessageSeconds * 1000);
  app.digits.listener = undefined;
  if (outcome.end === 'failed' || outcome.durationMs < MIN_MESSAGE_MS) {
    await vm.store.discard(file).catch(() => undefined);
  } else {
    await vm.store.addMessage({
      id,
      tenantId: tenant.id,
      extension: mailbox.username,
      caller: caller.username,
      callerName: caller.displayName ?? '',
      file,
      durationMs: outcome.durationMs,
    });
    vm.ctx.log(
      { mailbox: mailbox.username, caller: caller.username, ms: outcome.durationMs },
      'voicemail: new message',
    );
    await vm.changed(tenant.id, mailbox.username);
    const message = (await vm.store.messages(tenant.id, mailbox.username)).find((m) => m.id === id);
    if (message && box.email)
      await vm.options.notifier
        ?.newMessage(box, message)
        .catch((error: unknown) => vm.ctx.log({ error: String(error) }, 'voicemail: e-mail failed'));
  }
  if (app.active) {
    await app.play(GOODBYE);
    await app.hangup();
  }
}
