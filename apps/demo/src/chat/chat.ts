/**
 * The conversation being shown and what can be done to it: send, stop, regenerate, edit and resend,
 * switch, delete. Replies are saved as they stream (at most every half second) and when they end.
 * Views read `state` and re-render on `onChange`; this module never touches the DOM.
 */

import type OpenAI from 'openai';
import { describeError } from '../errors.ts';
import {
  type Conversation,
  type ConversationSummary,
  deleteConversation,
  listConversations,
  loadConversation,
  type Message,
  newId,
  saveConversation,
  titleFrom,
} from './conversations.ts';
import { parseExtraParams, type Settings } from './settings.ts';
import { type ChatTurn, type Reply, streamReply } from './stream-reply.ts';

export interface ChatState {
  conversations: ConversationSummary[];
  /** Null: a new chat, saved once its first message is sent. */
  current: Conversation | null;
  /** The assistant message being written, if any. */
  streamingId: string | null;
}

export interface ChatOptions {
  openai(): Promise<OpenAI>;
  settings(): Settings;
  /** The model to use now; throws a described error when there is none. */
  model(): string;
  /** Makes sure the model is on the device and loaded (may download); throws a described error. */
  prepare(model: string, signal: AbortSignal): Promise<void>;
  onChange(): void;
}

const SAVE_EVERY_MS = 500;

export function createChat(options: ChatOptions) {
  const state: ChatState = { conversations: [], current: null, streamingId: null };
  let controller: AbortController | null = null;
  let lastSave = 0;
  /** Deleted while a reply was still being written: that reply must not save it again. */
  const deleted = new Set<string>();

  async function persist(conversation: Conversation): Promise<void> {
    if (deleted.has(conversation.id)) return;
    conversation.updatedAt = Date.now();
    lastSave = Date.now();
    state.conversations = await saveConversation(conversation);
  }

  /** Writes an assistant reply into `current` (streaming), then records how it ended. */
  async function reply(): Promise<void> {
    const conversation = state.current!;
    const message: Message = {
      id: newId(),
      role: 'assistant',
      content: '',
      finish: 'streaming',
      createdAt: Date.now(),
    };
    const history = conversation.messages.filter(usable).map(toTurn);
    conversation.messages.push(message);
    state.streamingId = message.id;
    controller = new AbortController();
    const { signal } = controller;
    options.onChange();

    try {
      const settings = options.settings();
      const extra = parseExtraParams(settings.extraParams);
      const model = options.model();
      message.model = model;
      options.onChange();
      await options.prepare(model, signal);
      signal.throwIfAborted();
      const system: ChatTurn[] = settings.systemPrompt.trim()
        ? [{ role: 'system', content: settings.systemPrompt }]
        : [];
      const result: Reply = await streamReply(await options.openai(), {
        model,
        messages: [...system, ...history],
        temperature: settings.temperature,
        topP: settings.topP,
        maxTokens: settings.maxTokens,
        extra,
        signal,
        onText(content, reasoning) {
          message.content = content;
          if (reasoning) message.reasoning = reasoning;
          options.onChange();
          if (Date.now() - lastSave > SAVE_EVERY_MS) void persist(conversation);
        },
      });
      message.finish = result.finish;
      if (result.stats) message.stats = result.stats;
    } catch (cause) {
      if (signal.aborted) message.finish = 'stopped';
      else {
        message.finish = 'error';
        message.error = describeError(cause);
      }
    } finally {
      controller = null;
      state.streamingId = null;
      await persist(conversation);
      options.onChange();
    }
  }

  return {
    state,

    async init(): Promise<void> {
      state.conversations = await listConversations();
      const latest = state.conversations[0];
      if (latest) state.current = await loadConversation(latest.id);
      options.onChange();
    },

    async send(text: string): Promise<void> {
      if (state.streamingId || !text.trim()) return;
      if (!state.current) {
        const now = Date.now();
        state.current = { id: newId(), title: titleFrom(text), createdAt: now, updatedAt: now, messages: [] };
      }
      state.current.messages.push({ id: newId(), role: 'user', content: text, createdAt: Date.now() });
      await persist(state.current);
      await reply();
    },

    stop(): void {
      controller?.abort(new DOMException('Stopped by the user.', 'AbortError'));
    },

    /** Replaces the last reply with a new one. */
    async regenerate(): Promise<void> {
      const messages = state.current?.messages;
      if (state.streamingId || !messages?.length) return;
      while (messages.at(-1)?.role === 'assistant') messages.pop();
      if (!messages.length) return;
      await reply();
    },

    /** Changes a user message, forgets everything after it, and asks again. */
    async editAndResend(id: string, text: string): Promise<void> {
      const messages = state.current?.messages;
      const index = messages?.findIndex((message) => message.id === id) ?? -1;
      if (state.streamingId || !messages || index < 0 || !text.trim()) return;
      messages.splice(index + 1);
      messages[index].content = text;
      if (index === 0) state.current!.title = titleFrom(text);
      await persist(state.current!);
      await reply();
    },

    newConversation(): void {
      if (state.streamingId) this.stop();
      state.current = null;
      options.onChange();
    },

    async open(id: string): Promise<void> {
      if (state.current?.id === id) return;
      if (state.streamingId) this.stop();
      state.current = await loadConversation(id);
      options.onChange();
    },

    async remove(id: string): Promise<void> {
      deleted.add(id);
      if (state.current?.id === id) {
        if (state.streamingId) this.stop();
        state.current = null;
      }
      state.conversations = await deleteConversation(id);
      options.onChange();
    },
  };
}

export type Chat = ReturnType<typeof createChat>;

/** Failed and empty replies are not sent back to the model. */
function usable(message: Message): boolean {
  return message.role === 'user' || (message.finish !== 'error' && message.content.trim() !== '');
}

function toTurn(message: Message): ChatTurn {
  return { role: message.role, content: message.content };
}
