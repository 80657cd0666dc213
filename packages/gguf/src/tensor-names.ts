/**
 * Hugging Face Llama-family tensor names <-> llama.cpp GGUF names (gguf-py's tensor map for
 * the llama / qwen2 / qwen3 architectures).
 */

const GLOBAL: Readonly<Record<string, string>> = {
  'model.embed_tokens.weight': 'token_embd.weight',
  'model.norm.weight': 'output_norm.weight',
  'lm_head.weight': 'output.weight',
};

const LAYER: Readonly<Record<string, string>> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.q_proj.bias': 'attn_q.bias',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.k_proj.bias': 'attn_k.bias',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.v_proj.bias': 'attn_v.bias',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'self_attn.o_proj.bias': 'attn_output.bias',
  'self_attn.q_norm.weight': 'attn_q_norm.weight',
  'self_attn.k_norm.weight': 'attn_k_norm.weight',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

const LAYER_NAME = /^model\.layers\.(\d+)\.(.+)$/;
const BLOCK_NAME = /^blk\.(\d+)\.(.+)$/;

/** Tensors convert_hf_to_gguf.py drops: RoPE caches some checkpoints store. */
export function isSkippedTensor(hfName: string): boolean {
  return hfName.endsWith('.rotary_emb.inv_freq');
}

/** The GGUF name of a Hugging Face tensor, or null when it has none. */
export function ggufTensorName(hfName: string): string | null {
  const global = GLOBAL[hfName];
  if (global) return global;
  const match = LAYER_NAME.exec(hfName);
  const suffix = match ? LAYER[match[2]] : undefined;
  return match && suffix ? `blk.${match[1]}.${suffix}` : null;
}

/** The Hugging Face name of a GGUF tensor, or null (e.g. `rope_freqs.weight`). */
export function hfTensorName(ggufName: string): string | null {
  for (const [hf, gguf] of Object.entries(GLOBAL)) if (gguf === ggufName) return hf;
  const match = BLOCK_NAME.exec(ggufName);
  if (!match) return null;
  for (const [hf, gguf] of Object.entries(LAYER))
    if (gguf === match[2]) return `model.layers.${match[1]}.${hf}`;
  return null;
}
