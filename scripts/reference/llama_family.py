#!/usr/bin/env python3
"""Independent reference forward pass for Llama-family checkpoints (numpy only).

Follows the semantics of Hugging Face transformers' modeling code for LlamaForCausalLM,
Qwen2ForCausalLM and Qwen3ForCausalLM, written without looking at our TypeScript runtime:
RMSNorm, rotate_half RoPE (with `llama3` / `linear` rope_scaling as in transformers'
`_compute_llama3_parameters`), Qwen3's per-head q/k RMSNorm before RoPE, Qwen2's q/k/v biases,
grouped-query attention via repeat_kv, causal softmax attention, SwiGLU MLP, tied embeddings.
Math is float64 on the stored weights (BF16/F16/F32 widened exactly). Every step recomputes the
whole sequence (no KV cache), so it is a different algorithm from the runtime it checks.

Usage:
  python3 scripts/reference/llama_family.py MODEL_DIR '[128000, 9906, 1917]' [--steps K]
  echo '[1, 2, 3]' | python3 scripts/reference/llama_family.py MODEL_DIR --steps 8 --no-logits

  MODEL_DIR   a Hugging Face layout directory: config.json + model.safetensors, or shards with
              model.safetensors.index.json (e.g. one made by `pnpm fixtures --out .fixtures`).
  TOKENS      JSON list of prompt token ids (or {"tokens": [...]}) as argument or on stdin.
  --steps K   greedy tokens to generate after the prompt (default 8).
  --no-logits leave the full last-position logits out of the output.
  --stop-at-eos  stop the greedy continuation after an EOS token (from generation_config/config).

Prints one JSON object:
  {"model": "tiny-llama", "prompt": [...],
   "logits": [...],                        # last prompt position, vocab_size floats
   "top": [[token, logit], ...],           # 10 largest of those
   "greedy": [{"token": t, "logprob": lp, "margin": m}, ...],
       # argmax continuation; log-softmax of each pick; margin = its logit minus the runner-up's
       # (a comparison should stop trusting greedy agreement after a step with a tiny margin)
   "eos_token_ids": [...]}
"""

import json
import math
import os
import struct
import sys

import numpy as np


# ---------------------------------------------------------------------------------------------
# safetensors

def read_safetensors(path):
    """Tensors of one .safetensors file as float64 arrays: u64 header length, JSON header, data."""
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len].decode("utf-8"))
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin : base + end]
        dtype = info["dtype"]
        if dtype == "F32":
            array = np.frombuffer(raw, dtype="<f4")
        elif dtype == "F16":
            array = np.frombuffer(raw, dtype="<f2")
        elif dtype == "BF16":
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{name}: unsupported dtype {dtype}")
        tensors[name] = array.astype(np.float64).reshape(info["shape"])
    return tensors


def load_weights(model_dir):
    index_path = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(index_path):
        with open(index_path) as f:
            index = json.load(f)
        tensors = {}
        for shard in sorted(set(index["weight_map"].values())):
            tensors.update(read_safetensors(os.path.join(model_dir, shard)))
        missing = set(index["weight_map"]) - set(tensors)
        if missing:
            raise ValueError(f"index names tensors not in any shard: {sorted(missing)[:5]}")
        return tensors
    return read_safetensors(os.path.join(model_dir, "model.safetensors"))


# ---------------------------------------------------------------------------------------------
# model

class Config:
    def __init__(self, raw):
        self.model_type = raw["model_type"]
        if self.model_type not in ("llama", "qwen2", "qwen3"):
            raise ValueError(f"unsupported model_type {self.model_type}")
        self.hidden = raw["hidden_size"]
        self.layers = raw["num_hidden_layers"]
        self.heads = raw["num_attention_heads"]
        self.kv_heads = raw.get("num_key_value_heads") or self.heads
        self.head_dim = raw.get("head_dim") or self.hidden // self.heads
        self.eps = raw["rms_norm_eps"]
        self.rope_theta = raw.get("rope_theta", 10000.0)
        self.rope_scaling = raw.get("rope_scaling")
        self.tied = raw.get("tie_word_embeddings", False)
        self.vocab = raw["vocab_size"]
        if raw.get("hidden_act", "silu") != "silu":
            raise ValueError(f"unsupported hidden_act {raw.get('hidden_act')}")
        if raw.get("use_sliding_window"):
            raise ValueError("sliding-window attention is not implemented")
        # Which projections carry a bias: Qwen2 always has q/k/v biases; Llama and Qwen3 put
        # one on q/k/v/o when attention_bias is set.
        if self.model_type == "qwen2":
            self.bias = {"q_proj", "k_proj", "v_proj"}
        elif raw.get("attention_bias"):
            self.bias = {"q_proj", "k_proj", "v_proj", "o_proj"}
        else:
            self.bias = set()
        self.mlp_bias = bool(raw.get("mlp_bias"))
        self.qk_norm = self.model_type == "qwen3"


def rope_inv_freq(cfg):
    """inv_freq as transformers' ROPE_INIT_FUNCTIONS compute it."""
    dim = cfg.head_dim
    inv_freq = 1.0 / (cfg.rope_theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    scaling = cfg.rope_scaling
    kind = (scaling or {}).get("rope_type", (scaling or {}).get("type", "default"))
    if kind == "default":
        return inv_freq
    if kind == "linear":
        return inv_freq / scaling["factor"]
    if kind == "llama3":
        factor = scaling["factor"]
        low_freq_factor = scaling["low_freq_factor"]
        high_freq_factor = scaling["high_freq_factor"]
        old_context_len = scaling["original_max_position_embeddings"]
        low_freq_wavelen = old_context_len / low_freq_factor
        high_freq_wavelen = old_context_len / high_freq_factor
        wavelen = 2 * math.pi / inv_freq
        # Long wavelengths are slowed by `factor`, short ones kept, the band between interpolated.
        inv_freq_llama = np.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
        smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
        smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
        is_medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
        return np.where(is_medium, smoothed, inv_freq_llama)
    raise ValueError(f"unsupported rope_scaling type {kind}")


def rms_norm(x, weight, eps):
    variance = np.mean(x * x, axis=-1, keepdims=True)
    return weight * (x / np.sqrt(variance + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def apply_rope(x, cos, sin):
    """x: (heads, T, head_dim); cos/sin: (T, head_dim)."""
    return x * cos + rotate_half(x) * sin


def silu(x):
    return x / (1.0 + np.exp(-x))


class Model:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            self.raw_config = json.load(f)
        self.cfg = Config(self.raw_config)
        self.w = load_weights(model_dir)
        self.inv_freq = rope_inv_freq(self.cfg)
        if "lm_head.weight" in self.w and not self.cfg.tied:
            self.lm_head = self.w["lm_head.weight"]
        elif self.cfg.tied:
            self.lm_head = self.w["model.embed_tokens.weight"]
        else:
            raise ValueError("tie_word_embeddings is false but there is no lm_head.weight")

    def linear(self, x, name, bias):
        y = x @ self.w[f"{name}.weight"].T
        return y + self.w[f"{name}.bias"] if bias else y

    def forward(self, tokens):
        """Logits (vocab,) of the last position of `tokens` (a full causal forward pass)."""
        cfg = self.cfg
        n = len(tokens)
        x = self.w["model.embed_tokens.weight"][np.asarray(tokens)]  # (T, hidden)

        freqs = np.outer(np.arange(n, dtype=np.float64), self.inv_freq)  # (T, head_dim/2)
        emb = np.concatenate([freqs, freqs], axis=-1)
        cos, sin = np.cos(emb), np.sin(emb)
        mask = np.triu(np.full((n, n), -np.inf), k=1)
        groups = cfg.heads // cfg.kv_heads

        for layer in range(cfg.layers):
            p = f"model.layers.{layer}"
            h = rms_norm(x, self.w[f"{p}.input_layernorm.weight"], cfg.eps)
            q = self.linear(h, f"{p}.self_attn.q_proj", "q_proj" in cfg.bias)
            k = self.linear(h, f"{p}.self_attn.k_proj", "k_proj" in cfg.bias)
            v = self.linear(h, f"{p}.self_attn.v_proj", "v_proj" in cfg.bias)
            q = q.reshape(n, cfg.heads, cfg.head_dim).transpose(1, 0, 2)  # (heads, T, d)
            k = k.reshape(n, cfg.kv_heads, cfg.head_dim).transpose(1, 0, 2)
            v = v.reshape(n, cfg.kv_heads, cfg.head_dim).transpose(1, 0, 2)
            if cfg.qk_norm:
                q = rms_norm(q, self.w[f"{p}.self_attn.q_norm.weight"], cfg.eps)
                k = rms_norm(k, self.w[f"{p}.self_attn.k_norm.weight"], cfg.eps)
            q = apply_rope(q, cos, sin)
            k = apply_rope(k, cos, sin)
            k = np.repeat(k, groups, axis=0)  # repeat_kv: kv head j serves query heads j*g..j*g+g-1
            v = np.repeat(v, groups, axis=0)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(cfg.head_dim) + mask
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            attn = (probs @ v).transpose(1, 0, 2).reshape(n, cfg.heads * cfg.head_dim)
            x = x + self.linear(attn, f"{p}.self_attn.o_proj", "o_proj" in cfg.bias)

            h = rms_norm(x, self.w[f"{p}.post_attention_layernorm.weight"], cfg.eps)
            gate = self.linear(h, f"{p}.mlp.gate_proj", cfg.mlp_bias)
            up = self.linear(h, f"{p}.mlp.up_proj", cfg.mlp_bias)
            x = x + self.linear(silu(gate) * up, f"{p}.mlp.down_proj", cfg.mlp_bias)

        last = rms_norm(x[-1], self.w["model.norm.weight"], cfg.eps)
        return last @ self.lm_head.T


def log_softmax(logits):
    shifted = logits - logits.max()
    return shifted - math.log(np.exp(shifted).sum())


def eos_ids(model_dir, raw_config):
    ids = raw_config.get("eos_token_id")
    path = os.path.join(model_dir, "generation_config.json")
    if os.path.exists(path):
        with open(path) as f:
            ids = json.load(f).get("eos_token_id", ids)
    if ids is None:
        return []
    return ids if isinstance(ids, list) else [ids]


# ---------------------------------------------------------------------------------------------
# CLI

def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    steps = 8
    for i, a in enumerate(argv):
        if a == "--steps":
            steps = int(argv[i + 1])
            args.remove(argv[i + 1])
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    model_dir = args[0]
    source = json.loads(args[1] if len(args) > 1 else sys.stdin.read())
    tokens = [int(t) for t in (source["tokens"] if isinstance(source, dict) else source)]
    if not tokens:
        raise ValueError("need at least one prompt token")

    model = Model(model_dir)
    eos = eos_ids(model_dir, model.raw_config)
    logits = model.forward(tokens)
    if not np.all(np.isfinite(logits)):
        raise ValueError("non-finite logits")
    top = np.argsort(-logits, kind="stable")[:10]
    out = {
        "model": os.path.basename(os.path.normpath(model_dir)),
        "prompt": tokens,
        "top": [[int(t), float(logits[t])] for t in top],
        "greedy": [],
        "eos_token_ids": eos,
    }
    if "--no-logits" not in flags:
        out["logits"] = [float(v) for v in logits]

    sequence = list(tokens)
    for step in range(steps):
        if step > 0:
            logits = model.forward(sequence)
        token = int(np.argmax(logits))
        runner_up = np.partition(logits, -2)[-2]
        out["greedy"].append({
            "token": token,
            "logprob": float(log_softmax(logits)[token]),
            "margin": float(logits[token] - runner_up),
        })
        sequence.append(token)
        if "--stop-at-eos" in flags and token in eos:
            break

    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
