// Plain-JavaScript entry of a WebRTC worker thread: Node 20 does not hand the parent's tsx
// loader to worker threads, so register it here, then load the TypeScript entry (as the media
// engine's worker-bootstrap.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./webrtc-worker.ts');
