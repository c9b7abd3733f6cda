// The renderer as a plain web build, served by the loopback browser host (tests, browser use).
// Relative base so the same files work wherever the host mounts them.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  // No svelte.config.js: Svelte 5 compiles TypeScript in <script lang="ts"> itself.
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: '../dist-web',
    emptyOutDir: true,
    target: 'es2023',
    // plotly.js is one ~4.7 MB chunk by design, loaded only when a chart first shows (src/lib/plotly.ts).
    chunkSizeWarningLimit: 5000,
  },
});
