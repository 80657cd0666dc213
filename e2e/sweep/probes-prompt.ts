/** Probes of how the prompt is built and bounded: template switches, truncation, the context window. */
import { baseBody, type JsonObject } from './case.ts';
import { check, greedy, modelConfig, type Probe, show, text } from './probe-kit.ts';

export const PROMPT_PROBES: readonly Probe[] = [
  {
    name: 'truncate_prompt_tokens keeps exactly k prompt tokens',
    async run(client, model) {
      const c = await client.complete({ ...baseBody(model), truncate_prompt_tokens: 5 });
      return check(c.usage.prompt_tokens === 5, `prompt_tokens ${c.usage.prompt_tokens}`);
    },
  },
  {
    name: 'truncate_prompt_tokens lets a prompt longer than the context through',
    async run(client, model) {
      const messages = [{ role: 'user', content: 'abc '.repeat(3000) }];
      const answer = await client.post({ ...baseBody(model), messages, truncate_prompt_tokens: 16 });
      return check(answer.status === 200, `status ${answer.status}: ${answer.text.slice(0, 200)}`);
    },
  },
  {
    name: 'max_tokens may use the whole context window, one more token is refused',
    async run(client, model) {
      const { max_position_embeddings: context, eos_token_id } = modelConfig(model);
      const eos = Array.isArray(eos_token_id) ? eos_token_id[0] : eos_token_id;
      const prompt = (await client.complete(baseBody(model))).usage.prompt_tokens;
      // Only EOS is allowed, so the full-window request finishes at once.
      const fits = await client.post({
        ...baseBody(model),
        max_tokens: context - prompt,
        allowed_token_ids: [eos],
      });
      const over = await client.post({
        ...baseBody(model),
        max_tokens: context - prompt + 1,
        allowed_token_ids: [eos],
      });
      const overParam =
        over.status === 400 ? (JSON.parse(over.text) as { error: { param: string } }).error.param : '';
      return [
        ...check(
          fits.status === 200,
          `max_tokens=${context - prompt} (prompt ${prompt}, context ${context}): ${fits.status} ${fits.text.slice(0, 200)}`,
        ),
        ...check(
          over.status === 400 && overParam === 'max_tokens',
          `max_tokens=${context - prompt + 1}: ${over.status} ${over.text.slice(0, 200)}`,
        ),
      ];
    },
  },
  {
    name: 'add_generation_prompt=false and a custom chat_template change the prompt',
    async run(client, model) {
      const plain = await client.complete(baseBody(model));
      const without = await client.complete({ ...baseBody(model), add_generation_prompt: false });
      const custom = await client.complete({
        ...baseBody(model),
        chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}',
      });
      return [
        ...check(
          without.usage.prompt_tokens < plain.usage.prompt_tokens,
          `add_generation_prompt=false: ${without.usage.prompt_tokens} vs ${plain.usage.prompt_tokens} prompt tokens`,
        ),
        ...check(
          custom.usage.prompt_tokens < plain.usage.prompt_tokens,
          `chat_template: ${custom.usage.prompt_tokens} vs ${plain.usage.prompt_tokens} prompt tokens`,
        ),
      ];
    },
  },
  {
    name: 'a one-part text array is the same prompt as the plain string',
    async run(client, model) {
      const messages = baseBody(model).messages as JsonObject[];
      const parts = messages.map((m) => ({ ...m, content: [{ type: 'text', text: m.content }] }));
      const a = await client.complete(greedy(model, { max_tokens: 4 }));
      const b = await client.complete(greedy(model, { max_tokens: 4, messages: parts }));
      return check(
        a.usage.prompt_tokens === b.usage.prompt_tokens && text(a) === text(b),
        `parts: ${b.usage.prompt_tokens} tokens ${show(text(b))}, string: ${a.usage.prompt_tokens} ${show(text(a))}`,
      );
    },
  },
  {
    name: 'prefix cache: a hit changes nothing, and a fresh cache_salt misses',
    async run(client, model) {
      const body = greedy(model, { max_tokens: 6, ignore_eos: true, logprobs: true, top_logprobs: 2 });
      await client.complete(body); // warm the cache for this prompt
      const warm = await client.complete(body);
      const salt = `salt-${model}-${Date.now()}`;
      const cold = await client.complete({ ...body, cache_salt: salt });
      const cachedCold = cold.usage.prompt_tokens_details?.cached_tokens ?? 0;
      const logprobs = (c: typeof warm) => (c.choices[0].logprobs?.content ?? []).map((e) => e.logprob);
      const drift = Math.max(
        0,
        ...logprobs(warm).map((lp, i) => Math.abs(lp - (logprobs(cold)[i] ?? Number.NaN))),
      );
      return [
        ...check(text(warm) === text(cold), `cached ${show(text(warm))} vs uncached ${show(text(cold))}`),
        ...check(drift < 1e-3, `logprobs differ by ${drift} between a cache hit and a miss`),
        ...check(cachedCold === 0, `first request with a new cache_salt reports ${cachedCold} cached tokens`),
      ];
    },
  },
  {
    name: 'chat_template_kwargs reach the template (enable_thinking=false)',
    models: ['tiny-qwen3'],
    async run(client, model) {
      const plain = await client.complete(baseBody(model));
      const off = await client.complete({
        ...baseBody(model),
        chat_template_kwargs: { enable_thinking: false },
      });
      return check(
        off.usage.prompt_tokens > plain.usage.prompt_tokens,
        `enable_thinking=false: ${off.usage.prompt_tokens} vs ${plain.usage.prompt_tokens} prompt tokens`,
      );
    },
  },
];
