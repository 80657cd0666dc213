"""Sample answers to held-out prompts and write REPORT.md (losses, timings, samples)."""

import os
import platform
import time

import torch

from conversations import DEFAULT_SYSTEM
from stories import make_story

FIXED_PROMPTS = [
    ("story", "Tell me a story about a brave little mouse."),
    ("story", "Can you tell me a bedtime story about a bear who is afraid of the dark?"),
    ("story", "Write a short story about a girl named Rosa who loses her red kite."),
    ("facts", "What color is a banana?"),
    ("facts", "What does a cow say?"),
    ("facts", "How many legs does a spider have?"),
    ("facts", "What is the opposite of hot?"),
    ("math", "What is 7 + 5?"),
    ("math", "What is 9 - 4?"),
    ("math", "Tom has 4 apples. He gets 3 more. How many apples does Tom have now?"),
    ("math", "Count from 3 to 9."),
    ("chat", "Hi! Who are you?"),
    ("chat", "What is the capital of Italy?"),
]


def comprehension_prompts(rng):
    out = []
    for _ in range(2):
        story, hero, _, _ = make_story(rng)
        questions, _ = rng.choice(story.qa[3:])
        out.append(("story question", f"{story.text}\n\n{questions[0]}"))
    return out


def prompt_ids(tokenizer, user):
    ids, _ = tokenizer.encode_chat([{"role": "system", "content": DEFAULT_SYSTEM}, {"role": "user", "content": user}])
    return ids + [tokenizer.special("<|im_start|>")] + tokenizer.encode("assistant\n")


def reply(model, tokenizer, user, temperature, seed=0, max_new_tokens=320):
    generator = torch.Generator().manual_seed(seed)
    stop = {tokenizer.special("<|im_end|>"), tokenizer.special("<|endoftext|>")}
    model.eval()
    ids = model.generate(prompt_ids(tokenizer, user), max_new_tokens, stop, temperature=temperature, top_p=0.9,
                         generator=generator)
    return tokenizer.decode(ids)


def quote(text):
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def write_report(path, *, args, argv, model, tokenizer, history, n_tokens, n_convs, steps, train_minutes, t0,
                 out_dir, sample_rng):
    prompts = FIXED_PROMPTS[:3] + comprehension_prompts(sample_rng) + FIXED_PROMPTS[3:]
    samples = []
    for kind, user in prompts:
        greedy = reply(model, tokenizer, user, temperature=0.0)
        sampled = reply(model, tokenizer, user, temperature=0.6, seed=len(samples))
        samples.append((kind, user, greedy, sampled))
        print(f"[{kind}] {user[-80:]!r}\n  greedy: {greedy[:200]!r}", flush=True)

    size = os.path.getsize(os.path.join(out_dir, "model.safetensors"))
    cfg = model.cfg
    lines = [
        "# cinder-tiny-chat: training report",
        "",
        "Written by `scripts/train/train.py` at the end of a run. Regenerate with:",
        "",
        "```sh",
        "/usr/bin/python3 scripts/train/train.py " + " ".join(argv),
        "```",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} with {torch.get_num_threads()} threads",
        f"- Wall time: {(time.time() - t0) / 60:.1f} min in all, of which training {train_minutes:.1f} min",
        f"- Model: LlamaForCausalLM, {model.num_params():,} parameters (hidden {cfg.hidden_size}, {cfg.num_hidden_layers} layers, "
        f"{cfg.num_attention_heads} heads / {cfg.num_key_value_heads} KV heads of {cfg.head_dim}, MLP {cfg.intermediate_size}, "
        f"tied embeddings, context {cfg.max_position_embeddings})",
        f"- Tokenizer: byte-level BPE, {len(tokenizer.vocab)} tokens",
        f"- model.safetensors: {size / 1e6:.2f} MB (BF16)",
        f"- Data: {n_convs:,} generated conversations, {n_tokens:,} tokens, one pass in {steps} steps "
        f"(~{args.batch_tokens} tokens per step), peak lr {args.lr}, seed {args.seed}",
        "",
        "## Loss",
        "",
        "Cross-entropy per token (nats). Train is the running mean of the weighted training loss; held-out is on "
        f"{args.heldout} conversations from a separate seed, over all tokens and over the assistant's tokens only. "
        "The last row uses the BF16 weights as saved.",
        "",
        "| step | train | held-out (all) | held-out (assistant) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for step, train_loss, ev in history:
        lines.append(f"| {step} | {train_loss:.3f} | {ev['all']:.3f} | {ev['assistant']:.3f} |")
    lines += [
        "",
        "## Samples",
        "",
        "Held-out prompts (the story questions use stories from a seed the training data did not use), with the "
        f"default system prompt. Greedy, then sampled at temperature 0.6, top_p 0.9, by the BF16 model in torch.",
        "",
    ]
    for kind, user, greedy, sampled in samples:
        lines += [f"### {kind}", "", "**User:**", "", quote(user), "", "**Greedy:**", "", quote(greedy), "",
                  "**Sampled:**", "", quote(sampled), ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
