// Audio files of the PBX's applications under DATA_DIR: voicemail messages and greetings
// (voicemail/<tenant>/<extension>/…) and call recordings (recordings/<tenant>/<day>/…). The
// database stores paths relative to DATA_DIR; nothing outside DATA_DIR is ever read or deleted.
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A path segment that cannot climb out of its directory (`..`, slashes) whatever the extension is called. */
const segment = (value: string): string => encodeURIComponent(value).replace(/\./g, '%2E');

export class MediaFiles {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  /** The absolute file of a stored relative path; undefined when it would leave DATA_DIR. */
  absolute(stored: string): string | undefined {
    if (isAbsolute(stored)) return undefined;
    const file = resolve(this.root, stored);
    return file.startsWith(this.root + sep) ? file : undefined;
  }

  /** The stored (relative) form of an absolute file under DATA_DIR. */
  stored(file: string): string {
    return relative(this.root, file).split(sep).join('/');
  }

  voicemailMessage(tenantId: string, extension: string): { id: string; file: string } {
    const id = randomUUID();
    return { id, file: join(this.root, 'voicemail', segment(tenantId), segment(extension), `${id}.wav`) };
  }

  greeting(tenantId: string, extension: string): string {
    return join(
      this.root,
      'voicemail',
      segment(tenantId),
      segment(extension),
      `greeting-${randomUUID()}.wav`,
    );
  }

  recording(tenantId: string, at: Date): { id: string; file: string } {
    const id = randomUUID();
    const day = at.toISOString().slice(0, 10);
    return { id, file: join(this.root, 'recordings', segment(tenantId), day, `${id}.wav`) };
  }

  async read(stored: string): Promise<Uint8Array | undefined> {
    const file = this.absolute(stored);
    if (!file) return undefined;
    return readFile(file).then(
      (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
      () => undefined,
    );
  }

  async remove(stored: string): Promise<void> {
    const file = this.absolute(stored);
    if (file) await rm(file, { force: true });
  }
}
