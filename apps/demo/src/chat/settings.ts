/** Generation settings, persisted with the conversations; what each request sends. */
import { kv } from './conversations.ts';

export interface Settings {
  systemPrompt: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** The model replies come from (a model store id); null until one is chosen. */
  model: string | null;
  /** A JSON object merged into each request, for parameters the form has no field for. */
  extraParams: string;
  /** Sent only to huggingface.co, only for downloads (gated repos such as Llama 3.2 need one). */
  hubToken: string;
}

export const DEFAULT_SETTINGS: Settings = {
  systemPrompt: '',
  temperature: 0.7,
  topP: 0.95,
  maxTokens: 512,
  model: null,
  extraParams: '',
  hubToken: '',
};

export const LIMITS = {
  temperature: { min: 0, max: 2, step: 0.05 },
  topP: { min: 0.01, max: 1, step: 0.01 },
  maxTokens: { min: 1, max: 8192, step: 1 },
} as const;

export async function loadSettings(): Promise<Settings> {
  return { ...DEFAULT_SETTINGS, ...((await kv.get<Partial<Settings>>('settings')) ?? {}) };
}

export async function saveSettings(settings: Settings): Promise<void> {
  await kv.set('settings', settings);
}

/** The extra parameters as an object; a readable error when the text is not a JSON object. */
export function parseExtraParams(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`Extra parameters are not valid JSON: ${(cause as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('Extra parameters must be a JSON object, like {"seed": 7}.');
  }
  return value as Record<string, unknown>;
}

/** A number from a form field, kept inside its limits (NaN falls back). */
export function clampSetting(value: number, limit: { min: number; max: number }, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(limit.max, Math.max(limit.min, value));
}
