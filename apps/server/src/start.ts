/**
 * `pnpm start`: until the demo app and its trained default model exist, generate the tiny fixture
 * models (once, into .fixtures/) and serve them with the CPU runtime.
 */
import { fileURLToPath } from 'node:url';
import { ensureFixtures } from '@cinder/fixtures';
import { flag, parseFlags } from './args.ts';
import { startServer } from './start-server.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const dir = `${repoRoot}.fixtures`;
  const fixtures = await ensureFixtures(dir);
  const port = Number(flag(flags, 'port') ?? process.env.PORT ?? 8080);
  const server = await startServer({ modelDirs: fixtures.map((fixture) => fixture.dir), port });
  const model = fixtures[0].name;
  console.log(`\nTry it:\n  curl ${server.url}/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"model":"${model}","messages":[{"role":"user","content":"Hello!"}],"max_tokens":16}'`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
