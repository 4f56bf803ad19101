import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // The package fetches its .wasm itself; leave it to the package in the dev server too.
  optimizeDeps: { exclude: ['nova-states'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URLs (the CSP allows only 'self'), never inject inline scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
