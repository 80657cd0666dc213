/** `pnpm bench`: one run, one table. Ratios within a run are what to compare; these machines are noisy. */
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { benchEngine } from './engine-bench.ts';
import { benchGrammar } from './grammar-bench.ts';
import { benchPrefixCache } from './prefix-cache-bench.ts';
import { benchRuntime } from './runtime-bench.ts';
import { benchSampler } from './sampler-bench.ts';
import { benchServiceWorker } from './sw-bench.ts';
import { formatTable, type Row } from './table.ts';
import { benchWebgpu } from './webgpu-bench.ts';
import { benchWllamaRuntimes } from './wllama-bench.ts';

async function main() {
  const fixtures = await ensureFixtures(defaultFixturesDir());
  const dir = (name: string) => fixtures.find((fixture) => fixture.name === name)!;
  const rows: Row[] = [];

  for (const name of ['tiny-smollm2', 'tiny-llama']) {
    rows.push(
      ...(await benchRuntime(name, cpuRuntime, directoryModelSource(dir(name).dir), {
        prefillTokens: 128,
        decodeTokens: 32,
        batch: 4,
      })),
    );
  }

  const qwen = dir('tiny-qwen3');
  const source = directoryModelSource(qwen.dir);
  rows.push(...(await benchEngine(source, qwen.vocabSize, 'temperature 0.8', {})));
  rows.push(
    ...(await benchEngine(source, qwen.vocabSize, 'top_p 0.95 + top_k 50 + logprobs 5', {
      top_p: 0.95,
      top_k: 50,
      logprobs: true,
      top_logprobs: 5,
    })),
  );

  rows.push(...(await benchWebgpu()));
  rows.push(...benchSampler());
  rows.push(...(await benchGrammar()));
  rows.push(...(await benchPrefixCache(source)));
  rows.push(...(await benchServiceWorker({ model: 'tiny-smollm2' })));
  rows.push(...(await benchWllamaRuntimes()));

  console.log(formatTable(rows));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
