// The Home Circle with the user's avatar and the calls going on, inside the Activities Wheel.
// The wheel's options (Clear all / all visible / all except pinned) open from the ⋯ button, a
// right click on the stage, or a long press on the user's avatar.
import { useRef, useState } from 'react';
import { CallPhase } from '../calls/call-phase.ts';
import type { CallSnapshot } from '../calls/call.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { activeNoteCount, SELF_SUBJECT } from '../model/notes.ts';
import { clearWheel, type ClearMode } from '../model/wheel.ts';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { homeParties, primaryCall } from './parties.ts';
import { PartyCard } from './party-card.tsx';
import type { HomeActions, HomeDialog } from './use-home-actions.ts';
import { Icon } from '../ui/icons.tsx';

export function Stage({
  actions,
  open,
}: {
  readonly actions: HomeActions;
  readonly open: (d: HomeDialog) => void;
}) {
  const { t } = useI18n();
  const { stores } = useApp();
  const phone = usePhone();
  const contacts = useStore(stores.contacts);
  const wheel = useStore(stores.wheel);
  const settings = useStore(stores.settings);
  const notes = useStore(stores.notes);
  const [menu, setMenu] = useState(false);
  const press = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const parties = homeParties(phone.calls, contacts, wheel);
  const inCall = phone.calls.some(
    (c: CallSnapshot) => c.phase === CallPhase.Active || c.phase === CallPhase.Dialing,
  );
  const transferCallId =
    primaryCall(phone.calls)?.phase === CallPhase.Active ? primaryCall(phone.calls)?.id : undefined;
  const me = phone.lines.find((l) => l.id === settings.selectedLineId) ?? phone.lines[0];
  const myName = me?.displayName || me?.name || t('home.you');
  const slots = Math.max(parties.wheel.length, 8);

  const clear = (mode: ClearMode) => {
    stores.wheel.set((entries) => clearWheel(entries, mode));
    setMenu(false);
  };

  return (
    <section
      className="stage"
      data-drop="wheel"
      data-stage
      aria-label={t('home.wheel')}
      onContextMenu={(e) => {
        e.preventDefault();
        setMenu(true);
      }}
    >
      <ul className="wheel" aria-label={t('home.wheel')}>
        {parties.wheel.map((party, i) => {
          const angle = (-90 + (i * 360) / slots) * (Math.PI / 180);
          return (
            <PartyCard
              key={party.call?.id ?? party.key}
              party={party}
              place="wheel"
              inCall={inCall}
              transferCallId={transferCallId}
              actions={actions}
              open={open}
              style={{
                ['--x' as string]: Math.cos(angle).toFixed(3),
                ['--y' as string]: Math.sin(angle).toFixed(3),
              }}
            />
          );
        })}
      </ul>
      <div
        className={parties.circle.length > 0 ? 'circle busy' : 'circle'}
        data-drop="circle"
        role="group"
        aria-label={t('home.circle')}
      >
        <button
          type="button"
          className="me"
          aria-label={t('home.openAccount')}
          onClick={() => open({ kind: 'account' })}
          onPointerDown={() => {
            press.current = setTimeout(() => setMenu(true), 700);
          }}
          onPointerUp={() => clearTimeout(press.current)}
          onPointerLeave={() => clearTimeout(press.current)}
        >
          <Avatar
            name={myName}
            picture={settings.avatar}
            size={parties.circle.length > 0 ? 64 : 110}
            notes={activeNoteCount(notes, SELF_SUBJECT)}
          />
          {parties.circle.length === 0 && <span className="me-name">{myName}</span>}
        </button>
        {parties.circle.length > 0 && (
          <ul className="circle-parties" aria-label={t('call.talking')}>
            {parties.circle.map((party) => (
              <PartyCard
                key={party.call?.id ?? party.key}
                party={party}
                place="circle"
                inCall={inCall}
                transferCallId={undefined}
                actions={actions}
                open={open}
              />
            ))}
          </ul>
        )}
        {parties.circle.length === 0 && parties.wheel.length === 0 && (
          <p className="hint">{t('home.emptyWheel')}</p>
        )}
      </div>
      <div className="wheel-menu">
        <button
          type="button"
          className="icon-button"
          aria-label={t('home.wheelMenu')}
          aria-expanded={menu}
          onClick={() => setMenu((m) => !m)}
        >
          <Icon name="more" />
        </button>
        {menu && (
          <ul role="menu" aria-label={t('home.wheelMenu')} className="menu">
            <li role="none">
              <button role="menuitem" type="button" onClick={() => clear('all')}>
                {t('home.clearAll')}
              </button>
            </li>
            <li role="none">
              <button role="menuitem" type="button" onClick={() => clear('visible')}>
                {t('home.clearVisible')}
              </button>
            </li>
            <li role="none">
              <button role="menuitem" type="button" onClick={() => clear('except-pinned')}>
                {t('home.clearExceptPinned')}
              </button>
            </li>
          </ul>
        )}
      </div>
    </section>
  );
}
