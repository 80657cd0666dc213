/** The WebLLM 0.2.86 recordings (recordings/README.md), typed for the stand-in. */

import type { WebLlmRecording } from './recording-engine.ts';
import completeLength from './recordings/complete-length.json';
import completeLogprobs from './recordings/complete-logprobs.json';
import completeLogprobsOnly from './recordings/complete-logprobs-only.json';
import completeThinkLogprobs from './recordings/complete-think-logprobs.json';
import streamAbort from './recordings/stream-abort.json';
import streamBasic from './recordings/stream-basic.json';
import streamLength from './recordings/stream-length.json';
import streamMultibyteLogprobs from './recordings/stream-multibyte-logprobs.json';
import streamStopString from './recordings/stream-stop-string.json';
import streamThink from './recordings/stream-think.json';
import streamThinkOff from './recordings/stream-think-off.json';

const all = {
  completeLength,
  completeLogprobs,
  completeLogprobsOnly,
  completeThinkLogprobs,
  streamAbort,
  streamBasic,
  streamLength,
  streamMultibyteLogprobs,
  streamStopString,
  streamThink,
  streamThinkOff,
};

export const WEBLLM_RECORDINGS = all as unknown as Record<keyof typeof all, WebLlmRecording>;
