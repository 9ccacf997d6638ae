import { digitToEvent, serializeTelephoneEvent } from './telephone-event.ts';

/** One RTP packet of a DTMF event, to send `atMs` after the event starts. */
export interface PlannedEventPacket {
  readonly atMs: number;
  /** RFC 4733 §2.5.1.3: the marker bit is set on the first packet of an event. */
  readonly marker: boolean;
  /** The event's timestamp: the same in every packet of the event (RFC 4733 §2.3.1). */
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

export interface DtmfSenderOptions {
  readonly clockRate?: number;
  /** Interval between packets, RFC 4733 §2.5.1.2 suggests 50 ms or the audio packet interval. */
  readonly packetIntervalMs?: number;
  /** Power level, 0 to 63 meaning 0 to -63 dBm0. */
  readonly volume?: number;
  /** RFC 4733 §2.5.1.4: the final packet is sent three times. */
  readonly endRepeats?: number;
}

/**
 * Plans the packets of one DTMF digit, RFC 4733 §2.5.1: a start packet with the marker bit,
 * continuation packets with growing duration, then the end packet (E bit) sent three times
 * with the same duration. Sans-I/O: the caller sends each packet at its `atMs` and gives it
 * a sequence number from the stream it joins.
 */
export function planDtmfDigit(
  digit: string,
  timestamp: number,
  durationMs: number,
  options: DtmfSenderOptions = {},
): PlannedEventPacket[] {
  const event = digitToEvent(digit);
  if (event === undefined) throw new RangeError(`not a DTMF digit: ${digit}`);
  const clockRate = options.clockRate ?? 8000;
  const interval = options.packetIntervalMs ?? 20;
  const volume = options.volume ?? 10;
  const repeats = options.endRepeats ?? 3;
  const units = (ms: number): number => Math.round((ms * clockRate) / 1000);
  const packets: PlannedEventPacket[] = [];
  let at = 0;
  for (; at < durationMs; at += interval) {
    packets.push({
      atMs: at,
      marker: at === 0,
      timestamp: timestamp >>> 0,
      payload: serializeTelephoneEvent({ event, end: false, volume, duration: units(at + interval) }),
    });
  }
  const endPayload = serializeTelephoneEvent({ event, end: true, volume, duration: units(durationMs) });
  for (let i = 0; i < repeats; i++) {
    packets.push({ atMs: at + i * interval, marker: false, timestamp: timestamp >>> 0, payload: endPayload });
  }
  return packets;
}
