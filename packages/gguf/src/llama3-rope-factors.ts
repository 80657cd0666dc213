/**
 * `rope_freqs.weight` for Llama 3.x RoPE scaling (`rope_type: llama3`). llama.cpp does not know
 * the llama3 formula; convert_hf_to_gguf.py bakes it into one F32 factor per frequency pair, by
 * which llama.cpp divides the unscaled frequency: 1 for high frequencies, `factor` for low ones,
 * a blend in between.
 *
 * One deliberate difference: convert_hf_to_gguf.py reads `original_max_position_embeddings` from
 * the top level of config.json (default 8192, which real Llama 3.x checkpoints happen to match);
 * we use the value in `rope_scaling`, as transformers does, so the factors reproduce the model.
 */
import { type RopeScaling, ropeInvFreq } from '@cinder/model-format';

export type Llama3Scaling = Extract<RopeScaling, { type: 'llama3' }>;

export function llama3RopeFactors(headDim: number, theta: number, scaling: Llama3Scaling): Float32Array {
  const f = Math.fround;
  const { factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: oldContext } = scaling;
  const lowFreqWavelen = oldContext / lowFreqFactor;
  const highFreqWavelen = oldContext / highFreqFactor;
  const freqs = ropeInvFreq(headDim, theta, null);
  const factors = new Float32Array(freqs.length);
  for (let i = 0; i < freqs.length; i++) {
    const wavelen = f(f(2 * Math.PI) / freqs[i]);
    if (wavelen < highFreqWavelen) factors[i] = 1;
    else if (wavelen > lowFreqWavelen) factors[i] = factor;
    else {
      const smooth = f(f(f(oldContext / wavelen) - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
      factors[i] = f(1 / f(f(f(1 - smooth) / factor) + smooth));
    }
  }
  return factors;
}
