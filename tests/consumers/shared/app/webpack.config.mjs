// webpack 5, production, no `experiments` (no asyncWebAssembly): what `webpack --mode production`
// does with an entry and an output directory.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('..', import.meta.url)),
  entry: './app/main.js',
  output: { path: fileURLToPath(new URL('../dist/webpack', import.meta.url)), filename: 'main.js', clean: true },
};
