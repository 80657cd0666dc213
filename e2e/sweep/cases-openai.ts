/**
 * OpenAI's own request fields (seed 000 and `CreateChatCompletionRequest` in openai-schemas.json):
 * a few valid and invalid values per field. Where the documents say OpenAI and vLLM disagree
 * (vllm-rules.md, last table) the row is `disputed`: 200 or a 4xx naming the field are both fine.
 */
import { bad, type CaseSpec, either, expandGroup, fieldRows, ok, type SweepCase } from './case.ts';

const ABC = 'abc';
const BOTH = ['tiny-qwen3', 'tiny-smollm2'] as const;

const sampling: CaseSpec[] = [
  ...fieldRows('temperature', {
    oas: true,
    models: BOTH,
    valid: [0, 0.005, 0.7, 1, 2, null],
    invalid: [-0.1, 2.5, ABC, true, [1], {}],
    disputed: [['0.7', 'pydantic (vLLM) coerces numeric strings, OpenAI rejects them']],
  }),
  ...fieldRows('top_p', {
    oas: true,
    valid: [0.01, 0.5, 1, null],
    invalid: [1.5, -0.1, ABC, false],
    disputed: [[0, 'OpenAI accepts top_p 0, vLLM rejects it (rule 43)']],
  }),
  ...fieldRows('n', {
    oas: true,
    models: BOTH,
    valid: [1, 2, 3, null],
    invalid: [0, -1, 1.5, ABC],
  }),
  { name: 'n=16', patch: { n: 16 }, expect: ok(), oas: true, streamVariant: false },
  { name: 'n=128 (OpenAI maximum)', patch: { n: 128 }, expect: ok(), oas: true, streamVariant: false },
  { name: 'n=8 streamed', patch: { n: 8, stream: true }, expect: ok(), oas: true },
  { name: 'n=1000000', patch: { n: 1_000_000 }, expect: bad('n'), oas: true },
  {
    name: 'n=129',
    patch: { n: 129 },
    expect: either('n', 'OpenAI max is 128, vLLM allows more'),
    streamVariant: false,
  },
  ...fieldRows('presence_penalty', {
    oas: true,
    valid: [-2, -0.5, 0, 1.5, 2, null],
    invalid: [-2.01, 2.5, ABC, []],
  }),
  ...fieldRows('frequency_penalty', {
    oas: true,
    valid: [-2, 0, 0.5, 2, null],
    invalid: [-3, 2.01, ABC, {}],
  }),
  ...fieldRows('seed', {
    oas: true,
    valid: [0, 42, -1, 2 ** 53 - 1, null],
    invalid: [1.5, ABC, 1e20, -1e20, [1]],
  }),
];

const lengths: CaseSpec[] = [
  ...fieldRows('max_tokens', { oas: true, valid: [1, 8], invalid: [1.5, ABC, [4]] }),
  // null means "up to the context window": bounded here by max_completion_tokens so it stays quick.
  {
    name: 'max_tokens=null with max_completion_tokens',
    patch: { max_tokens: null, max_completion_tokens: 4 },
    expect: ok(),
    oas: true,
  },
  // OAS sets no minimum, but OpenAI (live) and vLLM (rule 46) both reject < 1.
  ...fieldRows('max_tokens', { invalid: [0, -1] }),
  {
    name: 'max_tokens beyond the context window',
    patch: { max_tokens: 1_000_000 },
    expect: bad('max_tokens'),
  },
  ...fieldRows('max_completion_tokens', {
    oas: true,
    valid: [1, 6, null],
    invalid: [2.5, ABC, true],
  }),
  ...fieldRows('max_completion_tokens', { invalid: [0, -5] }),
  {
    name: 'max_completion_tokens beyond the context window',
    patch: { max_tokens: undefined, max_completion_tokens: 1_000_000 },
    expect: bad('max_completion_tokens'),
  },
  {
    name: 'max_completion_tokens alone',
    patch: { max_tokens: undefined, max_completion_tokens: 3 },
    expect: ok(),
    oas: true,
  },
  {
    name: 'max_tokens and max_completion_tokens',
    patch: { max_tokens: 8, max_completion_tokens: 2 },
    expect: ok(),
    oas: true,
  },
];

const outputs: CaseSpec[] = [
  ...fieldRows('stop', {
    oas: true,
    models: BOTH,
    valid: ['\n', 'xyz', ['a', 'b'], ['a', 'b', 'c', 'd'], null, 'x'.repeat(2000)],
    invalid: [5, [1], {}, [null]],
    disputed: [
      ['', 'vLLM rejects an empty stop string (rule 49); OAS allows it'],
      [[], 'OpenAI requires 1-4 stop strings; vLLM accepts []'],
      [['a', 'b', 'c', 'd', 'e'], 'OpenAI allows at most 4 stop strings; vLLM more'],
      [[''], 'vLLM rejects empty stop strings (rule 49)'],
    ],
  }),
  // Stop strings are literal text: regex metacharacters must neither crash nor match anything else.
  ...fieldRows('stop', { oas: true, valid: ['(', '[', '\\', '.*', ['$^', '+?', '{2}', '|']] }),
  ...fieldRows('logprobs', {
    oas: true,
    models: BOTH,
    valid: [true, false, null],
    invalid: [ABC, {}, [true]],
  }),
  ...[0, 1, 5, 20].map(
    (k): CaseSpec => ({
      name: `top_logprobs=${k} with logprobs`,
      patch: { logprobs: true, top_logprobs: k },
      expect: ok(),
      oas: true,
    }),
  ),
  // vLLM takes null; OAS's CreateModelResponseProperties makes top_logprobs a plain integer.
  { name: 'top_logprobs=null', patch: { top_logprobs: null }, expect: ok() },
  ...[21, -1, -2, 1.5, ABC].map(
    (k): CaseSpec => ({
      name: `top_logprobs=${JSON.stringify(k)} with logprobs`,
      patch: { logprobs: true, top_logprobs: k },
      expect: bad('top_logprobs'),
      oas: true,
    }),
  ),
  ...fieldRows('logit_bias', {
    oas: true,
    models: BOTH,
    valid: [{}, null, { '5': 10 }, { '5': -100, '6': 100 }],
    invalid: [ABC, [1], { '5': ABC }],
    disputed: [
      [{ '5': 150 }, 'OpenAI rejects biases outside [-100, 100]; vLLM clamps them (rule 35)'],
      [{ '5': 0.5 }, 'OpenAI wants integer biases; vLLM takes floats'],
    ],
  }),
  // Keys must be token ids of the model (vllm-rules.md rules 34 and 36); OAS only says "string".
  ...fieldRows('logit_bias', {
    models: BOTH,
    invalid: [
      { abc: 1 },
      { '-1': 5 },
      { '10000000': 5 },
      { '1.5': 2 },
      { '5.0': 2 },
      { '1e2': 2 },
      { '0x10': 2 },
      { '': 2 },
    ],
  }),
  ...fieldRows('logit_bias', {
    disputed: [
      [{ ' 5': 2 }, "Python int() accepts ' 5'"],
      [{ '05': 2 }, "Python int() accepts '05'"],
      [{ '+5': 2 }, "Python int() accepts '+5'"],
    ],
  }),
  ...fieldRows('logit_bias', {
    valid: [Object.fromEntries(Array.from({ length: 300 }, (_, i) => [String(i + 3), -1]))],
  }),
  ...fieldRows('user', { oas: true, valid: ['user-1234'], invalid: [5, {}] }),
  ...fieldRows('reasoning_effort', {
    oas: true,
    valid: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', null],
    invalid: ['extreme', 5],
  }),
  ...fieldRows('response_format', {
    oas: true,
    valid: [
      { type: 'text' },
      { type: 'json_object' },
      {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      },
      { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: { type: 'object' } } },
    ],
    invalid: [
      'json',
      {},
      { type: 'bogus' },
      { type: 'json_schema' },
      { type: 'json_schema', json_schema: { schema: {} } },
    ],
  }),
  ...fieldRows('modalities', {
    oas: true,
    valid: [['text']],
    invalid: ['text', ['video'], [5]],
  }),
  {
    name: 'modalities=["text","audio"] with audio',
    patch: { modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } },
    expect: ok(['modalities', 'audio']),
    oas: true,
  },
  {
    name: 'audio={voice,format}',
    patch: { audio: { voice: 'alloy', format: 'wav' } },
    expect: ok(['audio', 'modalities']),
    oas: true,
  },
  ...fieldRows('audio', {
    oas: true,
    invalid: ['alloy', { voice: 'alloy' }, { voice: 'alloy', format: 'ogg' }],
  }),
];

const bookkeeping: CaseSpec[] = [
  ...fieldRows('metadata', { oas: true, valid: [{ k: 'v' }, null], invalid: [ABC, { k: 5 }] }),
  ...fieldRows('metadata', {
    disputed: [
      [
        Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])),
        'OAS description: at most 16 keys',
      ],
      [{ k: 'v'.repeat(513) }, 'OAS description: values at most 512 characters'],
    ],
  }),
  ...fieldRows('moderation', { oas: true, valid: [null], invalid: [ABC, {}] }),
  ...fieldRows('moderation', {
    disputed: [[{ model: 'omni-moderation-latest' }, 'no moderation model on device']],
  }),
  ...fieldRows('store', { oas: true, valid: [false, null], invalid: [ABC] }),
  {
    name: 'store=true',
    patch: { store: true },
    expect: either('store', 'nothing to store on device; refusing is honest'),
  },
  ...fieldRows('service_tier', {
    oas: true,
    valid: ['auto', 'default', 'flex', 'scale', 'priority', 'fast', null],
    invalid: ['bogus', 5],
  }),
  ...fieldRows('verbosity', { oas: true, valid: ['low', 'medium', 'high', null], invalid: ['loud', 1] }),
  ...fieldRows('safety_identifier', { oas: true, valid: ['user-hash-1'], invalid: [5, 'x'.repeat(65)] }),
  ...fieldRows('prompt_cache_key', { oas: true, valid: ['cache-key-1', null], invalid: [5] }),
  ...fieldRows('prompt_cache_retention', {
    oas: true,
    valid: ['in_memory', '24h', null],
    invalid: ['forever'],
  }),
  // No web search on the device: refused with 400 unsupported_parameter.
  ...fieldRows('web_search_options', { oas: true, unsupported: [{}], invalid: [ABC] }),
  ...fieldRows('prediction', {
    oas: true,
    valid: [{ type: 'content', content: 'Hello' }, null],
    invalid: [ABC, { type: 'content' }],
  }),
  ...fieldRows('functions', {
    oas: true,
    valid: [[{ name: 'get_weather', parameters: { type: 'object', properties: {} } }]],
    invalid: [[], ABC, [{ description: 'no name' }]],
  }),
  ...fieldRows('function_call', {
    oas: true,
    valid: ['none'],
    invalid: ['sometimes', 5],
  }),
];

const model: CaseSpec[] = [
  ...fieldRows('model', { oas: true, invalid: [5, [], {}] }),
  { name: 'model=unknown', patch: { model: 'no-such-model' }, expect: bad('model', { status: 404 }) },
  { name: 'model=""', patch: { model: '' }, expect: bad('model', { status: [400, 404] }) },
  {
    name: 'model with a leading space',
    patch: { model: ' tiny-qwen3' },
    expect: bad('model', { status: [400, 404] }),
  },
  {
    name: 'model in upper case',
    patch: { model: 'TINY-QWEN3' },
    expect: either('model', 'ids are case-sensitive at OpenAI; some servers fold'),
  },
  {
    name: 'model absent',
    patch: { model: undefined },
    expect: either('model', 'vLLM falls back to the served model; OpenAI requires it'),
  },
  {
    name: 'model=null',
    patch: { model: null },
    expect: either('model', 'vLLM falls back to the served model; OpenAI requires it'),
  },
  ...fieldRows('stream', { oas: true, valid: [true, false, null], invalid: [ABC, {}, [true]] }),
  { name: 'unknown top-level field', patch: { bogus_field: 1 }, expect: unknownField('bogus_field') },
  {
    name: 'unknown top-level field (null)',
    patch: { not_a_param: null },
    expect: unknownField('not_a_param'),
  },
  { name: 'misspelled field', patch: { temprature: 0.5 }, expect: unknownField('temprature') },
  { name: 'camelCase field', patch: { maxTokens: 4 }, expect: unknownField('maxTokens') },
];

function unknownField(name: string) {
  return bad(name, { message: `Unrecognized request argument supplied: ${name}` });
}

export function openAiFieldCases(): SweepCase[] {
  return [
    ...expandGroup({ group: 'openai/sampling', models: ['tiny-qwen3'], cases: sampling }),
    ...expandGroup({ group: 'openai/lengths', models: BOTH, cases: lengths }),
    ...expandGroup({ group: 'openai/outputs', models: ['tiny-qwen3'], cases: outputs }),
    ...expandGroup({ group: 'openai/bookkeeping', models: ['tiny-qwen3'], cases: bookkeeping }),
    ...expandGroup({ group: 'openai/model', models: ['tiny-qwen3'], cases: model }),
  ];
}
