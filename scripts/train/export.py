"""Write a trained model as a Hugging Face directory: config.json, generation_config.json,
model.safetensors (BF16), tokenizer.json, tokenizer_config.json, special_tokens_map.json."""

import json
import os

import torch

from bpe import SPECIAL_TOKENS
from conversations import DEFAULT_SYSTEM
from safetensors_io import write_safetensors

# SmolLM2-Instruct's ChatML template with our default system prompt.
CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\n" + DEFAULT_SYSTEM + "<|im_end|>\\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
BOS, EOS = "<|im_start|>", "<|im_end|>"
GENERATION_DEFAULTS = {"temperature": 0.6, "top_p": 0.9}


def format_json(value, column=0, indent=0):
    """JSON laid out the way the repo's formatter (biome) lays it out, so `pnpm lint` passes:
    objects one key per line, arrays on one line when they fit in 110 columns."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = []
        for k, v in value.items():
            head = f"{pad}  {json.dumps(k, ensure_ascii=False)}: "
            items.append(head + format_json(v, len(head), indent + 2))
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        scalars = all(not isinstance(v, (dict, list)) for v in value)
        inline = "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
        if scalars and column + len(inline) + 1 <= 110:
            return inline
        items = [f"{pad}  " + format_json(v, indent + 2, indent + 2) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, float) and "e" in repr(value):
        mantissa, exponent = repr(value).split("e")
        return f"{mantissa}e{int(exponent)}"  # 1e-05 -> 1e-5, as biome writes it
    return json.dumps(value, ensure_ascii=False)


def write_json(path, value):
    with open(path, "w") as f:
        f.write(format_json(value) + "\n")


def hf_config(cfg, tokenizer):
    return {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": tokenizer.special(BOS),
        "eos_token_id": tokenizer.special(EOS),
        "head_dim": cfg.head_dim,
        "hidden_act": "silu",
        "hidden_size": cfg.hidden_size,
        "initializer_range": cfg.initializer_range,
        "intermediate_size": cfg.intermediate_size,
        "max_position_embeddings": cfg.max_position_embeddings,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": cfg.num_attention_heads,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_key_value_heads": cfg.num_key_value_heads,
        "pad_token_id": tokenizer.special(EOS),
        "pretraining_tp": 1,
        "rms_norm_eps": cfg.rms_norm_eps,
        "rope_scaling": None,
        "rope_theta": cfg.rope_theta,
        "tie_word_embeddings": True,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.42.3",
        "use_cache": True,
        "vocab_size": cfg.vocab_size,
    }


def token_entry(content):
    return {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}


def tokenizer_config(tokenizer, max_length):
    return {
        "add_prefix_space": False,
        "added_tokens_decoder": {str(i): {**token_entry(t), "special": True} for i, t in enumerate(SPECIAL_TOKENS)},
        "additional_special_tokens": [BOS, EOS],
        "bos_token": BOS,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": EOS,
        "model_max_length": max_length,
        "pad_token": EOS,
        "tokenizer_class": "GPT2Tokenizer",
        "unk_token": "<|endoftext|>",
        "vocab_size": len(tokenizer.vocab),
    }


def special_tokens_map():
    return {
        "additional_special_tokens": [BOS, EOS],
        "bos_token": token_entry(BOS),
        "eos_token": token_entry(EOS),
        "pad_token": token_entry(EOS),
        "unk_token": token_entry("<|endoftext|>"),
    }


def bf16_state(model):
    """Weights as saved: BF16, without the tied lm_head."""
    return {name: p.detach().to(torch.bfloat16) for name, p in model.state_dict().items()}


def export_tokenizer(out_dir, tokenizer, max_length):
    os.makedirs(out_dir, exist_ok=True)
    write_json(os.path.join(out_dir, "tokenizer.json"), tokenizer.tokenizer_json())
    write_json(os.path.join(out_dir, "tokenizer_config.json"), tokenizer_config(tokenizer, max_length))
    write_json(os.path.join(out_dir, "special_tokens_map.json"), special_tokens_map())


def export_model(out_dir, model, tokenizer):
    os.makedirs(out_dir, exist_ok=True)
    write_json(os.path.join(out_dir, "config.json"), hf_config(model.cfg, tokenizer))
    write_json(os.path.join(out_dir, "generation_config.json"), {
        "bos_token_id": tokenizer.special(BOS),
        "do_sample": True,
        "eos_token_id": tokenizer.special(EOS),
        "pad_token_id": tokenizer.special(EOS),
        **GENERATION_DEFAULTS,
        "transformers_version": "4.42.3",
    })
    write_safetensors(os.path.join(out_dir, "model.safetensors"), bf16_state(model))
