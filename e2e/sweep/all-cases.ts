/** Every case of the sweep, in the order they run. */
import type { SweepCase } from './case.ts';
import { forcedCases } from './cases-forced.ts';
import { httpCases } from './cases-http.ts';
import { messageCases } from './cases-messages.ts';
import { openAiFieldCases } from './cases-openai.ts';
import { ruleCases } from './cases-rules.ts';
import { toolCases } from './cases-tools.ts';
import { vllmFieldCases } from './cases-vllm.ts';

export function allCases(): SweepCase[] {
  return [
    ...httpCases(),
    ...openAiFieldCases(),
    ...vllmFieldCases(),
    ...ruleCases(),
    ...messageCases(),
    ...toolCases(),
    ...forcedCases(),
  ];
}
