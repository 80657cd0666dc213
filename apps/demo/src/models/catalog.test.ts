import { describe, expect, it } from 'vitest';
import { type CatalogModel, ggufFiles, ggufRefs, HUB_MODELS } from './catalog.ts';

const builtIn: CatalogModel = {
  id: 'tiny-gguf',
  label: 'tiny-gguf',
  ref: { id: 'tiny-gguf', url: 'http://127.0.0.1:8080/local/tiny-gguf/resolve/main/' },
  bytes: 886_240,
  origin: 'built-in',
  description: '',
  gguf: 'model.q8_0.gguf',
};
const safetensors = HUB_MODELS.find((model) => model.id === 'HuggingFaceTB/SmolLM2-135M-Instruct')!;
const hubGguf = HUB_MODELS.find((model) => model.id === 'Qwen/Qwen2.5-0.5B-Instruct-GGUF')!;

describe('GGUF models in the catalog', () => {
  it('lists the Hub GGUF model as one file in its repo', () => {
    expect(hubGguf.gguf).toBe('qwen2.5-0.5b-instruct-q8_0.gguf');
    expect(hubGguf.ref).toEqual({
      id: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
      url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main',
    });
  });

  it('gives the store fetch their folders, and the worker their file URLs; nothing for safetensors', () => {
    const models = [builtIn, safetensors, hubGguf];
    expect(ggufFiles(models)).toEqual(
      new Map([
        ['http://127.0.0.1:8080/local/tiny-gguf/resolve/main', 'model.q8_0.gguf'],
        [
          'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main',
          'qwen2.5-0.5b-instruct-q8_0.gguf',
        ],
      ]),
    );
    expect(ggufRefs(models)).toEqual({
      'tiny-gguf': { url: 'http://127.0.0.1:8080/local/tiny-gguf/resolve/main/model.q8_0.gguf' },
      'Qwen/Qwen2.5-0.5B-Instruct-GGUF': {
        url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q8_0.gguf',
      },
    });
  });
});
