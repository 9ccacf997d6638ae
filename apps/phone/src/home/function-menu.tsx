// The Phone Function Menu: Mute/Unmute, Answer/Hang up (Call when the dial pad has a number),
// Dial pad/Home, Hold/Resume, Transfer, Record — acting on the call going on (parties.primaryCall).
import { CallPhase } from '../calls/call-phase.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp, usePhone } from '../ui/app-context.tsx';
import { Icon } from '../ui/icons.tsx';
import { RecordButton } from '../recordings/record-button.tsx';
import { primaryCall } from './parties.ts';
import type { HomeDialog } from './use-home-actions.ts';

export interface FunctionMenuProps {
  readonly dialPadOpen: boolean;
  readonly toggleDialPad: () => void;
  /** The dial pad's number, called by the Call button. */
  readonly onCall: () => void;
  readonly open: (dialog: HomeDialog) => void;
}

export function FunctionMenu({ dialPadOpen, toggleDialPad, onCall, open }: FunctionMenuProps) {
  const { t } = useI18n();
  const { engine } = useApp();
  const phone = usePhone();
  const current = primaryCall(phone.calls);
  const ringing = phone.calls.find((c) => c.phase === CallPhase.Ringing);
  const active = phone.calls.find((c) => c.phase === CallPhase.Active && !c.held);
  const held = phone.calls.find((c) => c.phase === CallPhase.Active && c.held);

  return (
    <nav className="function-menu" aria-label={t('menu.label')}>
      <div
        role="toolbar"
        aria-label={t('menu.label')}
        aria-orientation="vertical"
        className="function-toolbar"
      >
        {active?.muted ? (
          <button type="button" className="fn on" onClick={() => engine.mute(active.id, false)}>
            <Icon name="micOff" />
            {t('action.unmute')}
          </button>
        ) : (
          <button
            type="button"
            className="fn"
            disabled={!active}
            onClick={() => active && engine.mute(active.id, true)}
          >
            <Icon name="mic" />
            {t('action.mute')}
          </button>
        )}
        {ringing ? (
          <button type="button" className="fn good ringing" onClick={() => void engine.answer(ringing.id)}>
            <Icon name="phone" />
            {t('action.answer')}
          </button>
        ) : current ? (
          <button type="button" className="fn bad" onClick={() => engine.hangUp(current.id)}>
            <Icon name="hangUp" />
            {t('action.hangUp')}
          </button>
        ) : (
          <button type="button" className="fn good" onClick={onCall}>
            <Icon name="phone" />
            {t('action.call')}
          </button>
        )}
        <button type="button" className="fn" aria-pressed={dialPadOpen} onClick={toggleDialPad}>
          <Icon name={dialPadOpen ? 'home' : 'dialpad'} />
          {dialPadOpen ? t('menu.home') : t('menu.dialPad')}
        </button>
        {!active && held ? (
          <button type="button" className="fn on" onClick={() => void engine.hold(held.id, false)}>
            <Icon name="play" />
            {t('action.resume')}
          </button>
        ) : (
          <button
            type="button"
            className="fn"
            disabled={!active}
            onClick={() => active && void engine.hold(active.id, true)}
          >
            <Icon name="pause" />
            {t('action.hold')}
          </button>
        )}
        <button
          type="button"
          className="fn"
          disabled={!active && !held}
          onClick={() => {
            const target = active ?? held;
            if (target) open({ kind: 'transfer', callId: target.id });
          }}
        >
          <Icon name="transfer" />
          {t('action.transfer')}
        </button>
        <RecordButton call={active} />
      </div>
    </nav>
  );
}
