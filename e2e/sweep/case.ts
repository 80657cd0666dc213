/**
 * The vocabulary of the request sweep: one `SweepCase` is one HTTP request plus what the API contract
 * (seeds 000/004, vllm-rules.md, openai-schemas.json, sse-notes.md) says the answer must be.
 * Expectations come from those documents, never from our code.
 */

export type ModelName = 'tiny-smollm2' | 'tiny-qwen3';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Which `error.param` an answer must name: a string matches itself or anything nested under it
 * (`messages` accepts `messages[0].role` and `messages.0.role`); a list accepts any of its entries;
 * `null` demands `param: null`; `undefined` does not look at it.
 */
export type ParamMatch = string | null | readonly (string | null)[] | undefined;

export type Expectation =
  /** 200 with a schema-valid body. `unsupported` lists params a 400 `unsupported_parameter` may name instead. */
  | { readonly kind: 'ok'; readonly unsupported?: readonly string[] }
  /** This status (or one of these) with an OpenAI error object. */
  | {
      readonly kind: 'error';
      readonly status: number | readonly number[];
      readonly param?: ParamMatch;
      readonly code?: string;
      readonly message?: string;
    }
  /** OpenAI and vLLM disagree (vllm-rules.md, "Where vLLM and OpenAI disagree"): 200, or a 4xx naming `param`. */
  | { readonly kind: 'either'; readonly param?: ParamMatch; readonly why: string };

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** `null` sends no Content-Type header at all. */
  readonly contentType: string | null;
  readonly body: string | Uint8Array | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SweepCase {
  /** Unique and stable: `group › name [model] (stream)`. KNOWN_FAILURES refers to cases by id. */
  readonly id: string;
  readonly group: string;
  readonly model: ModelName;
  /** The parsed body when it is a JSON object (for the success checks); absent for raw HTTP cases. */
  readonly json?: JsonObject;
  readonly request: RawRequest;
  readonly expect: Expectation;
  /**
   * Only fields of OpenAI's own schema are involved: the table self-check then requires valid cases to pass
   * `CreateChatCompletionRequest` and invalid ones to fail `CreateChatCompletionRequestStrict`.
   */
  readonly oas?: boolean;
}

export const CHAT_PATH = '/v1/chat/completions';
export const DEFAULT_MAX_TOKENS = 3;

/**
 * The valid request every row patches. SmolLM2's template injects a ~70-token default system prompt when
 * there is none, and prefill dominates its time, so its base carries a short system message (the messages
 * group covers the default-prompt path).
 */
export function baseBody(model: ModelName): JsonObject {
  const user = { role: 'user', content: 'Hello there' };
  const messages = model === 'tiny-smollm2' ? [{ role: 'system', content: 'Be brief.' }, user] : [user];
  return { model, messages, max_tokens: DEFAULT_MAX_TOKENS };
}

/** Shallow-merges `patch` onto `base`; a key whose patch value is `undefined` is removed. */
export function applyPatch(base: JsonObject, patch: Patch): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}

export function describeValue(value: Json | undefined): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 45)}...(${text.length} chars)` : text;
}

export const ok = (unsupported?: readonly string[]): Expectation => ({ kind: 'ok', unsupported });
export const bad = (
  param: ParamMatch,
  extra: { status?: number | readonly number[]; code?: string; message?: string } = {},
): Expectation => ({
  kind: 'error',
  status: extra.status ?? 400,
  param,
  code: extra.code,
  message: extra.message,
});
export const either = (param: ParamMatch, why: string): Expectation => ({ kind: 'either', param, why });

export type Patch = Readonly<Record<string, Json | undefined>>;

/** One row of a table before it is expanded over models and stream modes. */
export interface CaseSpec {
  readonly name: string;
  readonly patch: Patch;
  readonly expect: Expectation;
  readonly oas?: boolean;
  /** Overrides the group's model list. */
  readonly models?: readonly ModelName[];
  /** Also send it with `stream: true` (default: yes, unless the patch touches stream-related fields). */
  readonly streamVariant?: boolean;
}

export interface GroupSpec {
  readonly group: string;
  readonly models: readonly ModelName[];
  readonly cases: readonly CaseSpec[];
}

const STREAM_SENSITIVE = ['stream', 'stream_options', 'prompt_logprobs'];

/**
 * Expands a group into concrete requests: every model, and on the first model a `stream: true` twin
 * (unless the row itself is about streaming). Generation is what costs time, so twins stop there.
 */
export function expandGroup(spec: GroupSpec): SweepCase[] {
  const out: SweepCase[] = [];
  for (const row of spec.cases) {
    const touchesStream = Object.keys(row.patch).some((key) => STREAM_SENSITIVE.includes(key));
    const models = row.models ?? spec.models;
    for (const model of models) {
      const twin = (row.streamVariant ?? !touchesStream) && model === models[0];
      for (const stream of twin ? [false, true] : [false]) {
        const json = applyPatch(baseBody(model), stream ? { ...row.patch, stream: true } : row.patch);
        out.push({
          id: `${spec.group} › ${row.name} [${model}]${stream ? ' (stream)' : ''}`,
          group: spec.group,
          model,
          json,
          request: {
            method: 'POST',
            path: CHAT_PATH,
            contentType: 'application/json',
            body: JSON.stringify(json),
          },
          expect: row.expect,
          oas: row.oas,
        });
      }
    }
  }
  return out;
}

/** Table rows for one field: each valid value must succeed, each invalid one must be a 400 naming the field. */
export function fieldRows(
  field: string,
  values: {
    valid?: readonly Json[];
    invalid?: readonly (Json | undefined)[];
    disputed?: readonly (readonly [Json, string])[];
    unsupported?: readonly Json[];
    oas?: boolean;
    models?: readonly ModelName[];
  },
): CaseSpec[] {
  const rows: CaseSpec[] = [];
  const name = (value: Json | undefined) => `${field}=${describeValue(value)}`;
  const add = (value: Json | undefined, expect: Expectation, oas = values.oas) =>
    rows.push({ name: name(value), patch: { [field]: value }, expect, oas, models: values.models });
  for (const value of values.valid ?? []) add(value, ok());
  for (const value of values.unsupported ?? []) add(value, ok([field]));
  for (const value of values.invalid ?? []) add(value, bad(field));
  for (const [value, why] of values.disputed ?? []) add(value, either(field, why), false);
  return rows;
}
