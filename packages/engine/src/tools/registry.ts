/**
 * Tool-call formats by model family, chosen from the chat template the request is rendered with:
 * the first format whose `detect` recognises the template wins; a template that shows no format
 * gets Hermes (`<tool_call>` JSON), the most widely trained one. Add a family with
 * `registerToolFormat` (before the built-ins, so it can claim templates they would also match).
 */
import { hermesFormat } from './formats/hermes.ts';
import { llama3JsonFormat } from './formats/llama3-json.ts';
import { mistralArgsFormat, mistralFormat } from './formats/mistral.ts';
import type { ToolCallFormat } from './tool-format.ts';

const formats: ToolCallFormat[] = [mistralArgsFormat, mistralFormat, hermesFormat, llama3JsonFormat];

export const DEFAULT_TOOL_FORMAT: ToolCallFormat = hermesFormat;

export function toolFormatFor(template: string): ToolCallFormat {
  return formats.find((format) => format.detect(template)) ?? DEFAULT_TOOL_FORMAT;
}

export function toolFormatNamed(name: string): ToolCallFormat | undefined {
  return formats.find((format) => format.name === name);
}

export function registerToolFormat(format: ToolCallFormat): void {
  const existing = formats.findIndex((f) => f.name === format.name);
  if (existing >= 0) formats.splice(existing, 1);
  formats.unshift(format);
}
