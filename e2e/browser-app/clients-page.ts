/**
 * A second page of the test app for clients we did not write: the Vercel AI SDK's OpenAI-compatible
 * provider and LangChain's ChatOpenAI, both with `baseURL: location.origin + '/v1'`, answered by our
 * service worker from this page's engine worker. Tests drive it through `window.sdkClients`.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, streamText } from 'ai';
import { registerCinder } from '../../packages/host-sw/src/index.ts';
import { connectEngine } from '../../packages/host-worker/src/index.ts';

const engine = connectEngine(new Worker('./worker.js', { type: 'module' }));
const ready = registerCinder({ engine, serviceWorkerUrl: '/sw.js', type: 'module' }).then(() => {});
const baseURL = `${location.origin}/v1`;

export interface ClientRun {
  /** The text, and how many pieces it arrived in (1 for a non-streaming call). */
  readonly text: string;
  readonly pieces: number;
  readonly finishReason: string | null;
  readonly outputTokens: number | null;
}

interface Ask {
  readonly model: string;
  readonly prompt: string;
  readonly maxTokens: number;
}

function aiSdkModel(model: string) {
  return createOpenAICompatible({ name: 'cinder', baseURL, includeUsage: true }).chatModel(model);
}

function langchain({ model, maxTokens }: Ask, streaming: boolean) {
  return new ChatOpenAI({
    model,
    apiKey: 'not-needed',
    configuration: { baseURL, dangerouslyAllowBrowser: true },
    maxTokens,
    temperature: 0,
    streaming,
    streamUsage: true,
    maxRetries: 0,
  });
}

const clients = {
  ready,
  controlled: () => navigator.serviceWorker.controller !== null,

  async aiSdkGenerate(ask: Ask): Promise<ClientRun> {
    const result = await generateText({
      model: aiSdkModel(ask.model),
      prompt: ask.prompt,
      maxOutputTokens: ask.maxTokens,
      temperature: 0,
    });
    return {
      text: result.text,
      pieces: 1,
      finishReason: result.finishReason,
      outputTokens: result.usage.outputTokens ?? null,
    };
  },

  async aiSdkStream(ask: Ask): Promise<ClientRun> {
    const result = streamText({
      model: aiSdkModel(ask.model),
      prompt: ask.prompt,
      maxOutputTokens: ask.maxTokens,
      temperature: 0,
    });
    let text = '';
    let pieces = 0;
    for await (const part of result.textStream) {
      text += part;
      pieces++;
    }
    return {
      text,
      pieces,
      finishReason: await result.finishReason,
      outputTokens: (await result.usage).outputTokens ?? null,
    };
  },

  async langchainInvoke(ask: Ask): Promise<ClientRun> {
    const message = await langchain(ask, false).invoke([['human', ask.prompt]]);
    return {
      text: String(message.content),
      pieces: 1,
      finishReason: (message.response_metadata?.finish_reason as string | undefined) ?? null,
      outputTokens: message.usage_metadata?.output_tokens ?? null,
    };
  },

  async langchainStream(ask: Ask): Promise<ClientRun> {
    let text = '';
    let pieces = 0;
    let finishReason: string | null = null;
    let outputTokens: number | null = null;
    for await (const chunk of await langchain(ask, true).stream([['human', ask.prompt]])) {
      if (typeof chunk.content === 'string' && chunk.content !== '') {
        text += chunk.content;
        pieces++;
      }
      finishReason = (chunk.response_metadata?.finish_reason as string | undefined) ?? finishReason;
      outputTokens = chunk.usage_metadata?.output_tokens ?? outputTokens;
    }
    return { text, pieces, finishReason, outputTokens };
  },
};

(globalThis as unknown as { sdkClients: typeof clients }).sdkClients = clients;

export type Clients = typeof clients;
