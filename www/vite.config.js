import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Lays the diagram out with Graphviz before the page is built (www/build-layout.mjs): the page
 * imports the positions (layout.generated.json) and ships none of the engine. */
function graphvizLayout() {
  return {
    name: 'nova-states-graphviz-layout',
    async buildStart() {
      const { writeLayout } = await import('./build-layout.mjs');
      await writeLayout();
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [graphvizLayout()],
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
