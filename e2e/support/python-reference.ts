/**
 * Runs the independent numpy implementation in scripts/reference/llama_family.py (written from
 * Hugging Face transformers' semantics, not from our runtime) on a fixture directory.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/reference/llama_family.py', import.meta.url));

export interface ReferenceStep {
  readonly token: number;
  readonly logprob: number;
  /** Its logit minus the runner-up's: a tiny margin makes greedy agreement a coin toss. */
  readonly margin: number;
}

export interface ReferenceResult {
  readonly greedy: readonly ReferenceStep[];
  readonly logits: readonly number[];
}

/** A python3 that has numpy (.ci/run installs Debian's python3-numpy when none has). */
export function findPython(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import numpy'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('No python3 with numpy found: install python3-numpy (see .ci/run).');
}

export function runReference(
  python: string,
  modelDir: string,
  promptIds: readonly number[],
  steps: number,
): ReferenceResult {
  const out = execFileSync(python, [script, modelDir, '--steps', String(steps)], {
    input: JSON.stringify(promptIds),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as ReferenceResult;
}
