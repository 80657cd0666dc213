/**
 * Request fields this engine accepts in the protocol but cannot honour yet. Each is refused with a
 * 400 naming the param instead of being silently ignored. A field leaves this table when it is
 * implemented.
 */
import type { ChatCompletionRequest } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';

interface Rule {
  readonly param: keyof ChatCompletionRequest;
  /** True when the request asks for something we cannot do. */
  readonly applies: (request: ChatCompletionRequest) => boolean;
  readonly why: string;
}

const present = (value: unknown) => value !== undefined && value !== null;

const RULES: readonly Rule[] = [
  {
    param: 'logprob_token_ids',
    applies: (r) => present(r.logprob_token_ids),
    why: 'logprob_token_ids is not available yet',
  },
  {
    param: 'modalities',
    applies: (r) => (r.modalities ?? []).some((m) => m !== 'text'),
    why: 'this engine produces text only',
  },
  { param: 'audio', applies: (r) => present(r.audio), why: 'this engine produces text only' },
  {
    param: 'web_search_options',
    applies: (r) => present(r.web_search_options),
    why: 'web search is not available on device',
  },
  {
    param: 'logits_processors',
    applies: (r) => (r.logits_processors ?? []).length > 0,
    why: 'custom logits processors by qualified name cannot be loaded in this engine',
  },
  { param: 'watermarking', applies: (r) => r.watermarking === true, why: 'watermarking is not supported' },
  {
    param: 'thinking_token_budget',
    applies: (r) => present(r.thinking_token_budget) && r.thinking_token_budget !== -1,
    why: 'thinking budgets are not available yet',
  },
];

export function rejectUnsupported(request: ChatCompletionRequest): void {
  for (const rule of RULES) {
    if (rule.applies(request)) {
      throw new ApiError(400, `Unsupported value for '${rule.param}': ${rule.why}.`, {
        param: rule.param,
        code: 'unsupported_parameter',
      });
    }
  }
}
