/** Runs a job to the end and assembles one `chat.completion` from its step events. */
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionMessage,
  TokenLogprob,
} from '@cinder/protocol';
import type { GenerationOutput } from '../generate/batch-work.ts';
import { type OutputContext, usageOf } from './output-context.ts';
import { ParsedChoice } from './parsed-choice.ts';

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
  const parsed = context.parser ? choices.map(() => new ParsedChoice(context)) : [];
  for await (const event of job.events) {
    for (const delta of event) {
      parsed[delta.index]?.read(delta);
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
      const read = parsed[index];
      const out: ChatCompletionChoice = {
        index,
        message: read
          ? parsedMessage(read, context)
          : { role: 'assistant', content: choice.text, refusal: null },
        logprobs: context.logprobs ? { content: choice.logprobs, refusal: null } : null,
        finish_reason: read ? read.finishReason(choice.finishReason) : choice.finishReason,
        stop_reason: choice.stopReason,
      };
      if (context.returnTokenIds) out.token_ids = choice.tokenIds;
      return out;
    }),
    usage: usageOf(
      context,
      completionTokens,
      job.cachedTokens,
      parsed.reduce((sum, read) => sum + read.reasoningTokens, 0),
    ),
  };
  if (context.returnTokenIds) completion.prompt_token_ids = [...context.promptTokenIds];
  if (job.promptLogprobs) completion.prompt_logprobs = job.promptLogprobs.result();
  return completion;
}

/** Content is null when the answer is only tool calls; reasoning appears when there was some. */
function parsedMessage(read: ParsedChoice, context: OutputContext): ChatCompletionMessage {
  const content = context.echo + read.content;
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: content === '' && read.toolCalls.length > 0 ? null : content,
    refusal: null,
  };
  if (read.toolCalls.length > 0) {
    if (context.legacyFunctionCall) message.function_call = { ...read.toolCalls[0].function };
    else message.tool_calls = read.toolCalls;
  }
  if (read.reasoning !== '') {
    message.reasoning_content = read.reasoning;
    message.reasoning = read.reasoning;
  }
  return message;
}
