/**
 * One row per accepted top-level field: its type and range. A key that is not in one of these
 * two tables is rejected as unrecognized. Rules between fields are in validate-rules.ts.
 */
import { invalidParam } from './errors.ts';
import type { ChatCompletionRequest } from './request-types.ts';
import { checkResponseFormat, checkStructuredOutputs } from './validate-formats.ts';
import { checkMessages } from './validate-messages.ts';
import { checkFunctionCall, checkFunctions, checkToolChoice, checkTools } from './validate-tools.ts';
import {
  anyObject,
  arrayOf,
  bool,
  type Check,
  either,
  expectArray,
  expectNumber,
  expectObject,
  expectString,
  int,
  isObject,
  mapOf,
  num,
  oneOf,
  shape,
  show,
  str,
  typeError,
} from './validate-values.ts';

/** seed / priority range. Doubles cannot hold 2^63 - 1 (it rounds to 2^63), so 2^63 itself is let through. */
export const INT64_MIN = -(2 ** 63);
export const INT64_MAX = 2 ** 63;
export const MAX_N = 128;
export const MAX_STOP_STRINGS = 16;
export const MAX_LOGPROBS = 20;
export const MAX_LOGPROB_TOKEN_IDS = 128;

/** Only fields of the ChatCompletionRequest type may appear in a table. */
type FieldTable = Partial<Record<keyof ChatCompletionRequest, Check>>;

const TOKEN_ID_KEY = /^(0|[1-9][0-9]*)$/;

// ----------------------------------------------------------------------------- field checks with their own rules

const stop: Check = (v, p) => {
  if (typeof v === 'string') return void expectString(v, p, { minLength: 1 });
  if (!Array.isArray(v)) throw typeError(p, 'a string or an array of strings', v);
  arrayOf(str({ minLength: 1 }), { maxItems: MAX_STOP_STRINGS })(v, p);
};

const logitBias: Check = (v, p) => {
  for (const [key, bias] of Object.entries(expectObject(v, p))) {
    if (!TOKEN_ID_KEY.test(key) || !Number.isSafeInteger(Number(key))) {
      throw invalidParam(
        p,
        `Invalid '${p}': key ${show(key)} is not a token id. Expected keys that are non-negative integers written as strings (e.g. "50256").`,
      );
    }
    expectNumber(bias, `${p}.${key}`, { min: -100, max: 100 });
  }
};

const tokenIds = (minItems: number, maxItems?: number): Check =>
  arrayOf(int({ min: 0 }), { minItems, maxItems });

const logprobTokenIds: Check = (v, p) => {
  if (Array.isArray(v) && v.length === 0) {
    throw invalidParam(p, '`logprob_token_ids` must not be an empty list.', 'empty_array');
  }
  tokenIds(1, MAX_LOGPROB_TOKEN_IDS)(v, p);
};

const CACHE_SALT_FORBIDDEN = /[@/\\\0]/;

const cacheSalt: Check = (v, p) => {
  if (typeof v !== 'string' || v.length === 0) {
    throw invalidParam(p, "Parameter 'cache_salt' must be a non-empty string if provided.");
  }
  if (v.length > 128 || CACHE_SALT_FORBIDDEN.test(v)) {
    throw invalidParam(
      p,
      "Parameter 'cache_salt' must be at most 128 characters and must not contain '@', '/', '\\\\', or NUL.",
    );
  }
};

const repetitionDetection: Check = (v, p) => {
  shape({ max_pattern_size: int({ min: 0 }), min_pattern_size: int({ min: 0 }), min_count: int({ min: 0 }) })(
    v,
    p,
  );
  const { max_pattern_size = 0, min_pattern_size = 0, min_count = 0 } = v as Record<string, number>;
  if (min_pattern_size > max_pattern_size) {
    throw invalidParam(
      p,
      'max_pattern_size, min_pattern_size must be >=0, with min_pattern_size <= max_pattern_size. Set both to 0 to disable repetitive pattern detection.',
    );
  }
  if (max_pattern_size > 0 && min_count < 2) {
    throw invalidParam(
      `${p}.min_count`,
      'min_count must be >= 2 to detect repetitive patterns in engine output. If you do not wish to detect repetitive patterns, set max_pattern_size to 0.',
    );
  }
};

const xargValue = either(
  'a string, a number or an array of them',
  [(x) => typeof x === 'string', str()],
  [(x) => typeof x === 'number', num()],
  [
    Array.isArray,
    arrayOf(
      either(
        'a string or a number',
        [(x) => typeof x === 'string', str()],
        [(x) => typeof x === 'number', num()],
      ),
    ),
  ],
);

const logitsProcessor = either(
  'a qualified name or a {qualname, args, kwargs} object',
  [(x) => typeof x === 'string', str({ minLength: 1 })],
  [
    isObject,
    shape({ qualname: str({ minLength: 1 }), args: (x, p) => void expectArray(x, p), kwargs: anyObject }, [
      'qualname',
    ]),
  ],
);

const textParts = arrayOf(shape({ type: oneOf('text'), text: str() }, ['type', 'text']), { minItems: 1 });

const configMode = shape({ mode: oneOf('score', 'block') }, ['mode']);

// ----------------------------------------------------------------------------- OpenAI CreateChatCompletionRequest

export const OPENAI_FIELDS = {
  model: str({ minLength: 1 }),
  messages: checkMessages,
  temperature: num({ min: 0, max: 2 }),
  top_p: num({ min: 0, max: 1 }),
  n: int({ min: 1, max: MAX_N }),
  presence_penalty: num({ min: -2, max: 2 }),
  frequency_penalty: num({ min: -2, max: 2 }),
  logit_bias: logitBias,
  logprobs: bool,
  top_logprobs: int({ min: 0, max: MAX_LOGPROBS }),
  max_tokens: int({ min: 1 }),
  max_completion_tokens: int({ min: 1 }),
  stop,
  seed: int({ min: INT64_MIN, max: INT64_MAX }),
  stream: bool,
  stream_options: shape({ include_usage: bool, include_obfuscation: bool, continuous_usage_stats: bool }),
  tools: checkTools,
  tool_choice: checkToolChoice,
  parallel_tool_calls: bool,
  response_format: checkResponseFormat,
  functions: checkFunctions,
  function_call: checkFunctionCall,
  reasoning_effort: oneOf('none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'),
  verbosity: oneOf('low', 'medium', 'high'),
  service_tier: oneOf('auto', 'default', 'flex', 'scale', 'priority', 'fast'),
  modalities: arrayOf(oneOf('text', 'audio')),
  audio: shape(
    {
      voice: either(
        'a string or an object',
        [(x) => typeof x === 'string', str()],
        [isObject, shape({ id: str() }, ['id'])],
      ),
      format: oneOf('wav', 'aac', 'mp3', 'flac', 'opus', 'pcm16'),
    },
    ['voice', 'format'],
  ),
  prediction: shape(
    {
      type: oneOf('content'),
      content: either(
        'a string or an array of text parts',
        [(x) => typeof x === 'string', str()],
        [Array.isArray, textParts],
      ),
    },
    ['type', 'content'],
  ),
  web_search_options: shape({
    user_location: shape(
      {
        type: oneOf('approximate'),
        approximate: shape({ country: str(), region: str(), city: str(), timezone: str() }),
      },
      ['type', 'approximate'],
    ),
    search_context_size: oneOf('low', 'medium', 'high'),
  }),
  moderation: shape({ model: str(), policy: shape({ input: configMode, output: configMode }) }, ['model']),
  metadata: mapOf(str({ maxLength: 512 }), { maxKeys: 16, maxKeyLength: 64 }),
  store: bool,
  user: str(),
  safety_identifier: str({ maxLength: 64 }),
  prompt_cache_key: str(),
  prompt_cache_retention: oneOf('in_memory', '24h'),
  prompt_cache_options: shape({ ttl: oneOf('30m'), mode: oneOf('implicit', 'explicit') }),
} satisfies FieldTable;

// ----------------------------------------------------------------------------- vLLM extensions

export const VLLM_FIELDS = {
  // sampling
  use_beam_search: bool,
  top_k: int({ min: -1 }), // -1 and 0 both mean "disabled"
  min_p: num({ min: 0, max: 1 }),
  repetition_penalty: num({ min: 0, exclusiveMin: true }),
  length_penalty: num(),
  watermarking: bool,
  stop_token_ids: tokenIds(0),
  include_stop_str_in_output: bool,
  ignore_eos: bool,
  min_tokens: int({ min: 0 }),
  skip_special_tokens: bool,
  spaces_between_special_tokens: bool,
  truncate_prompt_tokens: int({ min: -1 }),
  truncation_side: oneOf('left', 'right'),
  prompt_logprobs: int({ min: 0, max: MAX_LOGPROBS }),
  logprob_token_ids: logprobTokenIds,
  allowed_token_ids: tokenIds(1),
  bad_words: arrayOf(str({ minLength: 1 })),
  thinking_token_budget: int({ min: -1 }), // -1 means unlimited
  repetition_detection: repetitionDetection,
  logits_processors: arrayOf(logitsProcessor),
  // prompt rendering
  echo: bool,
  add_generation_prompt: bool,
  continue_final_message: bool,
  add_special_tokens: bool,
  documents: arrayOf(mapOf(str())),
  chat_template: str(),
  chat_template_kwargs: anyObject,
  media_io_kwargs: mapOf(anyObject),
  mm_processor_kwargs: anyObject,
  include_reasoning: bool,
  // structured outputs
  structured_outputs: checkStructuredOutputs,
  // scheduling, identity, response extras
  priority: int({ min: INT64_MIN, max: INT64_MAX }),
  request_id: str({ minLength: 1 }),
  session_id: str(),
  cache_salt: cacheSalt,
  stream_interval: int({ min: 1 }),
  return_tokens_as_token_ids: bool,
  return_token_ids: bool,
  return_token_offsets: bool,
  return_prompt_text: bool,
  return_mm_kwargs: bool,
  routed_experts_prompt_start: int({ min: 0 }),
  kv_transfer_params: anyObject,
  ec_transfer_params: anyObject,
  vllm_xargs: mapOf(xargValue),
} satisfies FieldTable;
