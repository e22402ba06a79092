// `npm run build` bundles the page into dist/, which server.ts serves. `npm run dev` serves it with
// hot reload and sends /api to the server (`npm start`, port 3000).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
