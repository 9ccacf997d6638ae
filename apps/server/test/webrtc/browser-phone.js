// A minimal browser softphone for the WebRTC end-to-end tests, bundled by esbuild into the test
// page: @switchboard/sip's UserAgent over a browser WebSocket (RFC 7118), media over an
// RTCPeerConnection with an oscillator as microphone and an AnalyserNode as ear.
/* global window, document, RTCPeerConnection, AudioContext, MediaStream */
import { DigestClient, digestAuthenticator, hostClock, parseMessage, UserAgent } from '@switchboard/sip';

const SDP = 'application/sdp';
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** One WebSocket to the PBX; every SIP message is one text frame (RFC 7118 §5.1). */
class WebSocketTransport {
  constructor(url) {
    const u = new URL(url);
    this.url = url;
    this.remote = { host: u.hostname, port: Number(u.port) };
    this.viaHost = `${Math.random().toString(36).slice(2, 12)}.invalid`;
    this.receiver = undefined;
  }

  connect() {
    this.socket = new WebSocket(this.url, ['sip']);
    return new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error('WebSocket failed'));
      this.socket.onmessage = (event) => {
        const parsed = parseMessage(encoder.encode(event.data));
        if (parsed.kind !== 'message') return;
        this.receiver?.receive(parsed.message, {
          protocol: 'WS',
          remote: this.remote,
          local: { host: this.viaHost, port: 0 },
          connectionId: 'ws',
        });
      };
    });
  }

  send(message) {
    this.socket.send(decoder.decode(message.toBytes()));
  }

  localAddress() {
    return { host: this.viaHost, port: 0 };
  }
}

function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) =>
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()),
  );
}

window.phone = {
  log: [],

  async register({ url, user, password, domain }) {
    const transport = new WebSocketTransport(url);
    await transport.connect();
    this.destination = { protocol: 'WS', host: transport.remote.host, port: transport.remote.port };
    this.domain = domain;
    this.ua = new UserAgent(
      {
        clock: hostClock({ setTimeout, clearTimeout, now: () => performance.now() }),
        transport,
        aor: `sip:${user}@${domain}`,
        contact: `sip:${user}@${transport.viaHost};transport=ws`,
        defaultProtocol: 'WS',
        userAgent: 'switchboard-webrtc-test',
        authenticator: digestAuthenticator(
          new DigestClient({
            credentials: { username: user, password },
            randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
          }),
        ),
      },
      { onInvite: (invite) => this.incoming(invite) },
    );
    transport.receiver = this.ua;
    const response = await this.ua.register(`sip:${domain}`, 600, { destination: this.destination }).final;
    return response.status;
  },

  /** Media: an oscillator at `toneHz` as the microphone, an analyser on what arrives. */
  media(toneHz) {
    const ctx = new AudioContext({ sampleRate: 48000 });
    this.ctx = ctx;
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    const osc = ctx.createOscillator();
    osc.frequency.value = toneHz;
    const gain = ctx.createGain();
    gain.gain.value = 0.5;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    this.sender = pc.addTrack(dest.stream.getAudioTracks()[0], dest.stream);
    pc.ontrack = (event) => {
      const stream = event.streams[0] || new MediaStream([event.track]);
      const audio = document.createElement('audio');
      audio.muted = true;
      audio.srcObject = stream;
      audio.play().catch(() => undefined);
      this.analyser = ctx.createAnalyser();
      this.analyser.fftSize = 8192;
      ctx.createMediaStreamSource(stream).connect(this.analyser);
    };
    return ctx.resume().then(() => pc);
  },

  /** Calls `target` (e.g. `1002`); resolves with the final status of the INVITE. */
  async call(target, toneHz) {
    const pc = await this.media(toneHz);
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    return new Promise((resolve) => {
      this.ua.invite(
        `sip:${target}@${this.domain}`,
        { body: pc.localDescription.sdp, contentType: SDP, destination: this.destination },
        {
          onAccept: async (session, response) => {
            this.session = session;
            session.delegate = this.delegate();
            await pc.setRemoteDescription({ type: 'answer', sdp: decoder.decode(response.body) });
            this.answer = decoder.decode(response.body);
            resolve(response.status);
          },
          onReject: (response) => resolve(response.status),
        },
      );
    });
  },

  /** Answers the next incoming call with a tone. */
  autoAnswer(toneHz) {
    this.answerTone = toneHz;
  },

  async incoming(invite) {
    this.offer = decoder.decode(invite.request.body);
    if (this.answerTone === undefined) {
      invite.reject(486);
      return;
    }
    invite.progress(180);
    const pc = await this.media(this.answerTone);
    await pc.setRemoteDescription({ type: 'offer', sdp: this.offer });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    this.session = invite.accept({ body: pc.localDescription.sdp, contentType: SDP });
    if (this.session) this.session.delegate = this.delegate();
  },

  /** The call's requests: BYE, and re-INVITEs with an offer answered by the peer connection. */
  delegate() {
    return {
      onBye: () => this.log.push('bye'),
      onReinvite: (reinvite) => {
        const offer = reinvite.offer && decoder.decode(reinvite.offer.body);
        if (!offer) {
          reinvite.accept();
          return;
        }
        this.log.push('reinvite');
        const pc = this.pc;
        pc.setRemoteDescription({ type: 'offer', sdp: offer })
          .then(() => pc.createAnswer())
          .then((answer) => pc.setLocalDescription(answer))
          .then(() => reinvite.accept({ body: pc.localDescription.sdp, contentType: SDP }))
          .catch((error) => {
            this.log.push(`reinvite failed: ${error}`);
            reinvite.reject(488);
          });
      },
    };
  },

  /** Re-offers with the audio `direction` (`sendonly` holds, `sendrecv` resumes); returns the answer. */
  async reoffer(direction) {
    const pc = this.pc;
    pc.getTransceivers()[0].direction = direction;
    await pc.setLocalDescription(await pc.createOffer());
    const response = await this.session.reinvite({ body: pc.localDescription.sdp, contentType: SDP });
    const answer = decoder.decode(response.body);
    if (response.status === 200) await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    return { status: response.status, answer };
  },

  async hangup() {
    await this.session?.bye();
    this.pc?.close();
  },

  heard() {
    const a = this.analyser;
    if (!a) return { frequency: 0, db: -Infinity };
    const bins = new Float32Array(a.frequencyBinCount);
    a.getFloatFrequencyData(bins);
    let best = 1;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    return { frequency: (best * this.ctx.sampleRate) / a.fftSize, db: bins[best] };
  },

  async inbound() {
    const stats = await this.pc.getStats();
    const codecs = new Map();
    let found = { packetsReceived: 0, codec: '' };
    stats.forEach((s) => s.type === 'codec' && codecs.set(s.id, s.mimeType));
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio')
        found = { packetsReceived: s.packetsReceived, codec: codecs.get(s.codecId) || '' };
    });
    return found;
  },

  state() {
    return this.pc ? this.pc.connectionState : 'none';
  },

  dtmf(tones) {
    this.sender.dtmf.insertDTMF(tones, 100, 70);
  },
};
