/** Loads models from directories into an engine and serves it over HTTP on 127.0.0.1. */
import { createEngine, type RuntimeFactory } from '@cinder/engine';
import { createHandler } from '@cinder/handler';
import { directoryModelSource, type NodeServer, nodeWebgpuRuntime, serveNode } from '@cinder/host-node';
import { cpuRuntime } from '@cinder/runtime-cpu';

export interface StartServerOptions {
  readonly modelDirs: readonly string[];
  readonly port: number;
  readonly backend?: string;
  readonly dtype?: string;
  readonly apiKeys?: readonly string[];
  readonly maxBodyBytes?: number;
  /** Print progress and the listening line. Default true. */
  readonly log?: boolean;
}

/** Runtimes by `--backend` name; created only when chosen (webgpu starts Dawn). */
const BACKENDS: Record<string, () => RuntimeFactory> = {
  cpu: () => cpuRuntime,
  webgpu: () => nodeWebgpuRuntime(),
};

export async function startServer(options: StartServerOptions): Promise<NodeServer> {
  const log = options.log === false ? () => {} : (line: string) => console.log(line);
  const backend = options.backend ?? 'cpu';
  const createRuntime = BACKENDS[backend];
  if (!createRuntime)
    throw new Error(`Unknown --backend '${backend}'. Available: ${Object.keys(BACKENDS).join(', ')}.`);
  const runtime = createRuntime();

  const engine = createEngine({
    models: options.modelDirs.map((dir) => ({
      source: directoryModelSource(dir),
      runtime,
      loadOptions: { dtype: options.dtype },
    })),
  });
  for (const dir of options.modelDirs) {
    const model = await engine.loadModel(directoryModelSource(dir).id);
    log(`loaded ${model.id} (${model.architecture}, ${backend}, ${(model.weightBytes / 1e6).toFixed(1)} MB)`);
  }
  const handler = createHandler({ engine, apiKeys: options.apiKeys, maxBodyBytes: options.maxBodyBytes });
  const server = await serveNode(handler, { port: options.port });
  log(`listening on ${server.url}`);
  return {
    ...server,
    close: async () => {
      await server.close();
      await engine.dispose();
    },
  };
}
