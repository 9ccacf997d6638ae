// Shared setup of the browserless WebRTC gateway tests (webrtc-gateway, webrtc-move): a gateway
// on worker threads and a DTLS certificate for the simulated browser, both made before the
// describe's tests and closed after them together with whatever the tests opened; and the plain
// RTP packet those tests send.
import { afterAll, beforeAll } from 'vitest';
import {
  createDtlsCertificate,
  createWebRtcGateway,
  type DtlsCertificate,
  type WebRtcGateway,
  type WebRtcGatewayOptions,
} from '../../src/index.ts';

export interface GatewayFixture {
  /** The gateway (set in beforeAll). */
  readonly gateway: WebRtcGateway;
  /** The simulated browser's certificate (set in beforeAll). */
  readonly browserCert: DtlsCertificate;
  /** Closed in afterAll, in order, before the gateway. */
  readonly opened: { close(): unknown }[];
}

/** Registers beforeAll/afterAll in the calling describe; read the fields inside tests only. */
export function useWebRtcGateway(options: WebRtcGatewayOptions): GatewayFixture {
  let gateway: WebRtcGateway | undefined;
  let browserCert: DtlsCertificate | undefined;
  const opened: { close(): unknown }[] = [];
  beforeAll(async () => {
    gateway = await createWebRtcGateway(options);
    browserCert = await createDtlsCertificate();
  });
  afterAll(async () => {
    for (const o of opened) await o.close();
    await gateway?.close();
  });
  return {
    get gateway() {
      if (!gateway) throw new Error('the gateway is made in beforeAll');
      return gateway;
    },
    get browserCert() {
      if (!browserCert) throw new Error('the browser certificate is made in beforeAll');
      return browserCert;
    },
    opened,
  };
}

/** A 172-byte RTP packet (PT 0, 160-sample timestamp steps) whose payload is all `fill`. */
export function rtp(seq: number, ssrc: number, fill: number): Buffer {
  const p = Buffer.alloc(172, fill);
  p[0] = 0x80;
  p[1] = 0;
  p.writeUInt16BE(seq, 2);
  p.writeUInt32BE(seq * 160, 4);
  p.writeUInt32BE(ssrc, 8);
  return p;
}
