// Plain-JavaScript entry of an endpoint worker thread (see engine/worker-bootstrap.mjs: Node 20
// does not hand tsx to worker threads, so register it here, then load the TypeScript entry).
import { register } from 'tsx/esm/api';

register();
await import('./endpoint-worker.ts');
