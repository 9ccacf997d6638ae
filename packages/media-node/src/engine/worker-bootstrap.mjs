// Plain-JavaScript entry of a media worker thread. Node 20 does not pass the parent's
// TypeScript loader (tsx) to worker threads, and `execArgv: ['--import', 'tsx']` is not applied
// to a worker's entry module there; so register tsx here, then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
