/**
 * Turns a job's step events into `chat.completion.chunk`s, as sse-notes.md asks clients to expect:
 * a first chunk with `role: "assistant"` per choice, content chunks, one finish chunk per choice
 * with an empty delta, then (with `include_usage`) a usage chunk with `choices: []`.
 * `return()` cancels generation at once, even while a step is running.
 */
import type { ChatCompletionChunk, ChunkChoice } from '@cinder/protocol';
import type { GenerationOutput } from '../generate/batch-work.ts';
import type { ChoiceDelta } from '../generate/choice-state.ts';
import { type OutputContext, usageOf } from './output-context.ts';
import { ParsedChoice } from './parsed-choice.ts';

export class ChunkStream implements AsyncIterableIterator<ChatCompletionChunk> {
  private readonly ready: ChatCompletionChunk[] = [];
  private completionTokens = 0;
  private ended = false;
  /** Per choice, when the text is read for reasoning / tool calls. */
  private readonly parsed: ParsedChoice[];

  constructor(
    private readonly job: GenerationOutput,
    private readonly context: OutputContext,
  ) {
    this.parsed = context.parser ? Array.from({ length: context.n }, () => new ParsedChoice(context)) : [];
    for (let index = 0; index < context.n; index++) {
      const first = this.chunk([
        { index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      ]);
      if (index === 0 && context.returnTokenIds) first.prompt_token_ids = [...context.promptTokenIds];
      this.ready.push(first);
      if (context.echo !== '') {
        this.ready.push(
          this.chunk([{ index, delta: { content: context.echo }, logprobs: null, finish_reason: null }]),
        );
      }
    }
  }

  async next(): Promise<IteratorResult<ChatCompletionChunk>> {
    while (this.ready.length === 0 && !this.ended) {
      const event = await this.job.events.next();
      if (event.done) {
        this.ended = true;
        if (this.context.includeUsage && !this.job.cancelled) {
          this.ready.push({
            ...this.chunk([]),
            usage: usageOf(
              this.context,
              this.completionTokens,
              this.job.cachedTokens,
              this.reasoningTokens(),
            ),
          });
        }
        break;
      }
      for (const delta of event.value) this.add(delta);
    }
    const value = this.ready.shift();
    return value ? { value, done: false } : { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<ChatCompletionChunk>> {
    this.ended = true;
    this.ready.length = 0;
    this.job.cancel();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChatCompletionChunk> {
    return this;
  }

  private reasoningTokens(): number {
    return this.parsed.reduce((sum, choice) => sum + choice.reasoningTokens, 0);
  }

  private add(delta: ChoiceDelta): void {
    this.completionTokens += delta.tokenIds.length;
    const parsed = this.parsed[delta.index];
    if (parsed) {
      this.addParsed(delta, parsed);
      return;
    }
    if (delta.text !== '' || delta.tokenIds.length > 0) {
      const choice: ChunkChoice = {
        index: delta.index,
        delta: { content: delta.text },
        logprobs: delta.logprobs ? { content: [...delta.logprobs], refusal: null } : null,
        finish_reason: null,
      };
      if (this.context.returnTokenIds) choice.token_ids = [...delta.tokenIds];
      this.ready.push(this.chunk([choice]));
    }
    if (delta.finishReason) {
      this.ready.push(
        this.chunk([
          {
            index: delta.index,
            delta: {},
            logprobs: null,
            finish_reason: delta.finishReason,
            stop_reason: delta.stopReason,
          },
        ]),
      );
    }
  }

  /** Reasoning, content and tool-call deltas; token ids and logprobs ride on the first. */
  private addParsed(delta: ChoiceDelta, parsed: ParsedChoice): void {
    const deltas = parsed.read(delta);
    const extras = delta.tokenIds.length > 0 && (this.context.returnTokenIds || delta.logprobs !== null);
    if (deltas.length === 0 && extras) deltas.push({ content: '' });
    deltas.forEach((part, i) => {
      const choice: ChunkChoice = { index: delta.index, delta: part, logprobs: null, finish_reason: null };
      if (i === 0 && delta.logprobs) choice.logprobs = { content: [...delta.logprobs], refusal: null };
      if (i === 0 && this.context.returnTokenIds) choice.token_ids = [...delta.tokenIds];
      this.ready.push(this.chunk([choice]));
    });
    if (delta.finishReason) {
      this.ready.push(
        this.chunk([
          {
            index: delta.index,
            delta: {},
            logprobs: null,
            finish_reason: parsed.finishReason(delta.finishReason),
            stop_reason: delta.stopReason,
          },
        ]),
      );
    }
  }

  private chunk(choices: ChunkChoice[]): ChatCompletionChunk {
    const { context } = this;
    const chunk: ChatCompletionChunk = {
      id: context.id,
      object: 'chat.completion.chunk',
      created: context.created,
      model: context.model,
      system_fingerprint: context.systemFingerprint,
      choices,
    };
    if (context.includeUsage) {
      chunk.usage = context.continuousUsage
        ? usageOf(context, this.completionTokens, this.job.cachedTokens, this.reasoningTokens())
        : null;
    }
    return chunk;
  }
}
