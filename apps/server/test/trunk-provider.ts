// What the trunk tests share: SIPp plays the provider on 127.0.0.2 (phones are on 127.0.0.1, so
// only the provider's address is a trunk's), its scenarios (some are templates with {{KEY}}
// values a SIPp attribute cannot take as -key), the small waits around a SIPp run, and a socket
// that counts the A-law RTP a SIPp peer sends.
import { createSocket, type Socket } from 'node:dgram';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SippResult } from '@switchboard/testkit';

export const PROVIDER_IP = '127.0.0.2';

/** The path of a scenario in test/scenarios. */
export const scenarioPath = (name: string): string =>
  fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));

/** A failed SIPp run in a few lines: command, exit code, errors, the end of its output. */
export function explain(result: SippResult): string {
  return `${result.command}\nexit ${result.exitCode}\n${result.errors}\n${result.output.slice(-3000)}`;
}

/** test/scenarios/NAME.xml.template with {{KEY}} filled in, written to a new file in `dir`. */
export async function fromTemplate(
  dir: string,
  name: string,
  values: Record<string, string>,
): Promise<string> {
  let text = await readFile(scenarioPath(`${name}.xml.template`), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`{{${key}}}`, value);
  const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, text);
  return file;
}

/** Waits (bounded) until something holds UDP `port` on `host`. */
export async function waitForUdpPort(host: string, port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    if (!free) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on UDP ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RtpSink {
  readonly socket: Socket;
  /** How many G.711 A-law (PT 8) RTP packets have come in. */
  pcma(): number;
}

/** A socket on `host` (a free port) that collects G.711 A-law RTP packets. */
export async function rtpSink(host: string): Promise<RtpSink> {
  const socket = createSocket('udp4');
  const packets: Buffer[] = [];
  socket.on('message', (p) => packets.push(p));
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return {
    socket,
    pcma: () =>
      packets.filter((p) => p.length > 12 && (p[0]! & 0xc0) === 0x80 && (p[1]! & 0x7f) === 8).length,
  };
}
