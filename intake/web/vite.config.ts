import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The staff web app. Built to dist/staff and served by the intake service under /staff/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/staff/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../../dist/staff', import.meta.url)), emptyOutDir: true, sourcemap: true },
});
