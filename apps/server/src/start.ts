/**
 * `pnpm start`: build the demo chat app (when its sources changed) and serve it on 127.0.0.1 with the
 * built-in models: the trained default model in `models/` (the tiny fixtures while none is trained).
 * The browser runs the models; this server only hands out the app and the model files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@cinder/engine';
import { ensureFixtures } from '@cinder/fixtures';
import { createHandler } from '@cinder/handler';
import { directoryModelSource, toNodeListener } from '@cinder/host-node';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { flag, parseFlags } from './args.ts';
import { DEFAULT_DIST_DIR, serveDemo } from './serve-demo.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Newest modification time of the files under `dir` (skipping node_modules and build output). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function buildApp(): void {
  const index = join(DEFAULT_DIST_DIR, 'index.html');
  const sources = Math.max(newest(join(repoRoot, 'apps/demo')), newest(join(repoRoot, 'packages')));
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  console.log('building the demo app…');
  execFileSync('pnpm', ['--filter', '@cinder/demo', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}

/** The built-in models: the trained default model(s) in `models/`, or the tiny fixtures while none is trained. */
async function gatherModels(): Promise<{ dir: string; defaultModel: string }> {
  const trained = join(repoRoot, 'models');
  const trainedIds = existsSync(trained)
    ? readdirSync(trained).filter((id) => existsSync(join(trained, id, 'config.json')))
    : [];
  if (trainedIds.length > 0) return { dir: trained, defaultModel: trainedIds[0] };
  const dir = join(repoRoot, '.fixtures', 'served');
  await mkdir(dir, { recursive: true });
  for (const fixture of await ensureFixtures())
    await cp(fixture.dir, join(dir, fixture.name), { recursive: true });
  return { dir, defaultModel: 'tiny-smollm2' };
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  buildApp();
  const { dir, defaultModel } = await gatherModels();
  const port = Number(flag(flags, 'port') ?? process.env.PORT ?? 8080);
  // The same models answer /v1 in Node too, for clients without the service worker (curl, scripts).
  const modelDirs = readdirSync(dir).filter((id) => existsSync(join(dir, id, 'config.json')));
  const engine = createEngine({
    models: modelDirs.map((id) => ({ source: directoryModelSource(join(dir, id)), runtime: cpuRuntime })),
  });
  const api = toNodeListener(createHandler({ engine }));
  const server = await serveDemo({ port, modelsDir: dir, defaultModel, api }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `Port ${port} is already in use (another pnpm start?). Pick another: pnpm start --port ${port + 1}`,
    );
  });
  console.log(`\ncinder demo: open ${server.url}`);
  console.log(
    `built-in models: ${server.models.map((model) => model.id).join(', ')} (default ${defaultModel})`,
  );
  console.log(`Without a browser, the same models answer ${server.url}/v1 (OpenAI-compatible), e.g.`);
  console.log(
    `  curl ${server.url}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"${defaultModel}","messages":[{"role":"user","content":"Hello!"}],"max_tokens":16}'`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
