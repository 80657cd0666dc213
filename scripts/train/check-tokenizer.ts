/**
 * Checks a trained model directory's tokenizer files with the engine's own tokenizer and chat
 * template code (which wrap `@huggingface/tokenizers` and `@huggingface/jinja`):
 *
 *   npx tsx scripts/train/check-tokenizer.ts MODEL_DIR CASES_JSON
 *
 * CASES_JSON (written by train.py) is a list of `{ messages, ids }`: conversations and the ids the
 * Python trainer fed the model for them. Each conversation is rendered with the chat template and
 * encoded; the ids must be the same and decoding them must give the rendered text back. A
 * conversation without a system message must render with the default one, and some non-ASCII
 * text must round-trip. Prints `ok N cases` or the first difference, and exits non-zero on failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyChatTemplate, loadTokenizer } from '../../packages/engine/src/text/index.ts';

interface Case {
  readonly messages: { role: string; content: string }[];
  readonly ids: number[];
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function firstDifference(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

function main(): number {
  const [dir, casesPath] = process.argv.slice(2);
  if (!dir || !casesPath) {
    console.error('usage: npx tsx scripts/train/check-tokenizer.ts MODEL_DIR CASES_JSON');
    return 2;
  }
  const config = readJson(join(dir, 'tokenizer_config.json'));
  const tokenizer = loadTokenizer(readJson(join(dir, 'tokenizer.json')), config);
  const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as Case[];

  for (const [n, c] of cases.entries()) {
    const text = applyChatTemplate(config, { messages: c.messages, specialTokens: tokenizer.specialTokens });
    const ids = tokenizer.encode(text);
    const at = firstDifference(ids, c.ids);
    if (at >= 0) {
      console.error(
        `case ${n}: ids differ at ${at}: engine ${ids.slice(at, at + 8)} vs trainer ${c.ids.slice(at, at + 8)}`,
      );
      console.error(JSON.stringify(tokenizer.decode(ids.slice(Math.max(0, at - 8), at + 8))));
      return 1;
    }
    if (tokenizer.decode(ids) !== text) {
      console.error(`case ${n}: decode(encode(text)) !== text`);
      return 1;
    }
  }

  const withoutSystem = cases.find((c) => c.messages[0]?.role === 'system' && c.messages.length > 1);
  if (withoutSystem) {
    const rest = withoutSystem.messages.slice(1);
    const text = applyChatTemplate(config, { messages: rest, specialTokens: tokenizer.specialTokens });
    if (!text.startsWith('<|im_start|>system\n') || !text.includes('<|im_start|>user\n')) {
      console.error(`template without a system message rendered ${JSON.stringify(text.slice(0, 120))}`);
      return 1;
    }
  }

  for (const sample of ['Café, naïve, 你好, 🙂 and 123 + 45 = 168', '  two  spaces\tand\ttabs\n\nlines  ']) {
    const back = tokenizer.decode(tokenizer.encode(sample));
    if (back !== sample) {
      console.error(`round trip failed: ${JSON.stringify(sample)} -> ${JSON.stringify(back)}`);
      return 1;
    }
  }
  const eos = tokenizer.idOf('<|im_end|>');
  console.log(
    `ok ${cases.length} cases; vocab ${tokenizer.vocabSize}, <|im_end|> = ${eos}, eos ids ${tokenizer.eosTokenIds}`,
  );
  return 0;
}

process.exit(main());
