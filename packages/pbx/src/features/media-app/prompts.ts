// The prompts the PBX's own applications play. Switchboard ships no recorded voice (and has no
// speech synthesis), so each prompt is a short, distinct tone pattern; docs/voicemail.md and
// docs/conference.md list them. A tenant's recorded greeting replaces the default greeting.
import type { AudioSource } from './endpoint-port.ts';

const tone = (hz: number | readonly number[], durationMs: number, amplitude = 0.2): AudioSource => ({
  tone: typeof hz === 'number' ? [hz] : hz,
  durationMs,
  amplitude,
});
const pause = (ms: number): AudioSource => ({ silenceMs: ms });

/** The record beep: speak after it (a 1 kHz beep, as on most answering machines). */
export const BEEP: readonly AudioSource[] = [pause(150), tone(1000, 450, 0.25), pause(100)];

/** Default greeting: a three-note chime ("you reached the voicemail of this extension"), then the beep. */
export const DEFAULT_GREETING: readonly AudioSource[] = [
  pause(300),
  tone(523, 250),
  tone(659, 250),
  tone(784, 450),
  pause(400),
];

/** "Enter your PIN, then #": three short pips. */
export const ENTER_PIN: readonly AudioSource[] = [
  pause(200),
  tone(880, 90),
  pause(70),
  tone(880, 90),
  pause(70),
  tone(880, 90),
];

/** Wrong PIN, unknown mailbox or refused action: the special information tone (ITU-T E.180). */
export const REFUSED: readonly AudioSource[] = [pause(150), tone(950, 330), tone(1400, 330), tone(1800, 330)];

/** "You have N new messages": one 1.2 kHz pip per new message (at most 9), then a pause. */
export function messageCount(count: number): AudioSource[] {
  const pips: AudioSource[] = [pause(300)];
  for (let i = 0; i < Math.min(count, 9); i++) pips.push(tone(1200, 120), pause(120));
  return pips;
}

/** No (more) messages: two falling tones. */
export const NO_MESSAGES: readonly AudioSource[] = [pause(200), tone(660, 300), tone(440, 450)];

/** Before each message: a short double pip. */
export const MESSAGE_START: readonly AudioSource[] = [
  pause(200),
  tone(1400, 60),
  pause(60),
  tone(1400, 60),
  pause(300),
];

/** The menu (1 play, 2 next, 7 delete, 9 save, * again, # end): a rising pair. */
export const MENU: readonly AudioSource[] = [pause(250), tone(600, 120), pause(50), tone(900, 160)];

/** Done (deleted, saved, greeting recorded): a rising triad. */
export const DONE: readonly AudioSource[] = [pause(150), tone(660, 120), tone(880, 120), tone(1100, 200)];

/** Goodbye: three falling tones. */
export const GOODBYE: readonly AudioSource[] = [pause(150), tone(880, 150), tone(660, 150), tone(440, 300)];

/** Someone joined the conference: rising two tones; left: falling. */
export const JOINED: readonly AudioSource[] = [tone(600, 120, 0.15), tone(900, 160, 0.15)];
export const LEFT: readonly AudioSource[] = [tone(900, 120, 0.15), tone(600, 160, 0.15)];
/** You are muted: one low pip; unmuted: one high pip. */
export const MUTED: readonly AudioSource[] = [tone(400, 200, 0.2)];
export const UNMUTED: readonly AudioSource[] = [tone(1000, 200, 0.2)];
/** You are alone in the conference: a slow repeating soft tone (looped while alone). */
export const ALONE: readonly AudioSource[] = [tone(480, 300, 0.08), pause(2700)];
