/** Reading calls out of model text: JSON values, call objects, and streaming hold-back of markers. */
import type { ParsedToolCall } from './tool-format.ts';

/** `JSON.parse`, or undefined when the text is not one JSON value. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `{"name": "f", "arguments": {...}}` (or `"parameters"`) as a call. Arguments may be an object,
 * a string holding one (some models double-encode), or absent (`{}`). Anything else: null.
 */
export function callFromObject(value: unknown): ParsedToolCall | null {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') return null;
  const args = value.arguments !== undefined ? value.arguments : value.parameters;
  if (args === undefined || args === null) return { name: value.name, arguments: '{}' };
  if (isRecord(args)) return { name: value.name, arguments: JSON.stringify(args) };
  if (typeof args === 'string' && isRecord(parseJson(args))) {
    return { name: value.name, arguments: JSON.stringify(parseJson(args)) };
  }
  return null;
}

/**
 * Where the JSON object or array starting at `start` ends (the index after its closing bracket),
 * or -1 when it does not close. Strings and escapes are skipped; nothing else is checked.
 */
export function jsonValueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '{' || ch === '[') {
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/**
 * JSON objects one after another, separated by whitespace and at most one separator character
 * each (Llama's `;`), each parsed to a call. Null unless the whole text is such calls.
 */
export function callsFromObjectSequence(text: string, separator: string): ParsedToolCall[] | null {
  const calls: ParsedToolCall[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    if (calls.length > 0 && text[i] === separator) {
      i++;
      while (i < text.length && /\s/.test(text[i])) i++;
    }
    if (text[i] !== '{') return null;
    const end = jsonValueEnd(text, i);
    if (end < 0) return null;
    const call = callFromObject(parseJson(text.slice(i, end)));
    if (!call) return null;
    calls.push(call);
    i = end;
  }
  return calls.length > 0 ? calls : null;
}

/** Length of the longest end of `text` that is a proper prefix of `marker` (to hold back while streaming). */
export function partialMarkerLength(text: string, marker: string): number {
  const max = Math.min(text.length, marker.length - 1);
  for (let length = max; length > 0; length--) {
    if (marker.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
