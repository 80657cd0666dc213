#!/usr/bin/env python3
"""Train cinder's built-in default chat model from scratch on the CPU.

  /usr/bin/python3 scripts/train/train.py --out models/cinder-tiny-chat

1. Draws chat conversations from a seeded procedural generator (stories, questions about them,
   simple facts and sums, greetings, polite refusals; see conversations.py).
2. Trains a byte-level BPE tokenizer on them (bpe.py).
3. Trains a small LlamaForCausalLM (model.py) on the conversations: batches of conversations of
   similar length, AdamW, warmup then cosine decay. Assistant tokens weigh 1 in the loss, the
   rest (system, user, chat markup) LOSS_WEIGHT_OTHER.
4. Writes the Hugging Face directory (export.py), then measures held-out loss with the BF16
   weights as saved and writes REPORT.md with sample answers (report.py).

Deterministic given --seed: the data, the tokenizer, the initial weights and the batch order all
come from it (torch uses 2 threads; the same machine and torch build give the same weights).
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

# On a shared 2-core machine, OpenMP threads that spin while they wait for each other (the
# default) and OpenBLAS's own spinning threads make training several times slower. Let the two
# torch threads sleep when idle and keep the matrix products single-threaded. These must be set
# before torch (and its OpenMP and OpenBLAS) is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bpe import Tokenizer, train_bpe  # noqa: E402
from conversations import make_conversation  # noqa: E402
from export import bf16_state, export_model, export_tokenizer  # noqa: E402
from model import LlamaConfig, LlamaForCausalLM  # noqa: E402
from report import write_report  # noqa: E402

LOSS_WEIGHT_OTHER = 0.5
MAX_LEN = 1024


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="models/cinder-tiny-chat")
    p.add_argument("--report", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "REPORT.md"))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--tokens", type=float, default=4.5e6, help="training tokens (one pass over fresh data)")
    p.add_argument("--batch-tokens", type=int, default=3072, help="tokens per step, padding included")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--vocab", type=int, default=2048)
    p.add_argument("--hidden", type=int, default=192)
    p.add_argument("--layers", type=int, default=6)
    p.add_argument("--heads", type=int, default=3)
    p.add_argument("--kv-heads", type=int, default=1)
    p.add_argument("--intermediate", type=int, default=512)
    p.add_argument("--heldout", type=int, default=300, help="held-out conversations")
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# data


def encode_all(tokenizer, conversations):
    out = []
    for conv in conversations:
        ids, mask = tokenizer.encode_chat(conv)
        if len(ids) <= MAX_LEN:
            out.append((ids, mask))
    return out


def make_batches(rng, examples, batch_tokens):
    """Lists of examples of similar length whose padded size (count x longest) fits batch_tokens.
    Grouping by length keeps padding and attention work small; the batch order is shuffled."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    batches = []
    for w in range(0, len(order), 512):
        window = sorted(order[w : w + 512], key=lambda i: len(examples[i][0]))
        batch = []
        for i in window:
            longest = max([len(examples[j][0]) for j in batch] + [len(examples[i][0])])
            if batch and (len(batch) + 1) * longest > batch_tokens:
                batches.append(batch)
                batch = []
            batch.append(i)
        if batch:
            batches.append(batch)
    rng.shuffle(batches)
    return [[examples[i] for i in b] for b in batches]


def collate(batch, pad_id):
    """inputs (B, T), targets (B, T) and loss weights (B, T) for next-token prediction."""
    T = max(len(ids) for ids, _ in batch) - 1
    inputs = torch.full((len(batch), T), pad_id, dtype=torch.long)
    targets = torch.full((len(batch), T), pad_id, dtype=torch.long)
    weights = torch.zeros((len(batch), T))
    assistant = torch.zeros((len(batch), T))
    for b, (ids, mask) in enumerate(batch):
        n = len(ids) - 1
        inputs[b, :n] = torch.tensor(ids[:-1])
        targets[b, :n] = torch.tensor(ids[1:])
        m = torch.tensor(mask[1:], dtype=torch.float32)
        weights[b, :n] = m + (1 - m) * LOSS_WEIGHT_OTHER
        assistant[b, :n] = m
    return inputs, targets, weights, assistant


def check_tokenizer_with_engine(out_dir, tokenizer, conversations):
    """Our engine (node, @huggingface/tokenizers + jinja) must render and encode these
    conversations to exactly the ids we train on. Skipped when node is not installed."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-tokenizer.ts")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if shutil.which("npx") is None:
        print("tokenizer check skipped: npx not found", flush=True)
        return
    cases = [{"messages": c, "ids": tokenizer.encode_chat(c)[0]} for c in conversations]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cases, f)
    try:
        result = subprocess.run(["npx", "tsx", script, os.path.abspath(out_dir), f.name], cwd=repo,
                                capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if result.returncode != 0:
        raise SystemExit(f"tokenizer check failed:\n{result.stdout}{result.stderr}")
    print("tokenizer check (engine):", result.stdout.strip(), flush=True)


# ---------------------------------------------------------------------------------------------
# training


def lr_at(step, steps, peak):
    warmup = max(1, steps // 20)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def make_optimizer(model, lr):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.95), eps=1e-8)


@torch.no_grad()
def evaluate(model, batches, pad_id):
    """Mean loss per token over all tokens and over assistant tokens only."""
    model.eval()
    total = total_n = asst = asst_n = 0.0
    for batch in batches:
        inputs, targets, weights, assistant = collate(batch, pad_id)
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none").view_as(weights)
        real = (weights > 0).float()
        total += float((loss * real).sum())
        total_n += float(real.sum())
        asst += float((loss * assistant).sum())
        asst_n += float(assistant.sum())
    model.train()
    return {"all": total / total_n, "assistant": asst / asst_n}


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()

    # 1. data
    rng = random.Random(args.seed)
    tokenizer_rng = random.Random(args.seed + 1)
    heldout_rng = random.Random(args.seed + 2)
    tokenizer_sample = [make_conversation(tokenizer_rng) for _ in range(6000)]
    merges = train_bpe([m["role"] + "\n" + m["content"] for c in tokenizer_sample for m in c], args.vocab)
    tokenizer = Tokenizer(merges)
    pad_id = tokenizer.special("<|endoftext|>")
    print(f"tokenizer: {len(tokenizer.vocab)} tokens ({time.time() - t0:.0f}s)", flush=True)

    train, n_tokens = [], 0
    while n_tokens < args.tokens:
        example = encode_all(tokenizer, [make_conversation(rng)])
        train += example
        n_tokens += sum(len(ids) - 1 for ids, _ in example)
    heldout_convs = [make_conversation(heldout_rng) for _ in range(args.heldout)]
    heldout = encode_all(tokenizer, heldout_convs)
    export_tokenizer(args.out, tokenizer, MAX_LEN)
    check_tokenizer_with_engine(args.out, tokenizer, heldout_convs[:200])
    batch_rng = random.Random(args.seed + 3)
    batches = make_batches(batch_rng, train, args.batch_tokens)
    heldout_batches = make_batches(random.Random(0), heldout, 4096)
    steps = len(batches)
    print(f"data: {len(train)} conversations, {n_tokens} tokens, {steps} steps ({time.time() - t0:.0f}s)", flush=True)

    # 2. model
    torch.manual_seed(args.seed)
    cfg = LlamaConfig(vocab_size=len(tokenizer.vocab), hidden_size=args.hidden, intermediate_size=args.intermediate,
                      num_hidden_layers=args.layers, num_attention_heads=args.heads, num_key_value_heads=args.kv_heads,
                      max_position_embeddings=MAX_LEN)
    model = LlamaForCausalLM(cfg)
    optimizer = make_optimizer(model, args.lr)
    print(f"model: {model.num_params()} parameters", flush=True)

    # 3. train
    t_train = time.time()
    seen = 0
    history = []
    smooth = None
    for step, batch in enumerate(batches):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, steps, args.lr)
        inputs, targets, weights, _ = collate(batch, pad_id)
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
        loss = (loss * weights.reshape(-1)).sum() / weights.sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        seen += int((weights > 0).sum())
        smooth = float(loss) if smooth is None else 0.95 * smooth + 0.05 * float(loss)
        if step % 20 == 0 or step == steps - 1:
            elapsed = time.time() - t_train
            print(f"step {step:5d}/{steps}  loss {smooth:.3f}  lr {lr_at(step, steps, args.lr):.2e}  "
                  f"{seen / elapsed:.0f} tok/s  {elapsed / 60:.1f} min", flush=True)
        if (step + 1) % max(1, steps // 4) == 0 and step + 1 < steps:
            ev = evaluate(model, heldout_batches, pad_id)
            history.append((step + 1, smooth, ev))
            print(f"  held-out loss: all {ev['all']:.3f}  assistant {ev['assistant']:.3f}", flush=True)
    train_minutes = (time.time() - t_train) / 60

    # 4. export, then evaluate and sample with the BF16 weights as saved
    export_model(args.out, model, tokenizer)
    model.load_state_dict({k: v.float() for k, v in bf16_state(model).items()})
    final = evaluate(model, heldout_batches, pad_id)
    history.append((steps, smooth, final))
    print(f"final held-out loss (bf16): all {final['all']:.3f}  assistant {final['assistant']:.3f}", flush=True)
    write_report(args.report, args=args, argv=argv, model=model, tokenizer=tokenizer, history=history,
                 n_tokens=n_tokens, n_convs=len(train), steps=steps, train_minutes=train_minutes, t0=t0,
                 out_dir=args.out, sample_rng=random.Random(args.seed + 4))
    print(f"done in {(time.time() - t0) / 60:.1f} min; wrote {args.out} and {args.report}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
