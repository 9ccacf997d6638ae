// Plain-JavaScript entry of the database worker thread. Node 20 does not pass the parent's
// TypeScript loader (tsx) to worker threads, so register tsx here, then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker-main.ts');
