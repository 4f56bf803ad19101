// Rollup with @rollup/plugin-node-resolve and nothing else, as a browser app would start.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'app/main.js',
  output: { dir: 'dist/rollup', format: 'es' },
  plugins: [nodeResolve()],
};
