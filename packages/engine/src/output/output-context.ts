/** What every chunk or completion of one request shares. */
import { buildUsage, type Usage } from '@cinder/protocol';

export interface OutputContext {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly systemFingerprint: string;
  readonly promptTokenIds: readonly number[];
  readonly n: number;
  readonly logprobs: boolean;
  readonly returnTokenIds: boolean;
  readonly includeUsage: boolean;
  readonly continuousUsage: boolean;
  /** vLLM `echo`: the final assistant message's text, prepended to every choice's content. */
  readonly echo: string;
}

export function usageOf(context: OutputContext, completionTokens: number, cachedTokens: number): Usage {
  return buildUsage({
    promptTokens: context.promptTokenIds.length,
    completionTokens,
    cachedTokens,
  });
}
