/**
 * What a request asks of tools, from `tools` / `tool_choice` / `parallel_tool_calls`, or the
 * deprecated `functions` / `function_call` (answered the old way, with `message.function_call`).
 *
 *   none      tools go to the template, the output is not read for calls
 *   auto      the output is read for calls (the default when tools are given)
 *   required  a grammar makes the output one or more calls (one with parallel_tool_calls: false)
 *   named     a grammar makes the output exactly one call to that function
 */
import type { ChatCompletionRequest, FunctionDefinition } from '@cinder/protocol';

export type ToolMode = 'none' | 'auto' | 'required' | 'named';

export interface ToolRequest {
  readonly mode: ToolMode;
  readonly functions: readonly FunctionDefinition[];
  /** The function of a named choice. */
  readonly named: string | null;
  readonly parallel: boolean;
  /** The deprecated `functions` API: one call, reported as `function_call`. */
  readonly legacy: boolean;
  /** Param of each function's `parameters`, for errors. */
  readonly paramOf: (index: number) => string;
}

export function toolRequest(request: ChatCompletionRequest): ToolRequest | null {
  if (request.tools && request.tools.length > 0) {
    const choice = request.tool_choice ?? 'auto';
    return {
      mode: typeof choice === 'object' ? 'named' : choice,
      functions: request.tools.map((tool) => tool.function),
      named: typeof choice === 'object' ? choice.function.name : null,
      parallel: request.parallel_tool_calls !== false,
      legacy: false,
      paramOf: (i) => `tools[${i}].function.parameters`,
    };
  }
  if (request.functions && request.functions.length > 0) {
    const call = request.function_call ?? 'auto';
    return {
      mode: typeof call === 'object' ? 'named' : call,
      functions: request.functions,
      named: typeof call === 'object' ? call.name : null,
      parallel: false,
      legacy: true,
      paramOf: (i) => `functions[${i}].parameters`,
    };
  }
  return null;
}
