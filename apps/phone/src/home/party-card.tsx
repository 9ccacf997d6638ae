// A person on the Home screen — in the Home Circle or on the Activities Wheel — with the
// buttons that do what dragging them does (Answer, Decline, Hang up, Hold, Resume, Mute,
// Unmute, Call, Add to conference, Transfer), so nothing needs a pointer.
import { CallPhase } from '../calls/call-phase.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { activeNoteCount } from '../model/notes.ts';
import { formatDuration } from '../model/recents.ts';
import { removeFromWheel } from '../model/wheel.ts';
import { useApp, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { useDrag } from './drag.tsx';
import type { PartyView } from './parties.ts';
import type { HomeActions, HomeDialog } from './use-home-actions.ts';
import { useNow } from './use-now.ts';

export interface PartyCardProps {
  readonly party: PartyView;
  readonly place: 'circle' | 'wheel';
  /** Some call is going on (a contact's Call becomes Add to conference, and Transfer appears). */
  readonly inCall: boolean;
  /** The call a Transfer button would transfer. */
  readonly transferCallId: string | undefined;
  readonly actions: HomeActions;
  readonly open: (dialog: HomeDialog) => void;
  readonly style?: React.CSSProperties;
}

export function PartyCard({ party, place, inCall, transferCallId, actions, open, style }: PartyCardProps) {
  const { t } = useI18n();
  const { engine, stores } = useApp();
  const notes = useStore(stores.notes);
  const { handlers } = useDrag();
  const call = party.call;
  const now = useNow(call?.phase === CallPhase.Active);
  const noteKey = party.key;
  const status = !call
    ? party.number !== party.name
      ? party.number
      : ''
    : call.phase === CallPhase.Ringing
      ? t('call.incoming')
      : call.phase === CallPhase.Dialing
        ? call.alerting
          ? t('call.ringing')
          : t('call.calling')
        : call.held
          ? t('call.onHold')
          : call.muted
            ? t('call.muted')
            : call.remoteHeld
              ? t('call.remoteHold')
              : call.conference
                ? t('call.conference')
                : t('call.talking');
  const classes = [
    'party',
    `place-${place}`,
    call ? `call-${call.phase}` : 'contact',
    call?.held ? 'held' : '',
    call?.muted ? 'muted' : '',
  ]
    .filter(Boolean)
    .join(' ');

  // Everyone but the owner muted / held, as the PBX last reported the room.
  const others = call?.participants.filter((p) => !p.owner) ?? [];
  const othersMuted = others.length > 0 && others.every((p) => p.muted);
  const othersHeld = others.length > 0 && others.every((p) => p.held);
  const button = (label: string, onClick: () => void, kind = '') => (
    <button type="button" className={`party-action ${kind}`} onClick={onClick}>
      {label}
    </button>
  );

  return (
    <li
      className={classes}
      style={style}
      data-drop={call ? undefined : party.key}
      data-party={party.key}
      aria-label={`${party.name}${status ? ', ' + status : ''}`}
    >
      <button
        type="button"
        className="party-avatar"
        aria-label={t('contact.infoFor', { name: party.name })}
        onClick={(e) => {
          // Keyboard activation (pointer clicks come through the drag handler).
          if (e.detail === 0) open({ kind: 'contact', key: party.key });
        }}
        {...handlers(party.source, party.name, () => open({ kind: 'contact', key: party.key }))}
      >
        <Avatar
          name={party.name}
          picture={party.contact?.avatar}
          unknown={!party.contact}
          size={place === 'circle' ? 72 : 52}
          notes={activeNoteCount(notes, noteKey)}
        />
      </button>
      <span className="party-name">{party.name}</span>
      {call && !party.contact && party.number && party.number !== party.name && (
        // An unknown caller: the question mark, the name the PBX gave, and the number.
        <span className="party-status party-number">{party.number}</span>
      )}
      {status && <span className="party-status">{status}</span>}
      {call?.phase === CallPhase.Active && call.answeredAt !== undefined && (
        <span className="party-timer" role="timer">
          {formatDuration((now - call.answeredAt) / 1000)}
        </span>
      )}
      {call?.phase === CallPhase.Active && (
        <meter
          className="party-level"
          min={0}
          max={1}
          value={call.stats?.audioLevel ?? 0}
          aria-label={t('call.level')}
          data-packets-received={call.stats?.packetsReceived ?? 0}
          data-packets-sent={call.stats?.packetsSent ?? 0}
          data-audio-energy={call.stats?.totalAudioEnergy ?? 0}
          data-codec={call.stats?.codec ?? ''}
        />
      )}
      {call?.reason && call.phase !== CallPhase.Ended && <span className="party-reason">{call.reason}</span>}
      <span className="party-actions">
        {call?.phase === CallPhase.Ringing && (
          <>
            {button(t('action.answer'), () => void engine.answer(call.id), 'good')}
            {button(t('action.decline'), () => engine.decline(call.id), 'bad')}
          </>
        )}
        {call?.phase === CallPhase.Dialing && button(t('action.hangUp'), () => engine.hangUp(call.id), 'bad')}
        {call?.phase === CallPhase.Active && (
          <>
            {call.muted
              ? button(t('action.unmute'), () => engine.mute(call.id, false))
              : button(t('action.mute'), () => engine.mute(call.id, true))}
            {call.held
              ? button(t('action.resume'), () => void engine.hold(call.id, false))
              : button(t('action.hold'), () => void engine.hold(call.id, true))}
            {button(t('action.transfer'), () => open({ kind: 'transfer', callId: call.id }))}
            {button(t('action.hangUp'), () => engine.hangUp(call.id), 'bad')}
            {call.room && (
              // The room owner's controls (the PBX's bridge, docs/conference.md).
              <>
                {button(
                  othersMuted ? t('conference.unmuteOthers') : t('conference.muteOthers'),
                  () => void engine.conferenceRoom(call.id, { muted: !othersMuted }),
                )}
                {button(
                  othersHeld ? t('conference.resumeOthers') : t('conference.holdOthers'),
                  () => void engine.conferenceRoom(call.id, { held: !othersHeld }),
                )}
                {button(t('conference.end'), () => void engine.conferenceRoom(call.id, 'end'), 'bad')}
                <span className="conference-members" role="group" aria-label={t('conference.participants')}>
                  {call.participants
                    .filter((p) => !p.owner)
                    .map((p) => (
                      <span key={p.id} className="conference-member">
                        <span>
                          {p.name || p.extension}
                          {p.muted ? ` · ${t('call.muted')}` : ''}
                          {p.held ? ` · ${t('call.onHold')}` : ''}
                        </span>
                        {button(
                          t(p.muted ? 'conference.unmuteOne' : 'conference.muteOne', {
                            name: p.name || p.extension,
                          }),
                          () => void engine.participant(call.id, p.id, { muted: !p.muted }),
                        )}
                        {button(
                          t(p.held ? 'conference.resumeOne' : 'conference.holdOne', {
                            name: p.name || p.extension,
                          }),
                          () => void engine.participant(call.id, p.id, { held: !p.held }),
                        )}
                        {button(
                          t('conference.hangUpOne', { name: p.name || p.extension }),
                          () => void engine.participant(call.id, p.id, 'remove'),
                          'bad',
                        )}
                      </span>
                    ))}
                </span>
              </>
            )}
          </>
        )}
        {!call && (
          <>
            {inCall
              ? button(t('action.conference'), () => actions.callKey(party.key, { conference: true }))
              : button(t('action.call'), () => actions.callKey(party.key), 'good')}
            {transferCallId &&
              button(t('action.transfer'), () =>
                open({ kind: 'transfer-menu', callId: transferCallId, key: party.key }),
              )}
            {place === 'wheel' &&
              (party.pinned
                ? button(t('action.unpin'), () => actions.pin(party.key, false))
                : button(t('action.pin'), () => actions.pin(party.key, true)))}
            {place === 'wheel' &&
              button(t('action.removeFromWheel'), () =>
                stores.wheel.set((w) => removeFromWheel(w, party.key)),
              )}
          </>
        )}
      </span>
    </li>
  );
}
