// The owner's mailbox menu (`*97`, or `*98` then the mailbox number): the PIN if the mailbox
// has one (three tries), a pip per new message, then each message — new ones first — and after
// each the menu (RFC 4733 keys; a key pressed while something plays stops it):
//
//   1  play the message again      2  next message
//   7  delete the message          9  save it (and go to the next one)
//   0  record a new greeting (after the beep, # ends)
//   #  hang up                     (no key for 8 s, three times: hang up)
//
// A message listened to is no longer new (MWI says so at once).
import type { IncomingInvite } from '@switchboard/sip';
import type { Extension, Tenant } from '../../store/directory.ts';
import { AppCall } from '../media-app/app-call.ts';
import {
  BEEP,
  DONE,
  ENTER_PIN,
  GOODBYE,
  MENU,
  MESSAGE_START,
  NO_MESSAGES,
  REFUSED,
  messageCount,
} from '../media-app/prompts.ts';
import type { VoicemailMessage } from './voicemail-store.ts';
import type { Voicemail } from './voicemail.ts';

const KEY_TIMEOUT_MS = 8000;
const NUMBER_TIMEOUT_MS = 6000;
const MAX_GREETING_MS = 60_000;

export async function listenToMailbox(
  vm: Voicemail,
  invite: IncomingInvite,
  call: { readonly tenant: Tenant; readonly caller: Extension },
  which: 'own' | 'any',
): Promise<void> {
  const app = await AppCall.answer(vm.ctx, invite, {
    tenant: call.tenant,
    caller: call.caller,
    callee: which === 'own' ? 'voicemail' : 'voicemail:any',
  });
  if (!app) return;
  try {
    const mailbox = await login(vm, app, call.tenant, call.caller, which);
    if (mailbox === undefined) {
      if (app.active) await app.play(REFUSED);
      return;
    }
    vm.ctx.log({ tenantId: call.tenant.id, mailbox, by: call.caller.username }, 'voicemail: mailbox opened');
    await menu(vm, app, call.tenant, mailbox);
  } finally {
    if (app.active) {
      await app.play(GOODBYE);
      await app.hangup();
    }
  }
}

/** The mailbox the caller may open, or undefined (unknown, no PIN for `*98`, three wrong PINs). */
async function login(
  vm: Voicemail,
  app: AppCall,
  tenant: Tenant,
  caller: Extension,
  which: 'own' | 'any',
): Promise<string | undefined> {
  let number = caller.username;
  if (which === 'any') {
    await app.prompt(ENTER_PIN);
    number = await app.digits.collect({ max: 10, timeoutMs: NUMBER_TIMEOUT_MS });
  }
  const box = number ? await vm.store.mailbox(tenant.id, number) : undefined;
  // The owner calling from the extension itself is authenticated already (SIP digest);
  // another phone needs the mailbox's PIN, and a mailbox without one cannot be opened from it.
  if (which === 'own' && box && !box.hasPin) return number;
  if (!box?.hasPin) return undefined;
  for (let attempt = 0; attempt < 3 && app.active; attempt++) {
    await app.prompt(ENTER_PIN);
    const pin = await app.digits.collect({ max: 12, timeoutMs: NUMBER_TIMEOUT_MS });
    if (pin && (await vm.store.verifyPin(tenant.id, number, pin))) return number;
    vm.ctx.log({ tenantId: tenant.id, mailbox: number }, 'voicemail: wrong PIN');
    await app.play(REFUSED);
  }
  return undefined;
}

async function menu(vm: Voicemail, app: AppCall, tenant: Tenant, mailbox: string): Promise<void> {
  const messages: VoicemailMessage[] = await vm.store.messages(tenant.id, mailbox);
  await app.prompt(messageCount(messages.filter((m) => m.folder === 'new').length));
  let i = 0;
  while (app.active) {
    const message = messages[i];
    if (!message) {
      await app.prompt(NO_MESSAGES);
      const key = await ask(app);
      if (key === '0') await recordGreeting(vm, app, tenant, mailbox);
      else if (key === '1' && messages.length > 0) i = 0;
      else return;
      continue;
    }
    await app.prompt([...MESSAGE_START, { file: message.file }]);
    if (message.folder === 'new') {
      await vm.store.setFolder(tenant.id, message.id, 'saved');
      messages[i] = { ...message, folder: 'saved' };
      await vm.changed(tenant.id, mailbox);
    }
    const key = await ask(app);
    switch (key) {
      case '1':
        break;
      case '2':
        i++;
        break;
      case '7':
        await vm.store.deleteMessage(tenant.id, message.id);
        messages.splice(i, 1);
        await vm.changed(tenant.id, mailbox);
        await app.prompt(DONE);
        break;
      case '9':
        await app.prompt(DONE);
        i++;
        break;
      case '0':
        await recordGreeting(vm, app, tenant, mailbox);
        break;
      default:
        // '#', no key three times, or the call ended.
        return;
    }
  }
}

/** The menu prompt, then a key; asked up to three times. */
async function ask(app: AppCall): Promise<string | undefined> {
  for (let tries = 0; tries < 3 && app.active; tries++) {
    await app.prompt(MENU);
    const key = await app.digits.next(KEY_TIMEOUT_MS);
    if (key !== undefined) return key;
  }
  return undefined;
}

async function recordGreeting(vm: Voicemail, app: AppCall, tenant: Tenant, mailbox: string): Promise<void> {
  app.digits.clear();
  await app.play(BEEP);
  const file = vm.store.newGreetingFile(tenant.id, mailbox);
  app.digits.listener = (digit) => {
    if (digit === '#') void app.stopRecording();
  };
  const outcome = await app.record(file, MAX_GREETING_MS);
  app.digits.listener = undefined;
  if (outcome.end !== 'failed' && outcome.end !== 'closed' && outcome.durationMs >= 1000) {
    await vm.store.setGreeting(tenant.id, mailbox, file);
    await app.prompt(DONE);
  } else {
    await vm.store.discard(file).catch(() => undefined);
  }
}
