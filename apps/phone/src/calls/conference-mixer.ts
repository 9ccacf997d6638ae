// The local conference: the user's app is the bridge (the inviting party controls the call). For
// every call in the conference, what it is sent is our microphone plus every other member's
// voice, mixed with Web Audio; what we hear is each call's own playback. Calls leave the mix when
// put on hold or ended; with one member left, it gets the plain microphone back.
import type { Call } from './call.ts';

interface Member {
  readonly call: Call;
  readonly remote: MediaStreamAudioSourceNode;
  readonly mic: MediaStreamAudioSourceNode;
  readonly out: MediaStreamAudioDestinationNode;
}

export class ConferenceMixer {
  private context: AudioContext | undefined;
  private members: Member[] = [];
  private key = '';

  /** Rebuilds the mix for `calls` (the active, not held, conference calls). */
  async update(calls: readonly Call[]): Promise<void> {
    const usable = calls.filter((c) => c.remoteStream && c.microphoneTrack);
    const key = usable.map((c) => c.id).join(',');
    if (key === this.key) return;
    this.key = key;
    const leaving = this.members;
    this.members = [];
    for (const m of leaving) {
      m.remote.disconnect();
      m.mic.disconnect();
    }
    if (usable.length < 2) {
      await Promise.all(usable.map((c) => c.sendMix(null)));
      for (const m of leaving)
        if (!usable.includes(m.call)) await m.call.sendMix(null).catch(() => undefined);
      return;
    }
    const context = (this.context ??= new AudioContext());
    if (context.state === 'suspended') await context.resume().catch(() => undefined);
    this.members = usable.map((call) => ({
      call,
      remote: context.createMediaStreamSource(call.remoteStream!),
      mic: context.createMediaStreamSource(new MediaStream([call.microphoneTrack!])),
      out: context.createMediaStreamDestination(),
    }));
    for (const member of this.members) {
      member.mic.connect(member.out);
      for (const other of this.members) if (other !== member) other.remote.connect(member.out);
      await member.call.sendMix(member.out.stream.getAudioTracks()[0] ?? null);
    }
  }

  close(): void {
    for (const m of this.members) {
      m.remote.disconnect();
      m.mic.disconnect();
    }
    this.members = [];
    this.key = '';
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }
}
