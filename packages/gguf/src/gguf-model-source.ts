/**
 * A GGUF model presented in Hugging Face layout: `config.json`, `generation_config.json`,
 * `tokenizer.json` and `tokenizer_config.json` are synthesized from the GGUF header (read once,
 * with range requests), and the GGUF file itself passes through unchanged, so the engine loads
 * the tokenizer and chat template as for any model and a GGUF runtime reads the weights.
 * config.json names the file in `gguf_file`. Other names answer null.
 */
import { type ModelSource, memoryModelSource } from '@cinder/model-format';
import { ggufConfigJson, ggufGenerationConfigJson } from './gguf-config-json.ts';
import { ggufTokenizerFiles } from './gguf-tokenizer-files.ts';
import { readGgufHeader } from './read-header.ts';

/** The config.json key that names the GGUF file of a ggufModelSource. */
export const GGUF_FILE_KEY = 'gguf_file';

export const SYNTHESIZED_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
] as const;

export function ggufModelSource(source: ModelSource, file: string): ModelSource {
  let layout: Promise<ModelSource> | null = null;
  const synthesized = (signal?: AbortSignal): Promise<ModelSource> => {
    layout ??= synthesize(source, file, signal).catch((error: unknown) => {
      layout = null; // a failed read (network, abort) is tried again next time
      throw error;
    });
    return layout;
  };
  return {
    id: source.id,
    async file(name, options = {}) {
      if (name === file) return source.file(name, options);
      if (!(SYNTHESIZED_FILES as readonly string[]).includes(name)) return null;
      return (await synthesized(options.signal)).file(name, options);
    },
  };
}

async function synthesize(source: ModelSource, file: string, signal?: AbortSignal): Promise<ModelSource> {
  const header = await readGgufHeader({ source, file }, { signal });
  const tokenizer = ggufTokenizerFiles(header);
  const json = (value: unknown) => JSON.stringify(value);
  return memoryModelSource(source.id, {
    'config.json': json(ggufConfigJson(header, file, tokenizer)),
    'generation_config.json': json(ggufGenerationConfigJson(tokenizer)),
    'tokenizer.json': json(tokenizer.tokenizer),
    'tokenizer_config.json': json(tokenizer.tokenizerConfig),
  });
}
