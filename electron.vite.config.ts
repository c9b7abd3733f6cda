// Builds the three parts of the Electron app into out/main, out/preload and out/renderer.
import path from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

const fromRoot = (...segments: string[]) => path.resolve(import.meta.dirname, ...segments);

export default defineConfig({
  main: {
    // True only in what `electron-vite dev` builds (it sets this variable before reading the
    // config): a production build never honours ELECTRON_RENDERER_URL (src-main/window-policy.ts).
    define: { __MODELPRINT_DEV_BUILD__: JSON.stringify(process.env['NODE_ENV_ELECTRON_VITE'] === 'development') },
    build: {
      // package.json dependencies (better-sqlite3, sharp, file-type, zod, ...) stay external and load
      // from node_modules at run time: native addons cannot be bundled.
      externalizeDeps: true,
      rolldownOptions: {
        // The fingerprint and curve workers run in their own threads, so each is an entry of its own
        // (worker-client.ts and curve-workers.ts find them next to the bundle).
        input: {
          index: fromRoot('src-main/index.ts'),
          'fingerprint-worker': fromRoot('src-engine/fingerprint/fingerprint-worker.ts'),
          'curve-worker': fromRoot('src-engine/ct-curve/curve-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require anything but 'electron' (and a few built-ins), so it is
      // bundled whole into one CommonJS script. '.cjs' keeps Node from reading it as ESM under
      // "type": "module" should the sandbox ever be turned off.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: fromRoot('src-renderer'),
    plugins: [svelte()],
    build: {
      outDir: fromRoot('out/renderer'),
      rolldownOptions: {
        input: { index: fromRoot('src-renderer/index.html') },
      },
    },
  },
});
