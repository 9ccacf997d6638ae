// Builds the softphone into dist/, served by the server at /phone/. `npm run dev -w
// @switchboard/phone` serves it with hot reload and proxies the API and SIP WebSocket to a server
// on 127.0.0.1:8080 (`npm start`). The service worker (src/sw/service-worker.js) is emitted as
// /phone/sw.js with the list of built files to keep for offline use.
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

function serviceWorker(): Plugin {
  return {
    name: 'switchboard-phone-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      // Public files (manifest, icons) are copied, not bundled: name them too.
      const shell = [
        './',
        './manifest.webmanifest',
        './icons/phone.svg',
        './icons/phone-192.png',
        ...files.map((f) => `./${f}`),
      ];
      const version = files
        .filter((f) => f.startsWith('assets/'))
        .sort()
        .join('|');
      const source = readFileSync(new URL('./src/sw/service-worker.js', import.meta.url), 'utf8')
        .replace('const SHELL = __SHELL_FILES__;', `const SHELL = ${JSON.stringify(shell)};`)
        .replace('const VERSION = __BUILD_VERSION__;', `const VERSION = ${JSON.stringify(version)};`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  base: '/phone/',
  plugins: [react(), serviceWorker()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
