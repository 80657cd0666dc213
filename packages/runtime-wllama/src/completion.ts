/**
 * One llama-server completion per output: the sequence's whole text as the prompt (cache_prompt
 * reuses whatever prefix a slot or the server's prompt cache still holds, so only new tokens are
 * evaluated), one predicted token, and `n_probs` raw probabilities (softmax of the unprocessed
 * logits, most likely first, each with its id). The predicted token is never fed back: the next
 * request carries the token the engine chose.
 */
import type { DeviceSampling } from '@cinder/engine';
import { type Candidate, drawToken, GREEDY_TEMPERATURE } from './draw.ts';
import { FIRST_CODE_POINT, UNITS_PER_TOKEN } from './token-text.ts';

/** The JSON body of a completion (llama-server `/completion` fields). */
export interface CompletionBody {
  readonly prompt: string;
  readonly n_predict: 1;
  readonly cache_prompt: true;
  readonly n_probs: number;
  readonly samplers: readonly string[];
  readonly temperature: number;
  readonly top_k: number;
  readonly top_p: number;
  readonly seed: number;
  readonly [key: string]: unknown;
}

/** What one completion gave back: the token llama-server drew and the `n_probs` most likely. */
export interface CompletionProbs {
  readonly token: number;
  /** Raw logprob of `token`. */
  readonly logprob: number;
  /** Most likely first. */
  readonly top: readonly Candidate[];
}

/**
 * Largest candidate list fetched to draw on our side with the engine's uniform (exact semantics).
 * Past it (top-k off or large, on a large vocabulary) llama-server draws with its own RNG.
 */
export const LOCAL_DRAW_CANDIDATES = 256;

/** How a step's output is asked for and then read. */
export interface OutputPlan {
  readonly body: CompletionBody;
  /** Whether our side draws from `top` (else the server's token is the draw). */
  readonly localDraw: boolean;
}

/** A completion that only reads probabilities: the server's own draw is greedy and ignored. */
export function probsBody(prompt: string, nProbs: number): CompletionBody {
  return {
    prompt,
    n_predict: 1,
    cache_prompt: true,
    n_probs: nProbs,
    samplers: ['top_k'],
    temperature: 0,
    top_k: 1,
    top_p: 1,
    seed: 0,
  };
}

/**
 * A greedy draw by llama-server: its `temperature` sampler at 0 keeps the first largest logit
 * (argmax, ties to the lowest id: the engine's rule). Probabilities only when reported: `n_probs`
 * makes llama-server sort the whole vocabulary (milliseconds per token on a large one).
 */
export function greedyBody(prompt: string, nProbs: number): CompletionBody {
  return { ...probsBody(prompt, nProbs), samplers: ['temperature'], top_k: 0 };
}

/**
 * The completion for a device draw. `fullRow`: the step also wants the logits row, so every
 * probability comes back anyway and the draw is ours.
 */
export function drawPlan(
  prompt: string,
  draw: DeviceSampling,
  vocabSize: number,
  fullRow: boolean,
): OutputPlan {
  const reported = draw.logprob ? draw.topLogprobs : 0;
  if (fullRow) return { body: probsBody(prompt, vocabSize), localDraw: true };
  if (draw.allowed || draw.bias?.length) {
    // A grammar's mask and additions to the logits: llama-server applies them as logit biases,
    // before its samplers (a local draw from raw candidates could not).
    const mask = draw.allowed ? maskBias(draw.allowed, vocabSize) : [];
    return {
      body: { ...serverDraw(prompt, draw), logit_bias: biasList(mask, draw.bias ?? [], vocabSize) },
      localDraw: false,
    };
  }
  if (draw.temperature < GREEDY_TEMPERATURE) return { body: serverDraw(prompt, draw), localDraw: false };
  const needed = draw.topK > 0 ? Math.min(draw.topK, vocabSize) : vocabSize;
  if (needed <= LOCAL_DRAW_CANDIDATES) {
    return { body: probsBody(prompt, Math.max(needed, reported)), localDraw: true };
  }
  return { body: serverDraw(prompt, draw), localDraw: false };
}

/** llama-server draws the token itself (n_probs >= 1 whenever the drawn token's own logprob is wanted). */
function serverDraw(prompt: string, draw: DeviceSampling): CompletionBody {
  const reported = draw.logprob ? Math.max(1, draw.topLogprobs) : 0;
  if (draw.temperature < GREEDY_TEMPERATURE) return greedyBody(prompt, reported);
  return {
    prompt,
    n_predict: 1,
    cache_prompt: true,
    n_probs: reported === 0 ? 1 : reported,
    samplers: ['temperature', 'top_k', 'top_p'],
    temperature: draw.temperature,
    top_k: draw.topK,
    top_p: draw.topP,
    // The engine's uniform seeds llama.cpp's RNG: the same draw picks the same token.
    seed: Math.floor(draw.uniform * 2 ** 31),
  };
}

/**
 * Lifts every allowed token this far above the rest: far wider than any model's logit range, so
 * nothing else keeps any probability (exp(-1000) is 0 in float32), while the allowed logits move
 * by at most float32's rounding at 1000 (6e-5).
 */
const ALLOWED_BIAS = 1000;

/**
 * A grammar's mask (xgrammar layout; ids past it are not allowed) as llama-server `logit_bias`,
 * whichever list is shorter: the disallowed ids with `false` (llama-server: never produced), or
 * the allowed ids lifted by ALLOWED_BIAS. Within a JSON string most of a vocabulary is allowed;
 * between JSON tokens only a few ids are.
 */
export function maskBias(allowed: Int32Array, vocabSize: number): Array<[number, number | false]> {
  const kept: number[] = [];
  const removed: number[] = [];
  for (let id = 0; id < vocabSize; id++) (isAllowed(allowed, id) ? kept : removed).push(id);
  return kept.length <= removed.length
    ? kept.map((id) => [id, ALLOWED_BIAS])
    : removed.map((id) => [id, false]);
}

/**
 * The mask's biases with the engine's additions (logit_bias, presence / frequency penalties; -Infinity
 * for min_tokens and bad_words) added: an id the mask lifts gets both; an id it removes stays
 * removed; any other id gets its addition (-Infinity as `false`, llama-server's "never").
 */
export function biasList(
  mask: ReadonlyArray<readonly [number, number | false]>,
  additions: ReadonlyArray<readonly [number, number]>,
  vocabSize: number,
): Array<[number, number | false]> {
  const merged = new Map<number, number | false>(mask);
  for (const [id, delta] of additions) {
    if (id < 0 || id >= vocabSize) continue;
    const current = merged.get(id);
    if (current === false) continue;
    const sum = (current ?? 0) + delta;
    merged.set(id, sum === Number.NEGATIVE_INFINITY ? false : sum); // removed: never produced
  }
  return [...merged].sort((a, b) => a[0] - b[0]);
}

function isAllowed(mask: Int32Array, id: number): boolean {
  const word = id >> 5;
  return word < mask.length && ((mask[word] >>> (id & 31)) & 1) === 1;
}

/** The sampled token as the engine wants it, from a completion made by `drawPlan`. */
export function sampledToken(probs: CompletionProbs, plan: OutputPlan, draw: DeviceSampling) {
  const { allowed } = draw;
  // A local draw over a whole row honours a mask by leaving the disallowed candidates out.
  const candidates = allowed ? probs.top.filter((c) => isAllowed(allowed, c.id)) : probs.top;
  const token = plan.localDraw ? drawToken(candidates, draw) : probs.token;
  if (!draw.logprob) return { token, logprob: Number.NaN, top: [] };
  const own =
    probs.top.find((c) => c.id === token)?.logprob ?? (token === probs.token ? probs.logprob : Number.NaN);
  return { token, logprob: own, top: probs.top.slice(0, draw.topLogprobs) };
}

/** Fills a logits row (log-softmax: the probabilities' logs) from a full list. */
export function logitsRow(probs: CompletionProbs, row: Float32Array): Float32Array {
  row.fill(Number.NEGATIVE_INFINITY);
  for (const { id, logprob } of probs.top) row[id] = logprob;
  return row;
}

/**
 * Reads llama-server's answer: `choices[0].logprobs.content[0]` = `{ id, logprob, top_logprobs:
 * [{ id, logprob }] }`. A probability that underflowed to 0 has logprob -Infinity (JSON null).
 * Without probabilities (`n_probs: 0`) the token is read from the text, which is its one character
 * (token-text.ts); its logprob is then NaN.
 */
export function parseCompletion(response: unknown): CompletionProbs {
  const choice = field(field(response, 'choices'), 0);
  const content = field(field(field(choice, 'logprobs'), 'content'), 0);
  const token = field(content, 'id');
  if (typeof token !== 'number') {
    const text = field(choice, 'text');
    const id = typeof text === 'string' ? textToken(text) : null;
    if (id !== null) return { token: id, logprob: Number.NaN, top: [] };
    throw new Error(`llama-server sent no token: ${JSON.stringify(response).slice(0, 300)}`);
  }
  const list = field(content, 'top_logprobs');
  const top = (Array.isArray(list) ? list : []).map((entry: unknown) => ({
    id: Number(field(entry, 'id')),
    logprob: logprobOf(field(entry, 'logprob')),
  }));
  return { token, logprob: logprobOf(field(content, 'logprob')), top };
}

/** The id of a text that is exactly one token's character, else null. */
function textToken(text: string): number | null {
  if (text.length !== UNITS_PER_TOKEN) return null;
  const point = text.codePointAt(0) ?? 0;
  return point >= FIRST_CODE_POINT ? point - FIRST_CODE_POINT : null;
}

function logprobOf(value: unknown): number {
  return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY;
}

function field(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as Record<string | number, unknown>)[key];
}
