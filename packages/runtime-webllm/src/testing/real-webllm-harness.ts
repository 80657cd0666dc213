/**
 * Runs WebLLM 0.2.86's real `MLCEngine` request code (validation, `chatCompletion`, `asyncGenerate`,
 * the chunk / usage / logprob builders, interrupt and lock handling, from the npm bundle) over a
 * scripted pipeline in place of `LLMChatPipeline`, which needs a WebGPU device and a downloaded MLC
 * model: neither exists here. The scripted pipeline replays a list of tokens with the stop logic of
 * `LLMChatPipeline.processNextToken` (stop tokens, stop strings cut at `lastIndexOf`, max_tokens) and
 * its logprob rule (an entry only when `logprobs && top_logprobs > 0`), decoding token bytes with a
 * non-fatal TextDecoder as a byte-level tokenizer does (an incomplete character becomes U+FFFD).
 * With `enable_thinking: false` it starts the output with the empty block as
 * `LLMChatPipeline.forwardPrefill` does ("<think>\n\n</think>\n\n", Qwen3's 4 tokens, in the output
 * ids and so in the message and the max_tokens count, but not sampled: no logprobs, not counted).
 * Used by recordings.test.ts to derive and check the JSON recordings the stand-in replays.
 */
import { MLCEngine } from '@mlc-ai/web-llm';
import type { WebLlmRequest, WebLlmTokenLogprob } from '../webllm-types.ts';

export interface ScriptedToken {
  /** UTF-8 bytes of the token (a token may hold part of a character). */
  readonly bytes: readonly number[];
  readonly logprob: number;
  /** Alternatives, most likely first: [text, logprob]. */
  readonly top: readonly (readonly [string, number])[];
  /** The EOS / stop token of the conversation template. */
  readonly eos?: boolean;
}

export const tok = (text: string, logprob: number, top: [string, number][] = []): ScriptedToken => ({
  bytes: [...new TextEncoder().encode(text)],
  logprob,
  top: top.length ? top : [[text, logprob]],
});
export const eos = (logprob: number): ScriptedToken => ({
  bytes: [],
  logprob,
  top: [['', logprob]],
  eos: true,
});

/** What `compareConversationObject` reads of a fresh `Conversation`. */
const emptyConversation = () => ({
  messages: [],
  function_string: '',
  use_function_calling: false,
  override_system_message: undefined,
});

const decoder = () => new TextDecoder('utf-8', { fatal: false });

class ScriptedPipeline {
  #script: readonly ScriptedToken[];
  #next = 0;
  #output: ScriptedToken[] = [];
  #message = '';
  #stopped = false;
  #finish: string | undefined;
  #logprobs: WebLlmTokenLogprob[] = [];
  #completionTokens = 0;
  #promptTokens = 0;
  #conversation: unknown = emptyConversation();
  onStep: (() => void) | undefined;

  constructor(script: readonly ScriptedToken[], promptTokens: number) {
    this.#script = script;
    this.#promptTokens = promptTokens;
  }
  getSupportedInputKinds() {
    return undefined;
  }
  getConversationObject() {
    return this.#conversation;
  }
  setConversation(conversation: unknown) {
    this.#conversation = conversation;
  }
  resetChat() {
    this.#conversation = emptyConversation();
    this.#finish = undefined;
  }
  setSeed(_seed: number) {}
  async prefillStep(_input: string, _role: string, _name: string | undefined, config: GenConfig) {
    this.#next = 0;
    this.#output = [];
    this.#message = '';
    this.#stopped = false;
    this.#finish = undefined;
    this.#logprobs = [];
    this.#completionTokens = 0;
    if (config.enable_thinking === false) {
      this.#output.push(tok('<think>', 0), tok('\n\n', 0), tok('</think>', 0), tok('\n\n', 0));
    }
    this.#sample(config);
  }
  async decodeStep(config: GenConfig) {
    this.#sample(config);
  }
  #sample(config: GenConfig) {
    this.onStep?.();
    const token = this.#script[this.#next++] ?? eos(0);
    if (config.logprobs && (config.top_logprobs ?? 0) > 0) {
      const text = decoder().decode(new Uint8Array(token.bytes));
      this.#logprobs.push({
        token: text,
        bytes: [...new TextEncoder().encode(text)],
        logprob: token.logprob,
        top_logprobs: token.top.slice(0, config.top_logprobs ?? 0).map(([t, l]) => ({
          token: t,
          bytes: [...new TextEncoder().encode(t)],
          logprob: l,
        })),
      });
    }
    // LLMChatPipeline.processNextToken
    const stops = config.ignore_eos ? [] : (config.stop ?? []);
    if (token.eos && !config.ignore_eos) {
      this.#stopped = true;
      this.#finish = 'stop';
    }
    if (!this.#stopped) this.#output.push(token);
    let message = decoder().decode(new Uint8Array(this.#output.flatMap((t) => [...t.bytes])));
    for (const stop of stops) {
      const at = message.lastIndexOf(stop);
      if (at !== -1) {
        message = message.substring(0, at);
        this.#stopped = true;
        this.#finish = 'stop';
        break;
      }
    }
    this.#message = message;
    if (this.#output.length >= (config.max_tokens ?? Number.POSITIVE_INFINITY)) {
      this.#stopped = true;
      this.#finish = 'length';
    }
    this.#completionTokens += 1;
  }
  stopped() {
    return this.#stopped;
  }
  triggerStop() {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#finish = 'abort';
  }
  getMessage() {
    return this.#message;
  }
  getFinishReason() {
    return this.#finish;
  }
  getTokenLogprobArray() {
    return this.#logprobs;
  }
  getCurRoundCompletionTotalTokens() {
    return this.#completionTokens;
  }
  getCurRoundDecodingTotalTokens() {
    return Math.max(0, this.#completionTokens - 1);
  }
  getCurRoundPrefillTotalTokens() {
    return this.#promptTokens;
  }
  getCurRoundPrefillTotalTime() {
    return 0.05;
  }
  getCurRoundDecodingTotalTime() {
    return 0.1;
  }
  getCurRoundPrefillTokensPerSec() {
    return this.#promptTokens / 0.05;
  }
  getCurRoundDecodingTokensPerSec() {
    return 10;
  }
  getCurRoundGrammarInitTotalTime() {
    return 0;
  }
  getCurRoundGrammarPerTokenTotalTime() {
    return 0;
  }
  getCurRoundLatencyBreakdown() {
    return {};
  }
}

interface GenConfig {
  enable_thinking?: boolean;
  stop?: string[];
  max_tokens?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  ignore_eos?: boolean;
}

class Lock {
  #tail: Promise<void> = Promise.resolve();
  #releases: (() => void)[] = [];
  async acquire() {
    const previous = this.#tail;
    let release = () => {};
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#releases.push(release);
    await previous;
  }
  async release() {
    this.#releases.shift()?.();
  }
}

export interface HarnessEngine {
  readonly engine: MLCEngine;
  readonly pipeline: ScriptedPipeline;
}

/** A real MLCEngine whose loaded model is `modelId`, generating `script` for every request. */
export function realEngineOverScript(
  modelId: string,
  script: readonly ScriptedToken[],
  promptTokens = 12,
): HarnessEngine {
  const engine = new MLCEngine({ logLevel: 'SILENT' });
  const pipeline = new ScriptedPipeline(script, promptTokens);
  const chatConfig = {
    conv_template: { system_message: '', system_template: '{system_message}', roles: {} },
    conv_config: {},
  };
  const internals = engine as unknown as {
    getLLMStates: () => unknown[];
    loadedModelIdToChatConfig: Map<string, unknown>;
    loadedModelIdToModelType: Map<string, number>;
    loadedModelIdToLock: Map<string, Lock>;
    loadedModelIdToPipeline: Map<string, unknown>;
  };
  internals.getLLMStates = () => [modelId, pipeline, chatConfig];
  internals.loadedModelIdToModelType.set(modelId, 0);
  internals.loadedModelIdToLock.set(modelId, new Lock());
  internals.loadedModelIdToChatConfig.set(modelId, chatConfig);
  return { engine, pipeline };
}

export type { WebLlmRequest };
