// The Home screen: line and status top left, the Phone Function Menu, the Home Circle in the
// Activities Wheel (or the dial pad), the Recents/Favorites/Contacts tabs, and the windows
// opened from them. `?call=<number or tel:/sip:/callto: link>` opens the dial pad ready to call.
import { useCallback, useEffect, useState } from 'react';
import { AccountInfo } from '../account/account-info.tsx';
import { ServicesBar } from '../account/services-bar.tsx';
import { PasswordsDialog } from '../account/passwords-dialog.tsx';
import { ContactForm } from '../contacts/contact-form.tsx';
import { ContactInfo } from '../contacts/contact-info.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { dragAction, type DragSource, type DropTarget } from '../model/drag-actions.ts';
import { numberFromLink } from '../model/phone-numbers.ts';
import { APP_VERSION } from '../phone/phone-engine.ts';
import { SettingsDialog } from '../settings/settings-dialog.tsx';
import { useApp, usePhone } from '../ui/app-context.tsx';
import { CallPhase } from '../calls/call-phase.ts';
import { DialPad } from './dial-pad.tsx';
import { DragLayer } from './drag.tsx';
import { FunctionMenu } from './function-menu.tsx';
import { LineStatusBar } from './line-status-bar.tsx';
import { SideTabs } from './side-tabs.tsx';
import { Stage } from './stage.tsx';
import { TransferDialog, TransferMenu } from './transfer-dialogs.tsx';
import { useHomeActions, type HomeDialog } from './use-home-actions.ts';
import { Icon } from '../ui/icons.tsx';

function initialCallParam(): string {
  const value = new URLSearchParams(location.search).get('call');
  return value ? numberFromLink(value) : '';
}

export function HomeScreen() {
  const { t } = useI18n();
  const { engine } = useApp();
  const phone = usePhone();
  const [dialog, setDialog] = useState<HomeDialog | undefined>();
  const [number, setNumberState] = useState(initialCallParam);
  const [dialPadOpen, setDialPadOpen] = useState(() => initialCallParam() !== '');
  const [online, setOnline] = useState(() => navigator.onLine);
  const open = useCallback((d: HomeDialog) => setDialog(d), []);
  const actions = useHomeActions(open);
  const setNumber = useCallback((update: (previous: string) => string) => setNumberState(update), []);

  useEffect(() => {
    // The link's number stays in the pad, not in the address bar.
    if (new URLSearchParams(location.search).has('call')) {
      const url = new URL(location.href);
      url.searchParams.delete('call');
      history.replaceState(null, '', url);
    }
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);

  // A manual-password line asks for its password once, right after activation.
  const needsPassword = phone.lines.some((l) => l.needsPassword);
  useEffect(() => {
    if (needsPassword) setDialog((d) => d ?? { kind: 'passwords' });
  }, [needsPassword]);

  const callDialed = () => {
    if (!number.trim()) {
      setDialPadOpen(true);
      return;
    }
    // Dialled while talking: the new party joins a conference; with every call on hold it is a
    // new call of its own (a consultation before an attended transfer).
    const inCall = phone.calls.some((c) => c.phase === CallPhase.Active && !c.held);
    engine.dial(number, { conference: inCall });
    setNumberState('');
    setDialPadOpen(false);
  };

  const onDrop = (source: DragSource, target: DropTarget, point: { x: number; y: number }) => {
    const inCall = phone.calls.some((c) => c.phase === CallPhase.Active || c.phase === CallPhase.Dialing);
    let action = dragAction(source, target, inCall);
    if (action.kind === 'none' && target.kind === 'contact') {
      // A contact dropped on a person of the wheel was dropped on the wheel.
      const stage = document.querySelector('[data-stage]')?.getBoundingClientRect();
      if (
        stage &&
        point.x >= stage.left &&
        point.x <= stage.right &&
        point.y >= stage.top &&
        point.y <= stage.bottom
      )
        action = dragAction(source, { kind: 'wheel' }, inCall);
    }
    actions.run(action);
  };

  return (
    <DragLayer onDrop={onDrop}>
      <div className="home">
        <header className="topbar">
          <LineStatusBar onPasswordNeeded={() => setDialog({ kind: 'passwords' })} />
          <span
            className={phone.live ? 'live on' : 'live'}
            title={phone.live ? t('home.live') : t('home.notLive')}
          >
            <span className="visually-hidden">{phone.live ? t('home.live') : t('home.notLive')}</span>
          </span>
          <ServicesBar />
          <h1 className="app-title">{t('app.name')}</h1>
          <button
            type="button"
            className="version-button"
            aria-label={t('home.settings')}
            onClick={() => setDialog({ kind: 'settings' })}
          >
            v{APP_VERSION} <Icon name="gear" size={18} />
          </button>
        </header>
        {!online && (
          <p className="banner" role="status">
            {t('app.offline')}
          </p>
        )}
        {phone.notice && (
          <p className="banner" role="alert">
            {phone.notice}{' '}
            <button type="button" className="link-button" onClick={() => engine.setNotice(undefined)}>
              {t('app.close')}
            </button>
          </p>
        )}
        <FunctionMenu
          dialPadOpen={dialPadOpen}
          toggleDialPad={() => setDialPadOpen((o) => !o)}
          onCall={callDialed}
          open={open}
        />
        <main className="main" aria-label={t('home.main')}>
          {dialPadOpen ? (
            <DialPad number={number} setNumber={setNumber} onCall={callDialed} open={open} />
          ) : (
            <Stage actions={actions} open={open} />
          )}
          {!dialPadOpen && <p className="drag-hint">{t('home.dragHint')}</p>}
        </main>
        <SideTabs actions={actions} open={open} />
      </div>
      {dialog?.kind === 'contact' && (
        <ContactInfo
          partyKey={dialog.key}
          actions={actions}
          open={open}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'contact-form' && (
        <ContactForm
          {...(dialog.contactId !== undefined && { contactId: dialog.contactId })}
          {...(dialog.number !== undefined && { number: dialog.number })}
          onClose={(savedKey) => setDialog(savedKey ? { kind: 'contact', key: savedKey } : undefined)}
        />
      )}
      {dialog?.kind === 'account' && (
        <AccountInfo open={open} actions={actions} onClose={() => setDialog(undefined)} />
      )}
      {dialog?.kind === 'passwords' && <PasswordsDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'settings' && <SettingsDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'transfer' && (
        <TransferDialog callId={dialog.callId} onClose={() => setDialog(undefined)} />
      )}
      {dialog?.kind === 'transfer-menu' && (
        <TransferMenu
          callId={dialog.callId}
          partyKey={dialog.key}
          actions={actions}
          onClose={() => setDialog(undefined)}
        />
      )}
    </DragLayer>
  );
}
