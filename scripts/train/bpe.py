"""Byte-level BPE: train merges on a corpus, encode text, and write Hugging Face tokenizer files.

The pre-tokenizer is SmolLM2's: split every digit off on its own, then GPT-2's ByteLevel regex,
then map bytes to printable characters (space -> "G with a dot", ...). `encode` here gives the
same ids as the `tokenizer.json` it writes does in `tokenizers`/`@huggingface/tokenizers`, for the
ASCII text this corpus is made of (train.py checks that with node).
"""

import re
from collections import Counter

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# GPT-2's pattern with \p{L} / \p{N} narrowed to ASCII (the corpus is ASCII; `assert_ascii` checks).
GPT2_ASCII = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""")
DIGIT = re.compile(r"[0-9]")


def bytes_to_unicode():
    """GPT-2's reversible map from the 256 byte values to printable unicode characters."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + list(range(ord("\xae"), ord("\xff") + 1))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


BYTE_CHAR = bytes_to_unicode()


def pre_tokenize(text):
    """Pieces of `text` as byte-level strings: Digits(individual) then ByteLevel(use_regex)."""
    pieces = []
    start = 0
    for m in DIGIT.finditer(text):
        if m.start() > start:
            pieces.append(text[start : m.start()])
        pieces.append(m.group())
        start = m.end()
    if start < len(text):
        pieces.append(text[start:])
    words = []
    for piece in pieces:
        for w in GPT2_ASCII.findall(piece):
            words.append("".join(BYTE_CHAR[b] for b in w.encode("utf-8")))
    return words


def assert_ascii(text):
    if not text.isascii():
        raise ValueError(f"corpus must be ASCII: {text[:80]!r}")


def merge_word(symbols, pair, merged):
    out = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == pair[0] and symbols[i + 1] == pair[1]:
            out.append(merged)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def train_bpe(texts, vocab_size):
    """Merges (list of symbol pairs) learned from `texts` so the vocab has `vocab_size` entries.
    Most frequent pair first; ties broken by the pair itself, so training is deterministic."""
    counts = Counter()
    for text in texts:
        assert_ascii(text)
        counts.update(pre_tokenize(text))
    words = {tuple(w): c for w, c in counts.items()}
    n_merges = vocab_size - len(SPECIAL_TOKENS) - 256
    merges = []
    pair_counts = Counter()
    for symbols, c in words.items():
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += c
    for _ in range(n_merges):
        if not pair_counts:
            break
        best = min(pair_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if pair_counts[best] < 2:
            break
        merged = best[0] + best[1]
        merges.append(best)
        new_words = {}
        for symbols, c in words.items():
            if best[0] in symbols and len(symbols) > 1 and any(p == best for p in zip(symbols, symbols[1:])):
                for pair in zip(symbols, symbols[1:]):
                    pair_counts[pair] -= c
                    if pair_counts[pair] == 0:
                        del pair_counts[pair]
                symbols = merge_word(symbols, best, merged)
                for pair in zip(symbols, symbols[1:]):
                    pair_counts[pair] += c
            new_words[symbols] = c
        words = new_words
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = merges
        self.ranks = {pair: i for i, pair in enumerate(merges)}
        self.vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS)}
        for b in range(256):
            self.vocab[BYTE_CHAR[b]] = len(self.vocab)
        for a, b in merges:
            self.vocab[a + b] = len(self.vocab)
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.byte_of_char = {c: b for b, c in BYTE_CHAR.items()}
        self.cache = {}

    def special(self, token):
        return self.vocab[token]

    def encode_word(self, word):
        ids = self.cache.get(word)
        if ids is not None:
            return ids
        symbols = tuple(word)
        while len(symbols) > 1:
            ranked = [(self.ranks.get(p, 1 << 30), p) for p in zip(symbols, symbols[1:])]
            rank, pair = min(ranked)
            if rank == 1 << 30:
                break
            symbols = merge_word(symbols, pair, pair[0] + pair[1])
        ids = [self.vocab[s] for s in symbols]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        """Ids of plain text (no special tokens inside)."""
        out = []
        for word in pre_tokenize(text):
            out.extend(self.encode_word(word))
        return out

    def decode(self, ids):
        data = bytearray()
        for i in ids:
            tok = self.id_to_token[i]
            if tok in SPECIAL_TOKENS:
                data.extend(tok.encode("utf-8"))
            else:
                data.extend(self.byte_of_char[c] for c in tok)
        return data.decode("utf-8", errors="replace")

    def encode_chat(self, messages):
        """Ids of the ChatML text the chat template renders, plus a mask that is 1 on the tokens
        an assistant turn produces (its content and its closing <|im_end|>). Like `tokenizers`,
        the text between two special tokens ("user\nHello") is encoded as one piece."""
        start, end = self.special("<|im_start|>"), self.special("<|im_end|>")
        newline = self.encode("\n")
        ids, mask = [], []
        for m in messages:
            head = self.encode(m["role"] + "\n")
            inner = self.encode(m["role"] + "\n" + m["content"])
            assert inner[: len(head)] == head, m["role"]
            learn = 1 if m["role"] == "assistant" else 0
            ids += [start] + inner + [end] + newline
            mask += [0] * (1 + len(head)) + [learn] * (len(inner) - len(head) + 1) + [0] * len(newline)
        return ids, mask

    def tokenizer_json(self):
        added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for i, t in enumerate(SPECIAL_TOKENS)]
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Digits", "individual_digits": True}, byte_level]},
            "post_processor": {**byte_level, "trim_offsets": False},
            "decoder": byte_level,
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": self.vocab, "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }
