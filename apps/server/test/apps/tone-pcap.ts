// A pcap file of RTP carrying a tone, for SIPp's play_pcap_audio: one G.711 packet every 20 ms
// inside Ethernet/IPv4/UDP frames (SIPp sends each UDP payload to the call's media address at
// the capture's pace).
//
//   pcap header (24) | per packet: record header (16) Ethernet (14) IPv4 (20) UDP (8) RTP (12 + 160)
import { writeFile } from 'node:fs/promises';
import { PCMA, PCMU, RtpPacket, ToneGenerator } from '@switchboard/media';

export async function writeTonePcap(
  file: string,
  options: { readonly hz: number; readonly seconds: number; readonly codec?: 'PCMA' | 'PCMU' },
): Promise<void> {
  const codec = options.codec === 'PCMU' ? PCMU : PCMA;
  const tone = new ToneGenerator([options.hz], { amplitude: 0.3 });
  const frames = Math.round(options.seconds * 50);
  const records: Uint8Array[] = [];
  const header = new Uint8Array(24);
  const h = new DataView(header.buffer);
  h.setUint32(0, 0xa1b2c3d4, true); // magic, microsecond timestamps
  h.setUint16(4, 2, true);
  h.setUint16(6, 4, true);
  h.setUint32(16, 65535, true); // snaplen
  h.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  records.push(header);
  for (let i = 0; i < frames; i++) {
    const rtp = new RtpPacket({
      payloadType: codec.staticPayloadType!,
      sequenceNumber: (1000 + i) & 0xffff,
      timestamp: i * 160,
      ssrc: 0x5eed5eed,
      marker: i === 0,
      payload: codec.encode(tone.next(160)),
    }).serialize();
    const frame = new Uint8Array(14 + 20 + 8 + rtp.length);
    const f = new DataView(frame.buffer);
    f.setUint16(12, 0x0800); // IPv4
    frame[14] = 0x45; // version 4, header 20 octets
    f.setUint16(16, 20 + 8 + rtp.length);
    frame[22] = 64; // TTL
    frame[23] = 17; // UDP
    frame.set([127, 0, 0, 1], 26);
    frame.set([127, 0, 0, 1], 30);
    let sum = 0;
    for (let j = 14; j < 34; j += 2) sum += f.getUint16(j);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    f.setUint16(24, ~sum & 0xffff); // IPv4 header checksum
    f.setUint16(34, 40000);
    f.setUint16(36, 40002);
    f.setUint16(38, 8 + rtp.length);
    frame.set(rtp, 42);
    const record = new Uint8Array(16);
    const r = new DataView(record.buffer);
    const us = i * 20_000;
    r.setUint32(0, 1_700_000_000 + Math.floor(us / 1e6), true);
    r.setUint32(4, us % 1e6, true);
    r.setUint32(8, frame.length, true);
    r.setUint32(12, frame.length, true);
    records.push(record, frame);
  }
  const total = records.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  await writeFile(file, out);
}
