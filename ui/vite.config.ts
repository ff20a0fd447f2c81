// Vite build of the web UI into ui/dist, loaded by the Tauri shell.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs so the bundle works from any origin (tauri://, http://127.0.0.1).
  base: './',
  clearScreen: false,
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Never inline assets as scripts; the CSP allows data: only for images.
    assetsInlineLimit: 0,
  },
});
