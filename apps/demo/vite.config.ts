/**
 * The demo app's build: index.html and its module graph (the engine worker is bundled by Vite from
 * `new Worker(new URL(...))`), then the service worker, built last into one self-contained /sw.js
 * with the list of every built file baked in (its offline copy of the app, see src/engine/app-shell.ts).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin, type Rolldown } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * wllama's wasm (llama.cpp), imported by the engine worker as `WLLAMA_WASM?url` so Vite emits it as an
 * asset; found where @cinder/runtime-wllama has @wllama/wllama installed (the app has no direct dependency).
 */
const WLLAMA_WASM = /^@wllama\/wllama\/esm\/wasm\/wllama\.wasm(?=\?|$)/;
const wllamaDir = dirname(
  createRequire(join(here, '../../packages/runtime-wllama/package.json')).resolve(
    '@wllama/wllama/package.json',
  ),
);

/**
 * Cross-origin isolation, as apps/server/src/serve-demo.ts sends it: SharedArrayBuffer, so wllama
 * (llama.cpp in WebAssembly, the runtime without WebGPU) runs multithreaded. See docs/wllama.md.
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ command }) => ({
  root: here,
  base: '/',
  resolve: { alias: [{ find: WLLAMA_WASM, replacement: join(wllamaDir, 'esm/wasm/wllama.wasm') }] },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // The dev server has no service worker (connect.ts then talks to the engine worker directly).
  define: { __SERVICE_WORKER__: JSON.stringify(command === 'build') },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: { onLog },
  },
  worker: { format: 'es', rolldownOptions: { onLog } },
  plugins: [serviceWorker()],
}));

/**
 * The grammar engine (@mlc-ai/web-xgrammar) imports Node's `module` and `url` behind a runtime check
 * that is false in browsers; Vite stubs them and would say so on every build.
 */
const onLog: NonNullable<Rolldown.InputOptions['onLog']> = (level, log, handler) => {
  if (log.plugin === 'rolldown:vite-resolve' && log.message.includes('web-xgrammar')) return;
  handler(level, log);
};

function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'cinder-demo-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const files = (await listFiles(outDir)).filter((file) => file !== 'sw.js' && !file.endsWith('.map'));
      const hash = createHash('sha256');
      for (const file of files) hash.update(file).update(await readFile(join(outDir, file)));
      await esbuild({
        entryPoints: [join(here, 'src/engine/sw.ts')],
        outfile: join(outDir, 'sw.js'),
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        minify: true,
        logLevel: 'error',
        define: {
          __APP_SHELL_FILES__: JSON.stringify(files.map((file) => `/${file}`)),
          __APP_SHELL_VERSION__: JSON.stringify(hash.digest('hex').slice(0, 16)),
        },
      });
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
