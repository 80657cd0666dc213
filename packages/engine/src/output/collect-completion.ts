/** Runs a job to the end and assembles one `chat.completion` from its step events. */
import type { ChatCompletion, ChatCompletionChoice, TokenLogprob } from '@cinder/protocol';
import type { GenerationOutput } from '../generate/batch-work.ts';
import { type OutputContext, usageOf } from './output-context.ts';

interface ChoiceAccumulator {
  text: string;
  tokenIds: number[];
  logprobs: TokenLogprob[];
  finishReason: ChatCompletionChoice['finish_reason'];
  stopReason: string | number | null;
}

export async function collectCompletion(
  job: GenerationOutput,
  context: OutputContext,
): Promise<ChatCompletion> {
  const choices: ChoiceAccumulator[] = Array.from({ length: context.n }, () => ({
    text: context.echo,
    tokenIds: [],
    logprobs: [],
    finishReason: 'length',
    stopReason: null,
  }));
  for await (const event of job.events) {
    for (const delta of event) {
      const choice = choices[delta.index];
      choice.text += delta.text;
      choice.tokenIds.push(...delta.tokenIds);
      if (delta.logprobs) choice.logprobs.push(...delta.logprobs);
      if (delta.finishReason) {
        choice.finishReason = delta.finishReason;
        choice.stopReason = delta.stopReason;
      }
    }
  }
  const completionTokens = choices.reduce((sum, choice) => sum + choice.tokenIds.length, 0);
  const completion: ChatCompletion = {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    system_fingerprint: context.systemFingerprint,
    choices: choices.map((choice, index) => {
      const out: ChatCompletionChoice = {
        index,
        message: { role: 'assistant', content: choice.text, refusal: null },
        logprobs: context.logprobs ? { content: choice.logprobs, refusal: null } : null,
        finish_reason: choice.finishReason,
        stop_reason: choice.stopReason,
      };
      if (context.returnTokenIds) out.token_ids = choice.tokenIds;
      return out;
    }),
    usage: usageOf(context, completionTokens, job.cachedTokens),
  };
  if (context.returnTokenIds) completion.prompt_token_ids = [...context.promptTokenIds];
  if (job.promptLogprobs) completion.prompt_logprobs = job.promptLogprobs.result();
  return completion;
}
