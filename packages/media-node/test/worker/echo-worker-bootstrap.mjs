// Plain-JavaScript entry of the worker-rpc test's worker thread (see
// src/engine/worker-bootstrap.mjs: Node 20 does not hand tsx to worker threads).
import { register } from 'tsx/esm/api';

register();
await import('./echo-worker.ts');
