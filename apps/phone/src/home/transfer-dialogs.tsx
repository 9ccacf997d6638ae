// Transfer: to a typed number or a contact (the Transfer button) — blind, by REFER — or, with a
// second call going on, connecting the two parties (attended: REFER with Replaces); and the menu
// a drop of a call party onto a contact opens — Pin and hold, Pin and mute, Transfer.
import { useState, type FormEvent } from 'react';
import { CallPhase } from '../calls/call-phase.ts';
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
  const nameOf = (c: { readonly number: string; readonly name: string | undefined }) =>
    contacts.find((k) => k.numbers.some((n) => n.number === c.number))?.name ?? c.name ?? c.number;
  const name = call ? nameOf(call) : '';
  // Attended transfer: the other answered calls can be connected with this one.
  const others = phone.calls.filter((c) => c.id !== callId && c.phase === CallPhase.Active);
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
        {others.length > 0 && (
          <div className="menu-list" role="group" aria-label={t('call.completeTransferHelp')}>
            <p>{t('call.completeTransferHelp')}</p>
            {others.map((other) => (
              <button
                key={other.id}
                type="button"
                onClick={() => {
                  onClose();
                  void engine.completeTransfer(callId, other.id);
                }}
              >
                {t('call.completeTransfer', { name, other: nameOf(other) })}
              </button>
            ))}
          </div>
        )}
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
