// @switchboard/media — RTP/RTCP, codecs, DTMF, tones, WAV, relay model and mixer. Sans-I/O.
export { ok, malformed, type ParseResult } from './result.ts';

export { RtpPacket, RTP_FIXED_HEADER_LENGTH, RTP_VERSION } from './rtp/rtp-packet.ts';
export type { RtpPacketFields, RtpHeaderExtension } from './rtp/rtp-packet.ts';
export * as rtpHeader from './rtp/rtp-header-fields.ts';

export { RtcpPacketType } from './rtcp/rtcp-header.ts';
export type { ReportBlock } from './rtcp/report-block.ts';
export { SenderReport, type SenderReportFields } from './rtcp/sender-report.ts';
export { ReceiverReport } from './rtcp/receiver-report.ts';
export { SourceDescription, SdesItemType, type SdesChunk, type SdesItem } from './rtcp/source-description.ts';
export { Goodbye } from './rtcp/goodbye.ts';
export { parseRtcp, serializeRtcp, UnknownRtcpPacket, type RtcpPacket } from './rtcp/rtcp-compound.ts';

export type { AudioCodec } from './codec/audio-codec.ts';
export { PCMU, PCMA, linearToUlaw, ulawToLinear, linearToAlaw, alawToLinear } from './codec/g711.ts';
export { l16Encode, l16Decode, makeL16 } from './codec/l16.ts';
export { CodecRegistry, defaultCodecRegistry } from './codec/codec-registry.ts';
export { createTranscoder, transcodeG711InPlace, type PayloadTranscoder } from './codec/transcoder.ts';

export {
  parseTelephoneEvent,
  serializeTelephoneEvent,
  digitToEvent,
  eventToDigit,
  isDtmfDigit,
  type TelephoneEvent,
  type DtmfDigit,
} from './dtmf/telephone-event.ts';
export { planDtmfDigit, type PlannedEventPacket, type DtmfSenderOptions } from './dtmf/dtmf-sender.ts';
export { DtmfReceiver, type DetectedDigit } from './dtmf/dtmf-receiver.ts';

export {
  ToneGenerator,
  generateTone,
  generateDtmfTone,
  dtmfFrequencies,
  DTMF_ROWS,
  DTMF_COLUMNS,
} from './tone/tone-generator.ts';
export {
  goertzelPower,
  signalPower,
  detectTone,
  dominantFrequency,
  detectDtmfDigit,
  type ToneDetection,
} from './tone/goertzel.ts';

export { readWav, writeWav, type WavAudio, type WavFormat } from './wav/wav.ts';
export { looksLikeMpegAudio, walkMpegFrames, type MpegStream } from './mp3/mp3-frames.ts';
export { decodeMpegAudio, type DecodedMpegAudio, type MpegDecodeOptions } from './mp3/mp3-decoder.ts';

export { ReceiveStatistics } from './relay/receive-statistics.ts';
export { OutboundStream } from './relay/outbound-stream.ts';
export { SourceLatch, LatchDecision, type Endpoint } from './relay/source-latch.ts';
export { AudioMixer } from './mixer/audio-mixer.ts';
