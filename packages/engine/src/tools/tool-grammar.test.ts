import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import { type ChatCompletionRequest, validateChatCompletionRequest } from '@cinder/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GrammarModel, ModelGrammars } from '../structured/model-grammars.ts';
import { loadTokenizer } from '../text/tokenizer.ts';
import { hermesFormat } from './formats/hermes.ts';
import { llama3JsonFormat } from './formats/llama3-json.ts';
import { mistralArgsFormat, mistralFormat } from './formats/mistral.ts';
import { parseInPieces } from './parser-harness.ts';
import { toolRequest } from './tool-choice.ts';
import type { ToolCallFormat } from './tool-format.ts';
import { toolCallConstraint } from './tool-grammar.ts';

let model: GrammarModel;

beforeAll(async () => {
  const dir = await ensureFixture('tiny-smollm2');
  const json = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
  const tokenizer = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
  model = { tokenizer, vocabSize: 323, stopTokenIds: [tokenizer.eosTokenId!] };
});

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const time = { type: 'function', function: { name: 'get_time' } };

const request = (fields: Record<string, unknown>): ChatCompletionRequest =>
  validateChatCompletionRequest({
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [weather, time],
    ...fields,
  });

/** Does the grammar accept `text` and allow the stop token right after it? */
async function accepts(
  format: ToolCallFormat,
  fields: Record<string, unknown>,
  text: string,
): Promise<boolean> {
  const constraint = toolCallConstraint(toolRequest(request(fields))!, format)!;
  const grammars = await ModelGrammars.of(model);
  const state = await grammars.start(await grammars.compile(constraint));
  try {
    for (const id of [...model.tokenizer.encode(text), model.tokenizer.eosTokenId!]) {
      const logits = new Float32Array(model.vocabSize);
      state.apply(logits);
      if (logits[id] !== 0) return false;
      state.accept(id);
    }
    return state.terminated;
  } finally {
    state.release();
  }
}

describe('forced tool calls', () => {
  const cases: [ToolCallFormat, string, string][] = [
    [
      hermesFormat,
      '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>',
      '\n<tool_call>\n{"name": "get_time", "arguments": {}}\n</tool_call>',
    ],
    [
      llama3JsonFormat,
      '{"name": "get_weather", "parameters": {"city": "Paris"}}',
      '; {"name": "get_time", "parameters": {}}',
    ],
    [mistralFormat, '[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris"}}', ']'],
    [mistralArgsFormat, '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}', '[TOOL_CALLS]get_time[ARGS]{}'],
  ];

  for (const [format, one, more] of cases) {
    it(`${format.name}: the grammar writes exactly what the parser reads`, async () => {
      const single = format.name === 'mistral' ? `${one}]` : one;
      const parallel =
        format.name === 'mistral' ? `${one}, {"name": "get_time", "arguments": {}}]` : one + more;
      expect(await accepts(format, { tool_choice: 'required' }, single)).toBe(true);
      expect(await accepts(format, { tool_choice: 'required' }, parallel)).toBe(true);
      expect(await accepts(format, { tool_choice: 'required', parallel_tool_calls: false }, parallel)).toBe(
        false,
      );
      expect(await accepts(format, { tool_choice: 'required' }, 'Hello')).toBe(false);
      expect(
        await accepts(format, { tool_choice: { type: 'function', function: { name: 'get_time' } } }, single),
      ).toBe(false);
      expect(parseInPieces(format, [parallel]).calls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    });
  }

  it('enforces the parameters schema (a missing required argument is not allowed)', async () => {
    expect(
      await accepts(
        hermesFormat,
        { tool_choice: 'required' },
        '<tool_call>\n{"name": "get_weather", "arguments": {}}\n</tool_call>',
      ),
    ).toBe(false);
  });

  it('needs no constraint for auto and none', () => {
    expect(toolCallConstraint(toolRequest(request({}))!, hermesFormat)).toBeNull();
    expect(toolCallConstraint(toolRequest(request({ tool_choice: 'none' }))!, hermesFormat)).toBeNull();
  });

  it('maps the deprecated functions API', () => {
    const legacy = toolRequest(
      validateChatCompletionRequest({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        functions: [{ name: 'f' }],
        function_call: { name: 'f' },
      }),
    );
    expect(legacy).toMatchObject({ mode: 'named', named: 'f', legacy: true, parallel: false });
    expect(toolCallConstraint(legacy!, hermesFormat)?.param).toBe('function_call');
  });
});
