/**
 * Conversations kept on this device in IndexedDB (idb-keyval): one record per conversation, plus an
 * index of summaries for the sidebar, so listing never reads every message.
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { ErrorInfo } from '../errors.ts';

export interface ReplyStats {
  /** From sending the request to the first token of the reply. */
  readonly ttftMs: number;
  /** Tokens after the first, per second; null when there were too few to say. */
  readonly tokensPerSecond: number | null;
  readonly tokens: number;
}

export interface Message {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  content: string;
  /** Assistant only: the model's reasoning, when it streams one separately (e.g. Qwen3). */
  reasoning?: string;
  /** Assistant only: which model wrote it, how it ended, and how fast. */
  model?: string;
  finish?: 'stop' | 'length' | 'stopped' | 'error' | 'streaming';
  stats?: ReplyStats;
  error?: ErrorInfo;
  readonly createdAt: number;
}

export interface Conversation {
  readonly id: string;
  title: string;
  readonly createdAt: number;
  updatedAt: number;
  messages: Message[];
}

export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
}

const db = createStore('cinder-demo', 'kv');
const INDEX = 'conversations';
const key = (id: string) => `conversation:${id}`;

export function newId(): string {
  return (
    globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  );
}

/** A title from the first message: its first line, shortened. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0].trim() || 'New chat';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

export async function listConversations(): Promise<ConversationSummary[]> {
  const index = (await get<ConversationSummary[]>(INDEX, db)) ?? [];
  return [...index].sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function loadConversation(id: string): Promise<Conversation | null> {
  return (await get<Conversation>(key(id), db)) ?? null;
}

/** Saves the conversation and its summary; returns the updated list of summaries. */
export async function saveConversation(conversation: Conversation): Promise<ConversationSummary[]> {
  await set(key(conversation.id), structuredClone(conversation), db);
  const summary: ConversationSummary = {
    id: conversation.id,
    title: conversation.title,
    updatedAt: conversation.updatedAt,
  };
  return writeIndex((index) => [summary, ...index.filter((item) => item.id !== conversation.id)]);
}

export async function deleteConversation(id: string): Promise<ConversationSummary[]> {
  await del(key(id), db);
  return writeIndex((index) => index.filter((item) => item.id !== id));
}

/** Index updates run one at a time (a streaming reply saves while other changes happen). */
let indexQueue: Promise<unknown> = Promise.resolve();

function writeIndex(
  change: (index: ConversationSummary[]) => ConversationSummary[],
): Promise<ConversationSummary[]> {
  const write = indexQueue.then(async () => {
    const next = change((await get<ConversationSummary[]>(INDEX, db)) ?? []);
    await set(INDEX, next, db);
    return [...next].sort((a, b) => b.updatedAt - a.updatedAt);
  });
  indexQueue = write.catch(() => {});
  return write;
}

/** Small values (settings) share the same database. */
export const kv = {
  get: <T>(name: string) => get<T>(name, db),
  set: (name: string, value: unknown) => set(name, value, db),
};
