export default {
  logLevel: 'warn',
  build: { target: 'es2022', outDir: '../../out/vite-dist', emptyOutDir: true },
};
