/**
 * tool_choice "required" and named functions, enforced: a constraint whose only outputs are calls
 * in the model's own format, with arguments valid against each function's `parameters` schema.
 */
import { type Constraint, DEFAULT_JSON_OPTIONS, schemaLeaf } from '../structured/constraint.ts';
import type { ToolRequest } from './tool-choice.ts';
import type { ToolCallFormat } from './tool-format.ts';

export function toolCallConstraint(tools: ToolRequest, format: ToolCallFormat): Constraint | null {
  if (tools.mode !== 'required' && tools.mode !== 'named') return null;
  const functions = tools.functions
    .map((fn, index) => ({ fn, index }))
    .filter(({ fn }) => tools.mode !== 'named' || fn.name === tools.named)
    .map(({ fn, index }) => ({
      name: fn.name,
      // Arguments are always an object; a schema that leaves out the type means one.
      arguments: schemaLeaf({ type: 'object', ...(fn.parameters ?? {}) }, tools.paramOf(index)),
    }));
  const parallel = tools.mode === 'required' && tools.parallel;
  return {
    format: format.callGrammar(functions, { parallel }),
    json: DEFAULT_JSON_OPTIONS,
    param: tools.mode === 'named' ? (tools.legacy ? 'function_call' : 'tool_choice') : 'tools',
  };
}
