/**
 * A streaming request, in the chunk order of cinder's runtime: per choice a role chunk, content
 * deltas, a finish chunk; then the usage chunk with `include_usage`. WebLLM's own chunks are only
 * read (content, finish_reason, usage), never forwarded: they repeat `role` in every delta, carry
 * WebLLM's uuid ids and `usage.extra`, and end with a non-standard `"abort"`.
 *
 * - `n > 1` (WebLLM refuses it with `stream`): the choices are streamed one after the other.
 * - Stop strings are held back (stop-holdback.ts); the end of the text comes from `getMessage()`.
 * - A thinking model's text is split (reasoning/choice-reasoning.ts): reasoning goes out as
 *   `reasoning_content` / `reasoning` deltas, content as `content` deltas, each in its own chunk
 *   (as cinder's runtime sends them); reasoning tokens are counted one per WebLLM chunk.
 * - With `logprobs`, WebLLM's stream loses the entries of tokens that end inside a multi-byte
 *   character (it withholds those chunks, and each chunk carries only the last entry), so the
 *   choice is generated without streaming and sent as one content chunk with every entry.
 * - Leaving the stream or aborting: `interruptGenerate()`, then WebLLM's iterator is returned so
 *   its lock is released, then the slot; the next request runs normally.
 */
import type { ChatCompletionChunk, ChunkDelta, StreamHead } from '@cinder/protocol';
import {
  buildDeltaChunk,
  buildFinishChunk,
  buildRoleChunk,
  buildUsage,
  buildUsageChunk,
} from '@cinder/protocol';
import { toApiError } from '../errors.ts';
import { ChoiceReasoning } from '../reasoning/choice-reasoning.ts';
import type { SplitText } from '../reasoning/think-splitter.ts';
import type { WebLlmPlan } from '../request/map-request.ts';
import type { Release } from '../request-queue.ts';
import type { WebLlmChunk, WebLlmEngineLike } from '../webllm-types.ts';
import { isAsyncIterable, runCompletion } from './completion.ts';
import { abortReason, mapFinishReason } from './finish.ts';
import { StopHoldback } from './stop-holdback.ts';

interface Counts {
  prompt: number;
  completion: number;
  reasoning: number;
}

/** An opened WebLLM stream whose first chunk (after prefill) has already been read. */
interface OpenChoice {
  readonly iterator: AsyncIterator<WebLlmChunk>;
  readonly first: IteratorResult<WebLlmChunk>;
}

export interface StreamContext {
  readonly engine: WebLlmEngineLike;
  readonly plan: WebLlmPlan;
  readonly head: StreamHead;
  readonly modelId: string;
  readonly signal?: AbortSignal;
  readonly release: Release;
}

/**
 * Opens the stream of choice 0 before returning, so failures WebLLM reports at prefill (a grammar
 * that does not compile, a prompt beyond the context window) reject `create()` instead of the stream.
 */
export async function openStream(
  context: StreamContext,
): Promise<AsyncIterableIterator<ChatCompletionChunk>> {
  const first = context.plan.logprobs ? null : await openChoice(context, 0);
  const chunks = streamChunks(context, first);
  let started = false;
  // A generator left before its first next() never runs its finally: close WebLLM's stream here.
  const iterator: AsyncIterableIterator<ChatCompletionChunk> = {
    next() {
      started = true;
      return chunks.next();
    },
    async return(value?: unknown) {
      if (!started) {
        started = true;
        if (first) await closeQuietly(context, first.iterator);
        context.release();
      }
      return chunks.return(value as undefined);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

async function* streamChunks(
  context: StreamContext,
  opened: OpenChoice | null,
): AsyncGenerator<ChatCompletionChunk> {
  const { plan, head } = context;
  const counts: Counts = { prompt: 0, completion: 0, reasoning: 0 };
  try {
    for (let index = 0; index < plan.n; index++) {
      if (plan.logprobs) {
        yield* replayCompletion(context, index, counts);
      } else {
        const choice = index === 0 && opened ? opened : await openChoice(context, index);
        yield* streamChoice(context, index, choice, counts);
      }
    }
    if (plan.includeUsage) {
      yield buildUsageChunk(
        head,
        buildUsage({
          promptTokens: counts.prompt,
          completionTokens: counts.completion,
          reasoningTokens: counts.reasoning,
        }),
      );
    }
  } finally {
    context.release();
  }
}

async function openChoice(context: StreamContext, index: number): Promise<OpenChoice> {
  const { engine, plan, signal } = context;
  if (signal?.aborted) throw abortReason(signal);
  let iterator: AsyncIterator<WebLlmChunk> | null = null;
  try {
    await engine.resetChat();
    const result = await engine.chatCompletion(plan.choiceRequest(index, true));
    if (!isAsyncIterable(result))
      throw new Error('InternalError: WebLLM returned a completion for a stream.');
    iterator = result[Symbol.asyncIterator]();
    const first = await nextChunk(context, iterator);
    return { iterator, first };
  } catch (cause) {
    if (iterator) await closeQuietly(context, iterator);
    throw cause;
  }
}

async function* streamChoice(
  context: StreamContext,
  index: number,
  choice: OpenChoice,
  counts: Counts,
): AsyncGenerator<ChatCompletionChunk> {
  const { head, plan, signal } = context;
  const holdback = new StopHoldback(plan.stop);
  const reasoning = plan.reasoning ? new ChoiceReasoning(plan.reasoning) : null;
  const deltas = (text: string, last: boolean): ChunkDelta[] => {
    if (!reasoning) return text ? [{ content: text }] : [];
    const parts = reasoning.push(text);
    return splitDeltas(last ? joined(parts, reasoning.finish()) : parts);
  };
  let finishReason: string | null = null;
  let done = false;
  try {
    yield buildRoleChunk(head, index);
    let step = choice.first;
    while (!step.done) {
      const chunk = step.value;
      if (chunk.usage) {
        if (index === 0) counts.prompt = chunk.usage.prompt_tokens;
        counts.completion += chunk.usage.completion_tokens;
      }
      const webChoice = chunk.choices[0];
      if (webChoice?.finish_reason) finishReason = webChoice.finish_reason;
      else if (webChoice) reasoning?.countToken(webChoice.delta.content ?? '');
      for (const delta of deltas(holdback.push(webChoice?.delta.content ?? ''), false)) {
        yield buildDeltaChunk(head, index, delta);
      }
      step = await nextChunk(context, choice.iterator);
    }
    done = true;
    const finish = mapFinishReason(finishReason, signal);
    const rest = holdback.finish(await context.engine.getMessage(context.modelId));
    for (const delta of deltas(rest, true)) yield buildDeltaChunk(head, index, delta);
    counts.reasoning += reasoning?.reasoningTokens ?? 0;
    yield buildFinishChunk(head, index, finish);
  } finally {
    if (!done) await closeQuietly(context, choice.iterator);
  }
}

/** Reasoning, then content: one delta each, as cinder's runtime streams them. */
function splitDeltas(parts: SplitText): ChunkDelta[] {
  const out: ChunkDelta[] = [];
  if (parts.reasoning) out.push({ reasoning_content: parts.reasoning, reasoning: parts.reasoning });
  if (parts.content) out.push({ content: parts.content });
  return out;
}

function joined(a: SplitText, b: SplitText): SplitText {
  return { reasoning: a.reasoning + b.reasoning, content: a.content + b.content };
}

/** One choice generated without streaming (for logprobs), sent as role, content, finish chunks. */
async function* replayCompletion(
  context: StreamContext,
  index: number,
  counts: Counts,
): AsyncGenerator<ChatCompletionChunk> {
  const { head } = context;
  const single = { ...context.plan, n: 1, choiceRequest: () => context.plan.choiceRequest(index, false) };
  const completion = await runCompletion(context.engine, single, head, context.signal);
  const choice = completion.choices[0];
  if (index === 0) counts.prompt = completion.usage?.prompt_tokens ?? 0;
  counts.completion += completion.usage?.completion_tokens ?? 0;
  counts.reasoning += completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  yield buildRoleChunk(head, index);
  const { message } = choice;
  const deltas = splitDeltas({ reasoning: message.reasoning_content ?? '', content: message.content ?? '' });
  if (deltas.length === 0) deltas.push({ content: '' });
  // Logprobs (of every token, reasoning included) ride on the first delta, as in cinder's runtime.
  for (const [i, delta] of deltas.entries()) {
    yield buildDeltaChunk(head, index, delta, i === 0 ? { logprobs: choice.logprobs } : {});
  }
  yield buildFinishChunk(head, index, choice.finish_reason);
}

async function nextChunk(
  context: StreamContext,
  iterator: AsyncIterator<WebLlmChunk>,
): Promise<IteratorResult<WebLlmChunk>> {
  const { signal, engine } = context;
  if (signal?.aborted) throw abortReason(signal);
  const onAbort = () => void engine.interruptGenerate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const step = await iterator.next();
    if (signal?.aborted) throw abortReason(signal);
    return step;
  } catch (cause) {
    if (signal?.aborted) throw abortReason(signal);
    throw toApiError(cause);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Stops WebLLM's generation and returns its iterator (which releases WebLLM's model lock). */
async function closeQuietly(context: StreamContext, iterator: AsyncIterator<WebLlmChunk>): Promise<void> {
  try {
    await context.engine.interruptGenerate();
    await iterator.return?.();
  } catch {
    // The generation is being abandoned; a failure to stop it has nowhere to go.
  }
}
