// The WebRTC side of a call: one RTCPeerConnection whose SDP travels in SIP (offer/answer,
// RFC 3264), the microphone track, and playback of the far end. No STUN or TURN server
// (`iceServers: []`): the PBX answers ICE-lite on its own address, and the browser's host
// candidates are enough to reach it. SDP is sent only once ICE gathering is complete, since
// SIP has no trickle here.
export interface MediaDevicesChoice {
  readonly inputDeviceId?: string;
  readonly outputDeviceId?: string;
}

export interface AudioStats {
  readonly packetsReceived: number;
  readonly packetsSent: number;
  /** 0–1, the level of what we hear now (inbound-rtp audioLevel). */
  readonly audioLevel: number;
  /** Grows while sound (not silence) arrives. */
  readonly totalAudioEnergy: number;
  readonly codec: string | undefined;
}

const GATHERING_TIMEOUT_MS = 3_000;

type HTMLAudioWithSink = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

export class PeerMedia {
  readonly pc: RTCPeerConnection;
  private microphone: MediaStream | undefined;
  private readonly player: HTMLAudioWithSink;
  readonly remoteStream = new MediaStream();
  private sender: RTCRtpSender | undefined;

  constructor(private devices: MediaDevicesChoice) {
    this.pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.player = new Audio() as HTMLAudioWithSink;
    this.player.autoplay = true;
    this.pc.ontrack = (event) => {
      this.remoteStream.addTrack(event.track);
      this.player.srcObject = this.remoteStream;
      void this.player.play().catch(() => undefined);
    };
    void this.applyOutput();
  }

  /** The microphone (asked for once per call). */
  async openMicrophone(): Promise<MediaStreamTrack> {
    const id = this.devices.inputDeviceId;
    this.microphone = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(id ? { deviceId: { exact: id } } : {}),
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
      },
      video: false,
    });
    const track = this.microphone.getAudioTracks()[0];
    if (!track) throw new Error('no microphone track');
    return track;
  }

  get microphoneTrack(): MediaStreamTrack | undefined {
    return this.microphone?.getAudioTracks()[0];
  }

  /** Adds the microphone to the connection (before the offer, or before the answer). */
  async attachMicrophone(): Promise<void> {
    const track = this.microphoneTrack ?? (await this.openMicrophone());
    this.sender = this.pc.addTrack(track, this.microphone!);
  }

  /** The track we send (the microphone, or a conference mix). */
  async sendTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.sender?.replaceTrack(track);
  }

  setMuted(muted: boolean): void {
    const track = this.microphoneTrack;
    if (track) track.enabled = !muted;
  }

  /** Local playback on or off (used when the far end is on hold and the PBX refused the re-INVITE). */
  setPlayback(on: boolean): void {
    this.player.muted = !on;
  }

  async setDevices(devices: MediaDevicesChoice): Promise<void> {
    const inputChanged = devices.inputDeviceId !== this.devices.inputDeviceId;
    this.devices = devices;
    await this.applyOutput();
    if (inputChanged && this.sender && this.microphone) {
      const old = this.microphoneTrack;
      const muted = old ? !old.enabled : false;
      await this.openMicrophone();
      const track = this.microphoneTrack!;
      track.enabled = !muted;
      await this.sender.replaceTrack(track);
      old?.stop();
    }
  }

  private async applyOutput(): Promise<void> {
    const id = this.devices.outputDeviceId;
    if (id && typeof this.player.setSinkId === 'function')
      await this.player.setSinkId(id).catch(() => undefined);
  }

  /** Our offer (initial, or a re-offer for hold/resume), with every candidate in it. */
  async createOffer(): Promise<string> {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    return this.completeLocalDescription();
  }

  /** Our answer to the far end's offer. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    return this.completeLocalDescription();
  }

  /** The far end's answer; `provisional` for early media (183), the final one after. */
  async acceptAnswer(sdp: string, provisional = false): Promise<void> {
    if (this.pc.signalingState === 'stable') {
      // The 200 repeats the answer of an earlier 183: nothing to do if it is the same.
      if (this.pc.remoteDescription?.sdp === sdp) return;
    }
    await this.pc.setRemoteDescription({ type: provisional ? 'pranswer' : 'answer', sdp });
  }

  /** Drops a local offer the far end refused (e.g. 488 or 491 to a re-INVITE). */
  async rollback(): Promise<void> {
    if (this.pc.signalingState === 'have-local-offer')
      await this.pc.setLocalDescription({ type: 'rollback' });
  }

  /** Hold (`sendonly`, RFC 3264 §8.4) or resume (`sendrecv`) for the next offer. */
  setDirection(direction: RTCRtpTransceiverDirection): void {
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.receiver.track.kind === 'audio') transceiver.direction = direction;
    }
  }

  /** RFC 4733 telephone-events when negotiated; false when the far end did not offer them. */
  sendDtmf(tones: string): boolean {
    const dtmf = this.sender?.dtmf;
    if (!dtmf || !dtmf.canInsertDTMF) return false;
    dtmf.insertDTMF(tones, 100, 70);
    return true;
  }

  async stats(): Promise<AudioStats> {
    let packetsReceived = 0;
    let packetsSent = 0;
    let audioLevel = 0;
    let totalAudioEnergy = 0;
    let codecId: string | undefined;
    const report = await this.pc.getStats();
    const codecs = new Map<string, string>();
    report.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'codec') codecs.set(String(entry.id), String(entry.mimeType ?? ''));
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
        packetsReceived += Number(entry.packetsReceived ?? 0);
        audioLevel = Math.max(audioLevel, Number(entry.audioLevel ?? 0));
        totalAudioEnergy += Number(entry.totalAudioEnergy ?? 0);
        codecId = entry.codecId as string | undefined;
      }
      if (entry.type === 'outbound-rtp' && entry.kind === 'audio')
        packetsSent += Number(entry.packetsSent ?? 0);
    });
    const codec = codecId ? codecs.get(codecId)?.replace(/^audio\//, '') : undefined;
    return { packetsReceived, packetsSent, audioLevel, totalAudioEnergy, codec };
  }

  close(): void {
    this.microphone?.getTracks().forEach((t) => t.stop());
    this.pc.close();
    this.player.srcObject = null;
  }

  private completeLocalDescription(): Promise<string> {
    const pc = this.pc;
    const done = (): string => pc.localDescription?.sdp ?? '';
    if (pc.iceGatheringState === 'complete') return Promise.resolve(done());
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', onChange);
        resolve(done());
      };
      const onChange = (): void => {
        if (pc.iceGatheringState === 'complete') finish();
      };
      // Without STUN servers gathering ends fast; should it hang, send what we have.
      const timer = setTimeout(finish, GATHERING_TIMEOUT_MS);
      pc.addEventListener('icegatheringstatechange', onChange);
    });
  }
}
