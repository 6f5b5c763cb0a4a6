import { defineConfig } from 'vite';

// Static assets for `mamori serve`: no CDN, everything bundled, works in a closed network.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, target: 'es2020' },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
