/**
 * `recordingWebLlmEngine`: a stand-in for a loaded WebLLM engine, for tests. No MLC model can be
 * downloaded or run here (no network, no WebGPU adapter for WebLLM's model libraries), so tests
 * drive the adapter with this instead. It records every call and request it receives and replays
 * recorded WebLLM 0.2.86 outputs (recordings/*.json, derived from WebLLM's real engine code, see
 * recordings/README.md), behaving as MLCEngine does where the adapter depends on it:
 *
 * - a stream yields the recorded chunks one per macrotask; after `interruptGenerate()` it stops
 *   and yields WebLLM's final chunk with `finish_reason: "abort"` and, with include_usage, its
 *   usage chunk (MLCEngine.streamCurrentGeneration); `return()` ends it (its `finally`);
 * - a non-streaming call takes one macrotask per recorded token and, when interrupted, answers
 *   the text so far with `finish_reason: "abort"`;
 * - the interrupt flag is reset when a request starts (0.2.86); `getMessage()` is the last
 *   generation's final text;
 * - a reply may instead be a failure (an Error, or WebLLM's worker form "Name: message"), thrown
 *   from `chatCompletion` or, with `when: 'prefill'`, from the stream's first `next()`.
 *
 * - like MLCEngine after `reload()`, it can hold the loaded models' mlc-chat-config.json in
 *   `loadedModelIdToChatConfig` (`options.chatConfigs`), where the adapter reads vocab_size and
 *   the conversation template.
 *
 * It also counts overlapping generations (`maxConcurrent`): the adapter must never start one while
 * another is running.
 */
import type { WebLlmChatConfig } from '../chat-config.ts';
import type { WebLlmChunk, WebLlmCompletion, WebLlmEngineLike, WebLlmRequest } from '../webllm-types.ts';

export interface WebLlmRecording {
  readonly name: string;
  readonly note?: string;
  /** The request WebLLM received when it was recorded. */
  readonly request: WebLlmRequest;
  /** Streaming output, in order (present when `request.stream`). */
  readonly chunks?: readonly WebLlmChunk[];
  /** Non-streaming output. */
  readonly completion?: WebLlmCompletion;
  /** `getMessage()` after the generation. */
  readonly message: string;
}

export interface WebLlmFailure {
  readonly throw: unknown;
  readonly when?: 'call' | 'prefill';
}

export type WebLlmReply = WebLlmRecording | WebLlmFailure;

export interface RecordedCall {
  readonly method: 'chatCompletion' | 'interruptGenerate' | 'resetChat' | 'getMessage' | 'unload';
  readonly request?: WebLlmRequest;
}

export interface RecordingWebLlmEngine extends WebLlmEngineLike {
  readonly calls: RecordedCall[];
  /** Every request given to chatCompletion, as received (deep copies). */
  readonly requests: WebLlmRequest[];
  readonly interrupts: number;
  /** Most generations that were running at once (must stay 1). */
  readonly maxConcurrent: number;
  /** Generations still running (an unreturned stream counts). */
  readonly active: number;
  /** As MLCEngine's field of that name: model id -> its mlc-chat-config.json. */
  readonly loadedModelIdToChatConfig: Map<string, WebLlmChatConfig>;
}

export interface RecordingWebLlmOptions {
  /** The mlc-chat-config.json of each "loaded" model (default: none, as a WebWorkerMLCEngine). */
  readonly chatConfigs?: Readonly<Record<string, WebLlmChatConfig>>;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * `replies`: one per chatCompletion call, in order (the last one repeats), or a function of the
 * request and call number.
 */
export function recordingWebLlmEngine(
  replies: readonly WebLlmReply[] | ((request: WebLlmRequest, call: number) => WebLlmReply),
  options: RecordingWebLlmOptions = {},
): RecordingWebLlmEngine {
  const calls: RecordedCall[] = [];
  const requests: WebLlmRequest[] = [];
  let interrupted = false;
  let interrupts = 0;
  let active = 0;
  let maxConcurrent = 0;
  let message = '';

  const replyFor = (request: WebLlmRequest, call: number): WebLlmReply =>
    typeof replies === 'function' ? replies(request, call) : replies[Math.min(call, replies.length - 1)];

  const begin = () => {
    active += 1;
    maxConcurrent = Math.max(maxConcurrent, active);
    interrupted = false;
  };

  async function* stream(
    recording: WebLlmRecording,
    failure: WebLlmFailure | null,
  ): AsyncGenerator<WebLlmChunk> {
    begin();
    try {
      if (failure) throw failure.throw;
      const chunks = recording.chunks ?? [];
      const finalAt = chunks.findIndex((c) => c.choices[0]?.finish_reason != null);
      const deltas = finalAt === -1 ? chunks : chunks.slice(0, finalAt);
      let text = '';
      for (const [i, chunk] of deltas.entries()) {
        // The first chunk comes from prefill; later ones each follow a decode step that checks the flag.
        if (i > 0 && interrupted) {
          message = text;
          yield* abortTail(chunks, recording.request);
          return;
        }
        await tick();
        text += chunk.choices[0]?.delta.content ?? '';
        yield structuredClone(chunk);
      }
      message = recording.message;
      for (const chunk of chunks.slice(deltas.length)) yield structuredClone(chunk);
    } finally {
      active -= 1;
    }
  }

  async function complete(recording: WebLlmRecording): Promise<WebLlmCompletion> {
    begin();
    try {
      const completion = structuredClone(recording.completion);
      if (!completion) throw new Error(`recording '${recording.name}' has no completion`);
      const steps = completion.usage?.completion_tokens ?? 1;
      for (let i = 0; i < steps; i++) {
        await tick();
        if (interrupted) {
          const partial = (recording.message ?? '').slice(
            0,
            Math.floor((recording.message.length * i) / steps),
          );
          completion.choices[0].finish_reason = 'abort';
          completion.choices[0].message.content = partial;
          message = partial;
          return completion;
        }
      }
      message = recording.message;
      return completion;
    } finally {
      active -= 1;
    }
  }

  return {
    calls,
    requests,
    loadedModelIdToChatConfig: new Map(Object.entries(options.chatConfigs ?? {})),
    get interrupts() {
      return interrupts;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    get active() {
      return active;
    },
    async chatCompletion(request) {
      calls.push({ method: 'chatCompletion', request: structuredClone(request) });
      requests.push(structuredClone(request));
      const reply = replyFor(request, requests.length - 1);
      if ('throw' in reply) {
        if (reply.when !== 'prefill') throw reply.throw;
        return stream({ name: 'failure', request, message: '' }, reply);
      }
      if (request.stream) return stream(reply, null);
      return complete(reply);
    },
    interruptGenerate() {
      calls.push({ method: 'interruptGenerate' });
      interrupts += 1;
      interrupted = true;
    },
    async resetChat() {
      calls.push({ method: 'resetChat' });
    },
    async getMessage() {
      calls.push({ method: 'getMessage' });
      return message;
    },
    async unload() {
      calls.push({ method: 'unload' });
    },
  };
}

/** MLCEngine.makeStreamFinalChunk after triggerStop(), then makeStreamUsageChunk with include_usage. */
function* abortTail(chunks: readonly WebLlmChunk[], request: WebLlmRequest): Generator<WebLlmChunk> {
  const head = chunks[0];
  if (!head) return;
  const { id, model, created } = head;
  yield {
    id,
    choices: [{ delta: {}, finish_reason: 'abort', index: 0 }],
    model,
    object: 'chat.completion.chunk',
    created,
  };
  const usage = chunks.find((c) => c.usage)?.usage;
  if (request.stream_options?.include_usage && usage) {
    yield { id, choices: [], usage, model, object: 'chat.completion.chunk', created };
  }
}
