/**
 * Probes of what comes back: logprobs, stop strings, echo, and that a stream says exactly what the JSON
 * answer says (text, reasoning, tool calls, finish_reason, logprobs, usage) for the same seeded request.
 */
import { baseBody, type Json, type JsonObject, type ModelName } from './case.ts';
import { type ChatClient, outcomeOf } from './chat-client.ts';
import { check, greedy, type Probe, sameBytes, show, text } from './probe-kit.ts';

const ASSISTANT_LAST = [
  { role: 'user', content: 'Write a word.' },
  { role: 'assistant', content: 'The word is' },
];

/** Qwen3 <think>, </think>, <tool_call>, </tool_call> and a few JSON-ish tokens (see cases-forced.ts). */
const TAG_SOUP = [151667, 151668, 151657, 151658, 4913, 788, 9207, 606, 16370, 9707, 198];
const TOOLS: Json = [
  { type: 'function', function: { name: 'name', parameters: { type: 'object', properties: {} } } },
];

async function streamMatchesJson(client: ChatClient, body: JsonObject, label: string): Promise<string[]> {
  const json = await client.complete(body);
  const streamed = await client.stream({ ...body, stream_options: { include_usage: true } });
  const problems: string[] = [];
  json.choices.forEach((choice, i) => {
    const want = show(outcomeOf(choice));
    const got = show(streamed.choices[i]);
    if (want !== got) problems.push(`${label} choice ${i}: stream ${got} vs JSON ${want}`);
  });
  if (streamed.choices.length !== json.choices.length)
    problems.push(`${label}: ${streamed.choices.length} streamed choices`);
  if (show(streamed.usage) !== show(json.usage))
    problems.push(`${label}: usage ${show(streamed.usage)} vs ${show(json.usage)}`);
  return problems;
}

export const OUTPUT_PROBES: readonly Probe[] = [
  {
    name: 'stream and JSON agree: greedy with logprobs',
    run: (client, model) =>
      streamMatchesJson(client, greedy(model, { max_tokens: 6, logprobs: true, top_logprobs: 2 }), 'greedy'),
  },
  {
    name: 'stream and JSON agree: seeded n=2',
    run: (client, model) =>
      streamMatchesJson(client, { ...baseBody(model), n: 2, seed: 11, temperature: 1, max_tokens: 6 }, 'n=2'),
  },
  {
    name: 'stream and JSON agree: think/tool-call tag soup',
    models: ['tiny-qwen3'],
    async run(client, model: ModelName) {
      const problems: string[] = [];
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const body = { ...baseBody(model), tools: TOOLS, allowed_token_ids: TAG_SOUP, seed, max_tokens: 8 };
        problems.push(...(await streamMatchesJson(client, body, `seed ${seed}`)));
      }
      return problems;
    },
  },
  {
    name: 'logprobs: one entry per token, top_logprobs sorted, greedy token on top, bytes match',
    async run(client, model) {
      const c = await client.complete(greedy(model, { max_tokens: 5, logprobs: true, top_logprobs: 3 }));
      const content = c.choices[0].logprobs?.content ?? [];
      const problems = check(
        content.length === c.usage.completion_tokens,
        `${content.length} logprob entries for ${c.usage.completion_tokens} tokens`,
      );
      for (const [i, entry] of content.entries()) {
        const tops = entry.top_logprobs;
        if (tops.length !== 3) problems.push(`token ${i}: ${tops.length} top_logprobs for top_logprobs=3`);
        if (tops.some((t, j) => j > 0 && t.logprob > tops[j - 1].logprob))
          problems.push(`token ${i}: top_logprobs not sorted`);
        if (entry.logprob > 0) problems.push(`token ${i}: logprob ${entry.logprob} > 0`);
        if (tops[0] && entry.logprob < tops[0].logprob - 1e-5)
          problems.push(`token ${i}: greedy pick is not the top logprob`);
        if (!entry.token.includes('\ufffd') && entry.bytes && !sameBytes(entry.bytes, entry.token)) {
          problems.push(`token ${i}: bytes do not encode ${show(entry.token)}`);
        }
      }
      const joined = content.map((e) => e.token).join('');
      if (!joined.includes('\ufffd') && c.choices[0].finish_reason === 'length') {
        problems.push(
          ...check(joined === text(c), `tokens join to ${show(joined)}, content is ${show(text(c))}`),
        );
      }
      return problems;
    },
  },
  {
    name: 'a stop string cuts the text before it (or after it with include_stop_str_in_output), streamed too',
    async run(client, model) {
      const full = text(await client.complete(greedy(model, { max_tokens: 8, ignore_eos: true })));
      if (full.length < 4 || full.includes('\ufffd')) return [];
      const stop = full.slice(2, 4);
      const at = full.indexOf(stop);
      const body = greedy(model, { max_tokens: 8, ignore_eos: true, stop });
      const cut = await client.complete(body);
      const streamed = await client.stream(body);
      const kept = await client.complete({ ...body, stop: [stop], include_stop_str_in_output: true });
      const want = full.slice(0, at);
      return [
        ...check(
          text(cut) === want && cut.choices[0].finish_reason === 'stop',
          `stop ${show(stop)} in ${show(full)}: got ${show(text(cut))} (${cut.choices[0].finish_reason})`,
        ),
        ...check(
          streamed.choices[0]?.content === want,
          `streamed with stop ${show(stop)}: ${show(streamed.choices[0]?.content)}`,
        ),
        ...check(
          text(kept) === full.slice(0, at + stop.length),
          `include_stop_str_in_output: got ${show(text(kept))}, want ${show(full.slice(0, at + stop.length))}`,
        ),
      ];
    },
  },
  {
    name: 'stop strings are literal text, not patterns',
    async run(client, model) {
      const body = greedy(model, { max_tokens: 8, ignore_eos: true });
      const full = text(await client.complete(body));
      const problems: string[] = [];
      for (const stop of ['.*', '(', '\\', '[a-z]', '^']) {
        if (full.includes(stop)) continue;
        const c = await client.complete({ ...body, stop });
        if (text(c) !== full || c.choices[0].finish_reason !== 'length') {
          problems.push(
            `stop ${show(stop)}: ${show(text(c))} (${c.choices[0].finish_reason}), want ${show(full)} (length)`,
          );
        }
      }
      return problems;
    },
  },
  {
    name: 'echo prepends the continued assistant message, streamed too',
    async run(client, model) {
      const body = {
        ...baseBody(model),
        messages: ASSISTANT_LAST,
        continue_final_message: true,
        add_generation_prompt: false,
        echo: true,
      };
      const c = await client.complete(body);
      const streamed = await client.stream(body);
      return [
        ...check(text(c).startsWith('The word is'), `content ${show(text(c))}`),
        ...check(
          streamed.choices[0]?.content.startsWith('The word is') === true,
          `streamed ${show(streamed.choices[0]?.content)}`,
        ),
      ];
    },
  },
];
