import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOOL_FORMAT, registerToolFormat, toolFormatFor, toolFormatNamed } from './registry.ts';

const templateOf = async (fixture: string) =>
  JSON.parse(await readFile(join(await ensureFixture(fixture), 'tokenizer_config.json'), 'utf8'))
    .chat_template as string;

describe('tool format registry', () => {
  it('picks the format from the chat template', async () => {
    expect(toolFormatFor(await templateOf('tiny-qwen3')).name).toBe('hermes');
    const llama32 = await readFile(
      new URL('../text/testdata/llama3.2-chat-template.jinja', import.meta.url),
      'utf8',
    );
    expect(toolFormatFor(llama32).name).toBe('llama3_json');
    expect(toolFormatFor('{{ "[TOOL_CALLS]" + tool_calls | tojson }}').name).toBe('mistral');
    expect(toolFormatFor('{{ "[TOOL_CALLS]" + name + "[ARGS]" }}').name).toBe('mistral_args');
  });

  it('falls back to hermes for templates that show no format', async () => {
    expect(toolFormatFor(await templateOf('tiny-llama'))).toBe(DEFAULT_TOOL_FORMAT);
    expect(toolFormatFor(await templateOf('tiny-smollm2')).name).toBe('hermes');
  });

  it('lets a new family claim templates first', () => {
    const custom = { ...DEFAULT_TOOL_FORMAT, name: 'custom_test', detect: (t: string) => t.includes('<fn>') };
    registerToolFormat(custom);
    expect(toolFormatFor('<fn>{{ x }}</fn> <tool_call>').name).toBe('custom_test');
    expect(toolFormatNamed('custom_test')).toBe(custom);
  });
});
