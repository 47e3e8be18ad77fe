// The staff web app: built into dist/ui and served by express under /admin (src/http/staff-web-app.ts).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    // Chart.js is the one large piece; it loads only on the report.
    chunkSizeWarningLimit: 600,
  },
  // `npm run dev:ui`: the app with hot reload, its API calls sent to `npm start` on port 3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/admin/queues': 'http://127.0.0.1:3000' } },
});
