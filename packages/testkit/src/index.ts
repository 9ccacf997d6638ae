export { startPostgres, findPostgresBin, type PostgresServer } from './postgres.ts';
// begin switchboard-sip-fakes block
// SIP fakes: time, network, transport, message fixtures.
export { FakeClock } from './fake-clock.ts';
export {
  FakeEndpoint,
  FakeNetwork,
  type FakeNetworkOptions,
  type FaultRule,
  type MessageHandler,
  type PacketFate,
  type PacketRecord,
} from './fake-network.ts';
export { RecordingTransport, type SentMessage } from './recording-transport.ts';
export { inviteText, optionsText } from './fixtures.ts';
// end switchboard-sip-fakes block
// SIP interop: a test UAS on the real transports, and the SIPp driver.
export { TestUas, type TestUasOptions, type Binding, type CallState } from './test-uas.ts';
export { runSipp, parseStats, type SippOptions, type SippResult } from './sipp.ts';
// Real phones driven in interop tests.
export { Baresip, type BaresipAccount, type BaresipEvent, type BaresipOptions } from './baresip.ts';
export { Linphone, type LinphoneAccount, type LinphoneOptions } from './linphone.ts';
export { freePort } from './free-port.ts';
// Debian's Chromium for the WebRTC tests.
export {
  CHROMIUM,
  CHROMIUM_QUIET_FLAGS,
  CHROMIUM_TEST_FLAGS,
  launchTestChromium,
  type TestChromiumContext,
} from './chromium.ts';
export { waitUntil } from './wait-until.ts';
