// Runs inside Chromium (added to the page by the WebRTC tests): one RTCPeerConnection that sends
// an oscillator tone (or the fake microphone) and measures what it hears with an AnalyserNode.
/* global window, document, RTCPeerConnection, AudioContext */

window.peer = {
  pc: undefined,
  ctx: undefined,
  analyser: undefined,
  sender: undefined,
  dtmfSent: '',

  /**
   * Creates the connection and its offer: at once (`gather: false`: an ICE-lite peer never uses
   * our candidates) or after gathering finished (non-trickle, what SIP phones expect).
   */
  async offer({ toneHz, useMicrophone, gather }) {
    const pc = this.setup();
    await this.addAudio(pc, toneHz, useMicrophone);
    await pc.setLocalDescription(await pc.createOffer());
    if (gather !== false) await this.gathered(pc);
    return pc.localDescription.sdp;
  },

  /** Answers an offer from the PBX side. */
  async answer({ sdp, toneHz }) {
    const pc = this.setup();
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await this.addAudio(pc, toneHz, false);
    await pc.setLocalDescription(await pc.createAnswer());
    await this.gathered(pc);
    return pc.localDescription.sdp;
  },

  async accept(sdp) {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  },

  setup() {
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    this.ctx = new AudioContext({ sampleRate: 48000 });
    pc.ontrack = (event) => {
      const stream = event.streams[0] || new window.MediaStream([event.track]);
      // Chromium feeds a remote WebRTC track to Web Audio only while a media element plays it.
      const audio = document.createElement('audio');
      audio.muted = true;
      audio.srcObject = stream;
      audio.play().catch(() => undefined);
      const source = this.ctx.createMediaStreamSource(stream);
      const analyser = this.ctx.createAnalyser();
      analyser.fftSize = 8192;
      source.connect(analyser);
      this.analyser = analyser;
    };
    return pc;
  },

  async addAudio(pc, toneHz, useMicrophone) {
    let stream;
    if (useMicrophone) {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } else {
      const osc = this.ctx.createOscillator();
      osc.frequency.value = toneHz;
      const gain = this.ctx.createGain();
      gain.gain.value = 0.5;
      const dest = this.ctx.createMediaStreamDestination();
      osc.connect(gain).connect(dest);
      osc.start();
      stream = dest.stream;
    }
    await this.ctx.resume();
    const track = stream.getAudioTracks()[0];
    const existing = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (existing) {
      await existing.sender.replaceTrack(track);
      existing.direction = 'sendrecv';
      this.sender = existing.sender;
    } else {
      this.sender = pc.addTrack(track, stream);
    }
  },

  gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      });
    });
  },

  /** The strongest frequency the analyser hears, in Hz, and its level in dB. */
  heard() {
    const a = this.analyser;
    if (!a) return { frequency: 0, db: -Infinity };
    const bins = new Float32Array(a.frequencyBinCount);
    a.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    return { frequency: (best * this.ctx.sampleRate) / a.fftSize, db: bins[best] };
  },

  async inbound() {
    const stats = await this.pc.getStats();
    let found = { packetsReceived: 0, packetsLost: 0, audioLevel: 0, codec: '' };
    const codecs = new Map();
    stats.forEach((s) => {
      if (s.type === 'codec') codecs.set(s.id, s.mimeType);
    });
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio')
        found = {
          packetsReceived: s.packetsReceived,
          packetsLost: s.packetsLost,
          audioLevel: s.audioLevel || 0,
          codec: codecs.get(s.codecId) || '',
        };
    });
    return found;
  },

  async transport() {
    const stats = await this.pc.getStats();
    let found = {};
    stats.forEach((s) => {
      if (s.type === 'transport') found = { srtpCipher: s.srtpCipher, dtlsState: s.dtlsState };
    });
    return found;
  },

  dtmf(tones) {
    this.sender.dtmf.insertDTMF(tones, 100, 70);
  },

  state() {
    return this.pc ? this.pc.connectionState : 'none';
  },

  close() {
    this.pc.close();
  },
};
