/** Test helper: run a tool-call parser over text cut into pieces, and sum up what it produced. */
import type { ParsedToolCall, ToolCallFormat } from './tool-format.ts';

export interface ParserResult {
  readonly content: string;
  readonly calls: readonly ParsedToolCall[];
}

export function parseInPieces(format: ToolCallFormat, pieces: readonly string[]): ParserResult {
  const parser = format.createParser();
  let content = '';
  const calls: ParsedToolCall[] = [];
  const take = (out: ReturnType<typeof parser.push>) => {
    for (const piece of out) {
      if (piece.kind === 'content') content += piece.text;
      else calls.push(piece.call);
    }
  };
  for (const piece of pieces) take(parser.push(piece));
  take(parser.finish());
  return { content, calls };
}

/** Whole, one character at a time, and in a few fixed-size cuts: every way must agree. */
export function parseEveryWay(format: ToolCallFormat, text: string): ParserResult {
  const whole = parseInPieces(format, [text]);
  const cuts = [1, 2, 3, 5, 7].map((size) =>
    parseInPieces(
      format,
      Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, i * size + size)),
    ),
  );
  for (const result of cuts) {
    if (JSON.stringify(result) !== JSON.stringify(whole)) {
      throw new Error(`streamed parse differs: ${JSON.stringify(result)} vs ${JSON.stringify(whole)}`);
    }
  }
  return whole;
}
