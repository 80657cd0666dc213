/**
 * `pnpm serve --model DIR [--model DIR2] [--port 8080] [--backend cpu|webgpu] [--api-key KEY] [--dtype f32|f16|q8|q4]`
 * Serves the OpenAI-compatible API for the model directories on 127.0.0.1. Each model is served
 * under its directory name. Prints `listening on http://127.0.0.1:PORT` once the models are loaded.
 */
import { flag, flagList, parseFlags } from './args.ts';
import { startServer } from './start-server.ts';

const USAGE =
  'usage: pnpm serve --model DIR [--model DIR ...] [--port PORT] [--backend cpu|webgpu] [--api-key KEY] [--dtype f32|f16|q8|q4]';

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const models = flagList(flags, 'model');
  if (models.length === 0) throw new Error(`--model is required.\n${USAGE}`);
  await startServer({
    modelDirs: models,
    port: Number(flag(flags, 'port') ?? 8080),
    backend: flag(flags, 'backend') ?? 'cpu',
    dtype: flag(flags, 'dtype'),
    apiKeys: [
      ...flagList(flags, 'api-key'),
      ...(process.env.CINDER_API_KEYS ?? '').split(',').filter(Boolean),
    ],
    maxBodyBytes: flag(flags, 'max-body-bytes') ? Number(flag(flags, 'max-body-bytes')) : undefined,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
