#!/usr/bin/env python3
"""Check a saved model directory against the independent numpy reference.

  /usr/bin/python3 scripts/train/check_reference.py models/cinder-tiny-chat [--steps 24]

Loads the directory back into the torch model of model.py (config.json + model.safetensors +
tokenizer.json), greedily continues a few chat prompts, and runs scripts/reference/llama_family.py
on the same prompt ids. The greedy tokens must be the same and the last-position logits close.
"""

import json
import os
import subprocess
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bpe import Tokenizer  # noqa: E402
from conversations import DEFAULT_SYSTEM  # noqa: E402
from model import LlamaConfig, LlamaForCausalLM  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402

REFERENCE = os.path.join(HERE, "..", "reference", "llama_family.py")
PROMPTS = ["What color is a banana?", "Tell me a story about a kind duck.", "What is 6 + 3?"]


def load_model(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        raw = json.load(f)
    cfg = LlamaConfig(vocab_size=raw["vocab_size"], hidden_size=raw["hidden_size"],
                      intermediate_size=raw["intermediate_size"], num_hidden_layers=raw["num_hidden_layers"],
                      num_attention_heads=raw["num_attention_heads"], num_key_value_heads=raw["num_key_value_heads"],
                      max_position_embeddings=raw["max_position_embeddings"], rms_norm_eps=raw["rms_norm_eps"],
                      rope_theta=raw["rope_theta"])
    model = LlamaForCausalLM(cfg)
    model.load_state_dict({k: v.float() for k, v in read_safetensors(os.path.join(model_dir, "model.safetensors")).items()})
    model.eval()
    return model


def load_tokenizer(model_dir):
    with open(os.path.join(model_dir, "tokenizer.json")) as f:
        merges = [tuple(m.split(" ")) for m in json.load(f)["model"]["merges"]]
    return Tokenizer(merges)


def main(argv):
    model_dir = argv[0]
    steps = int(argv[argv.index("--steps") + 1]) if "--steps" in argv else 24
    torch.set_num_threads(2)
    model = load_model(model_dir)
    tokenizer = load_tokenizer(model_dir)
    ok = True
    for user in PROMPTS:
        ids, _ = tokenizer.encode_chat([{"role": "system", "content": DEFAULT_SYSTEM}, {"role": "user", "content": user}])
        ids += [tokenizer.special("<|im_start|>")] + tokenizer.encode("assistant\n")
        with torch.no_grad():
            logits = model(torch.tensor([ids]))[0, -1].double()
        ours = model.generate(ids, steps, stop_ids=set())
        ref = json.loads(subprocess.run([sys.executable, REFERENCE, model_dir, json.dumps(ids), "--steps", str(steps)],
                                        capture_output=True, text=True, check=True).stdout)
        theirs = [g["token"] for g in ref["greedy"]]
        diff = float((logits - torch.tensor(ref["logits"], dtype=torch.float64)).abs().max())
        same = ours == theirs
        ok = ok and same and diff < 1e-3
        print(f"{user!r}: {len(ids)} prompt tokens, greedy {'match' if same else 'DIFFER'} over {steps} steps, "
              f"max |logit diff| {diff:.2e}\n  -> {tokenizer.decode(ours)!r}")
        if not same:
            print(f"  torch     {ours}\n  reference {theirs}")
    print("ok" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
