// Builds the portal into dist/, served by the server at /portal/. `npm run dev -w @switchboard/portal`
// serves it with hot reload and proxies the API to a server on 127.0.0.1:8080 (`npm start`).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/portal/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
