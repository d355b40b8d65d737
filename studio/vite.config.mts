import { defineConfig } from 'vite';

// The Studio is served by the Functions app from dist/studio (shared/studio/assets.ts). `base: './'`
// makes every asset URL relative, so the same build works at `/` and under any subpath (the server
// adds <base href> to index.html).
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../dist/studio',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
});
