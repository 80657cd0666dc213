/**
 * The models the demo server offers: each subdirectory of `modelsDir` that holds a config.json, in the
 * Hugging Face layout, listed with the bytes a browser downloads (the files the model store takes);
 * and each one that holds no config.json but `.gguf` files: a GGUF model (it runs on wllama), listed
 * with one of them (q8_0 if there is one, else the smallest).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalModel {
  /** The directory name: the model's id in the app and in chat requests. */
  readonly id: string;
  /** `owner/repo` under which the server answers in the Hub's URL layout. */
  readonly repo: string;
  readonly dir: string;
  /** Sum of the files a download takes. */
  readonly bytes: number;
  readonly default: boolean;
  /** A GGUF model: the file the app downloads (everything else is read from its metadata). */
  readonly gguf?: string;
}

/** The owner part of the Hub-style URLs of local models: `/local/<id>/resolve/main/<file>`. */
export const LOCAL_OWNER = 'local';

/** What @cinder/model-store downloads when present (plus the shards an index names). */
const MODEL_FILES = [
  'config.json',
  'tokenizer.json',
  'model.safetensors',
  'model.safetensors.index.json',
  'generation_config.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.json',
  'chat_template.jinja',
];

export async function findLocalModels(modelsDir: string, defaultModel?: string): Promise<LocalModel[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const models: LocalModel[] = [];
  for (const id of dirs) {
    const dir = join(modelsDir, id);
    const repo = `${LOCAL_OWNER}/${id}`;
    if (await isFile(join(dir, 'config.json'))) {
      models.push({ id, repo, dir, bytes: await downloadBytes(dir), default: false });
      continue;
    }
    const gguf = await chooseGguf(dir);
    if (gguf) models.push({ id, repo, dir, bytes: gguf.bytes, default: false, gguf: gguf.name });
  }
  const chosen = models.find((model) => model.id === defaultModel) ?? models[0];
  return models.map((model) => ({ ...model, default: model === chosen }));
}

async function downloadBytes(dir: string): Promise<number> {
  const names = [...MODEL_FILES];
  const index = await readFile(join(dir, 'model.safetensors.index.json'), 'utf8').catch(() => null);
  if (index) {
    const shards = Object.values(
      (JSON.parse(index) as { weight_map?: Record<string, string> }).weight_map ?? {},
    );
    names.push(...new Set(shards));
  }
  let total = 0;
  for (const name of names) total += (await stat(join(dir, name)).catch(() => null))?.size ?? 0;
  return total;
}

/** The GGUF file a directory offers: `*q8_0*.gguf` if any, else the smallest `.gguf`; null if none. */
async function chooseGguf(dir: string): Promise<{ name: string; bytes: number } | null> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.gguf'));
  const files: { name: string; bytes: number }[] = [];
  for (const name of names.sort()) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info?.isFile()) files.push({ name, bytes: info.size });
  }
  const q8 = files.find((file) => /q8_0/i.test(file.name));
  return q8 ?? files.sort((a, b) => a.bytes - b.bytes)[0] ?? null;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}
