/**
 * Semantic probes: a 200 with a valid shape is not enough if the field did nothing. Each probe checks one
 * documented effect (OAS field descriptions, seed 004, vllm-rules.md) with a few small deterministic
 * requests, and returns its problems (empty = as documented).
 */
import type { ModelName } from './case.ts';
import type { Probe } from './probe-kit.ts';
import { OUTPUT_PROBES } from './probes-output.ts';
import { PROMPT_PROBES } from './probes-prompt.ts';
import { SAMPLING_PROBES } from './probes-sampling.ts';

export type { Probe } from './probe-kit.ts';

export interface ProbeRun {
  readonly id: string;
  readonly probe: Probe;
  readonly model: ModelName;
}

export function probeRuns(models: readonly ModelName[]): ProbeRun[] {
  return [...SAMPLING_PROBES, ...OUTPUT_PROBES, ...PROMPT_PROBES].flatMap((probe) =>
    (probe.models ?? models).map((model) => ({ id: `probe › ${probe.name} [${model}]`, probe, model })),
  );
}
