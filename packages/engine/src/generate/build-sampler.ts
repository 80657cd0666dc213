/** Builds the token sampler of one choice: the sampling chain of ../sampling, fed the choice's history. */
import type { SamplingSettings } from '../request/plan.ts';
import type { DeviceSampling } from '../runtime/runtime.ts';
import { createSampler, type Sampler } from '../sampling/index.ts';
import type { LogitsProcessor, SamplingContext } from '../sampling/types.ts';
import type { GrammarConstraint } from '../structured/grammar-constraint.ts';
import type { TokenSampler } from './choice-state.ts';

/** Processors a runtime can run itself (DeviceSampling); any other one keeps sampling on the CPU. */
const DEVICE_PROCESSORS = new Set(['temperature', 'top-k', 'top-p']);

/**
 * With a grammar, its mask comes first (disallowed tokens at -Infinity, as vLLM applies the
 * bitmask before the sampler) and the sampled token advances the grammar. Sampling stays on the
 * CPU unless the runtime applies masks itself (`Runtime.deviceMasks`): then the draw carries the mask.
 */
export function buildSampler(
  settings: SamplingSettings,
  choiceIndex: number,
  promptIds: readonly number[],
  grammar: GrammarConstraint | null = null,
): TokenSampler {
  const sampler = createSampler({
    ...settings,
    // Choice i of a seeded request draws from seed + i: its own stream, and choice 0 matches n = 1.
    seed: settings.seed === null ? null : BigInt(settings.seed) + BigInt(choiceIndex),
  });
  // Besides temperature / top-k / top-p: processors that keep only some ids (a mask on the device) and
  // ones that add to (or remove) a few logits (additions on the device); any other keeps the CPU.
  const others = sampler.processors.filter((processor) => !DEVICE_PROCESSORS.has(processor.name));
  const keeping = others.filter((processor) => processor.keptIds !== undefined);
  const adding = others.filter((processor) => processor.keptIds === undefined);
  const onlyAdditions = adding.every((processor) => processor.additions !== undefined);
  const kept = keeping.length > 0 ? keptMask(keeping) : null;
  return {
    next(logits, generatedIds) {
      const context = { promptIds, generatedIds, step: generatedIds.length };
      if (!grammar) return sampler.sample(logits, context);
      grammar.apply(logits);
      return grammar.accept(sampler.sample(logits, context));
    },
    ended: () => grammar?.terminated ?? false,
    release: () => grammar?.release(),
    // A grammar draws on the device only where the runtime applies its mask; the token is then
    // taken by the grammar here, as `next` takes a CPU-sampled one.
    took: grammar ? (token) => grammar.accept(token) : undefined,
    deviceDraw(topLogprobs, device, generatedIds) {
      if ((grammar || kept) && !device.masks) return null;
      if (adding.length > 0 && !(device.bias && onlyAdditions)) return null;
      const allowed = grammar && kept ? intersect(grammar.mask(), kept) : (grammar?.mask() ?? kept);
      const draw: DeviceSampling = {
        temperature: sampler.greedy ? 0 : settings.temperature,
        topK: Math.max(settings.topK, 0),
        topP: settings.topP,
        uniform: sampler.greedy ? 0 : sampler.rng.nextFloat(),
        // Without logprobs the device returns only the token id.
        logprob: topLogprobs !== null,
        topLogprobs: topLogprobs ?? 0,
        ...(allowed ? { allowed } : {}),
        ...(adding.length > 0
          ? { bias: additions(adding, { promptIds, generatedIds, step: generatedIds.length }) }
          : {}),
      };
      return draw;
    },
  };
}

/** The ids every keeping processor keeps, as a mask (xgrammar layout; ids past it are not allowed). */
function keptMask(processors: readonly LogitsProcessor[]): Int32Array {
  let mask: Int32Array | null = null;
  for (const processor of processors) {
    const ids = processor.keptIds!.filter((id) => id >= 0);
    const own = new Int32Array(Math.ceil((ids.reduce((max, id) => Math.max(max, id), -1) + 1) / 32));
    for (const id of ids) own[id >> 5] |= 1 << (id & 31);
    mask = mask ? intersect(mask, own) : own;
  }
  return mask!;
}

/** Tokens both masks allow. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  for (let w = 0; w < out.length; w++) out[w] = a[w] & b[w];
  return out;
}

/** The processors' additions summed per id, ids ascending, zeros left out. */
function additions(
  processors: readonly LogitsProcessor[],
  context: SamplingContext,
): Array<readonly [number, number]> {
  const sum = new Map<number, number>();
  for (const processor of processors)
    for (const [id, delta] of processor.additions!(context)) sum.set(id, (sum.get(id) ?? 0) + delta);
  return [...sum].filter(([, delta]) => delta !== 0).sort((a, b) => a[0] - b[0]);
}

/** Beam search ranks by logprob, so it keeps only the deterministic processors (greedy drops the random ones). */
export function buildBeamProcessors(settings: SamplingSettings, _promptIds: readonly number[]): Sampler {
  return createSampler({ ...settings, temperature: 0, seed: null });
}
