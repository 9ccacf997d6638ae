// Which calls an extension has recorded (issue 7): none, the calls it receives, the calls it
// places, or all. A call is recorded when either party's policy covers it: the caller's
// "outbound" or "all", or the callee's "inbound" or "all".

export type RecordingPolicy = 'off' | 'inbound' | 'outbound' | 'all';

export const RECORDING_POLICIES: readonly RecordingPolicy[] = ['off', 'inbound', 'outbound', 'all'];

export function recordsCall(callerPolicy: RecordingPolicy, calleePolicy: RecordingPolicy): boolean {
  return (
    callerPolicy === 'outbound' ||
    callerPolicy === 'all' ||
    calleePolicy === 'inbound' ||
    calleePolicy === 'all'
  );
}
