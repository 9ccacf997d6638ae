// Telling the user a call is coming: the ringtone (a beep instead while another call goes on),
// and a system notification with Answer and Decline where the platform has notification
// actions (through the service worker), when the user turned notifications on.
import type { CallSnapshot } from '../calls/call.ts';
import { CallPhase } from '../calls/call-phase.ts';
import { Ringer } from '../calls/ringtone.ts';
import { browserLanguage, makeI18n } from '../i18n/i18n.tsx';
import type { AppLog } from '../log/app-log.ts';
import { findContactByNumber } from '../model/contacts.ts';
import type { AppStores } from '../storage/app-stores.ts';

export type NotificationAction = 'answer' | 'decline';

/** Posted by the service worker when a notification button is pressed. */
export interface CallActionMessage {
  readonly type: 'call-action';
  readonly callId: string;
  readonly action: NotificationAction | 'open';
}

export class CallAlerts {
  private ringer: Ringer | undefined;
  private notified = new Set<string>();
  /** Notifications shown by the page itself (no service worker), by call id. */
  private readonly pageNotifications = new Map<string, Notification>();

  constructor(
    private readonly stores: AppStores,
    private readonly log: AppLog,
    private readonly onAction: (callId: string, action: NotificationAction) => void,
  ) {
    navigator.serviceWorker?.addEventListener('message', (event: MessageEvent<CallActionMessage>) => {
      const data = event.data;
      if (data?.type === 'call-action' && (data.action === 'answer' || data.action === 'decline'))
        this.onAction(data.callId, data.action);
    });
  }

  async setOutput(deviceId: string | undefined): Promise<void> {
    await this.ringer?.setOutput(deviceId);
  }

  update(calls: readonly CallSnapshot[]): void {
    const ringing = calls.filter((c) => c.phase === CallPhase.Ringing);
    const talking = calls.some((c) => c.phase === CallPhase.Active || c.phase === CallPhase.Dialing);
    if (ringing.length > 0 && !this.ringer) {
      this.ringer = new Ringer();
      const s = this.stores.settings.get();
      void this.ringer.setOutput(s.ringerDeviceId ?? s.outputDeviceId);
    }
    this.ringer?.set(ringing.length === 0 ? undefined : talking ? 'beep' : 'ring');
    for (const call of ringing) if (!this.notified.has(call.id)) void this.notify(call);
    for (const id of [...this.notified])
      if (!ringing.some((c) => c.id === id)) {
        this.notified.delete(id);
        void this.closeNotification(id);
      }
  }

  private async notify(call: CallSnapshot): Promise<void> {
    this.notified.add(call.id);
    if (!this.stores.settings.get().notifications || typeof Notification === 'undefined') return;
    if (Notification.permission !== 'granted') return;
    const { t } = makeI18n(this.stores.settings.get().language ?? browserLanguage());
    const contact = findContactByNumber(this.stores.contacts.get(), call.number);
    const title = contact?.name ?? call.name ?? call.number;
    const options = {
      body: t('alerts.incoming', { number: call.number }),
      tag: call.id,
      icon: './icons/phone-192.png',
      requireInteraction: true,
      data: { callId: call.id },
      // Buttons on the notification: Chromium-based browsers on desktop and Android; elsewhere
      // the notification only brings the app forward, where Answer and Decline are.
      actions: [
        { action: 'answer', title: t('action.answer') },
        { action: 'decline', title: t('action.decline') },
      ],
    };
    try {
      const registration = await navigator.serviceWorker?.getRegistration();
      if (registration?.active) {
        await registration.showNotification(title, options);
        // Answered or gone while the notification was being shown: take it away again.
        if (!this.notified.has(call.id)) await this.closeNotification(call.id);
      } else {
        // No service worker (development server, or not yet installed): a page notification.
        const notification = new Notification(title, { body: options.body, tag: options.tag });
        notification.onclick = () => window.focus();
        if (this.notified.has(call.id)) this.pageNotifications.set(call.id, notification);
        else notification.close();
      }
      this.log.info('alerts', 'incoming call notification shown', { callId: call.id });
    } catch (error) {
      this.log.warn('alerts', 'notification failed', { error: String(error) });
    }
  }

  private async closeNotification(callId: string): Promise<void> {
    this.pageNotifications.get(callId)?.close();
    this.pageNotifications.delete(callId);
    const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
    const open = (await registration?.getNotifications({ tag: callId }).catch(() => [])) ?? [];
    for (const notification of open) notification.close();
  }
}
