// Transfer: to a typed number or a contact (the Transfer button), and the menu a drop of a call
// party onto a contact opens — Pin and hold, Pin and mute, Transfer.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { partyFromKey } from './parties.ts';
import type { HomeActions } from './use-home-actions.ts';

export function TransferDialog({
  callId,
  onClose,
}: {
  readonly callId: string;
  readonly onClose: () => void;
}) {
  const { t } = useI18n();
  const { engine, stores } = useApp();
  const phone = usePhone();
  const contacts = useStore(stores.contacts);
  const call = phone.calls.find((c) => c.id === callId);
  const [target, setTarget] = useState('');
  const name = call
    ? (contacts.find((c) => c.numbers.some((n) => n.number === call.number))?.name ??
      call.name ??
      call.number)
    : '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!target.trim()) return;
    onClose();
    void engine.transfer(callId, target);
  };
  return (
    <Dialog title={t('call.transferTo', { name })} onClose={onClose}>
      <form onSubmit={submit}>
        <p>{t('call.transferHelp')}</p>
        <label className="field">
          <span>{t('call.transferNumber')}</span>
          <input
            list="transfer-contacts"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            autoFocus
          />
        </label>
        <datalist id="transfer-contacts">
          {contacts.flatMap((c) =>
            c.numbers.map((n) => (
              <option key={`${c.id}-${n.number}`} value={n.number}>
                {c.name}
              </option>
            )),
          )}
        </datalist>
        <div className="row">
          <button type="submit" className="primary" disabled={!target.trim()}>
            {t('action.transfer')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function TransferMenu({
  callId,
  partyKey,
  actions,
  onClose,
}: {
  readonly callId: string;
  readonly partyKey: string;
  readonly actions: HomeActions;
  readonly onClose: () => void;
}) {
  const { t } = useI18n();
  const { engine, stores } = useApp();
  const contacts = useStore(stores.contacts);
  const target = partyFromKey(contacts, partyKey);
  const choose = (what: 'hold' | 'mute' | 'transfer') => {
    onClose();
    if (what === 'transfer') {
      void engine.transfer(callId, target.number);
      return;
    }
    actions.pin(partyKey, true);
    if (what === 'hold') void engine.hold(callId, true);
    else engine.mute(callId, true);
  };
  return (
    <Dialog title={t('call.menuFor', { name: target.name })} onClose={onClose}>
      <div className="menu-list" role="group">
        <button type="button" onClick={() => choose('hold')}>
          {t('action.pinAndHold')}
        </button>
        <button type="button" onClick={() => choose('mute')}>
          {t('action.pinAndMute')}
        </button>
        <button type="button" className="primary" onClick={() => choose('transfer')}>
          {t('action.transfer')}
        </button>
      </div>
    </Dialog>
  );
}
