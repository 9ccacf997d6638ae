// Reads the installed version of a peer package (for table labels).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}
