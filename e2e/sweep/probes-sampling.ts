/** Probes of the sampling controls: determinism, greedy equivalences, biases, token allow/stop lists. */
import { baseBody, type JsonObject } from './case.ts';
import {
  check,
  firstGreedyToken,
  greedy,
  ids,
  ORDINARY,
  ORDINARY_SET,
  type Probe,
  show,
  text,
} from './probe-kit.ts';

export const SAMPLING_PROBES: readonly Probe[] = [
  {
    name: 'temperature 0 is deterministic',
    async run(client, model) {
      const body = greedy(model, { max_tokens: 6, ignore_eos: true });
      const [a, b] = [await client.complete(body), await client.complete(body)];
      return check(text(a) === text(b), `two greedy runs differ: ${show(text(a))} vs ${show(text(b))}`);
    },
  },
  {
    name: 'the same seed gives the same sample',
    async run(client, model) {
      const body = { ...baseBody(model), temperature: 1, seed: 7, max_tokens: 6, ignore_eos: true };
      const [a, b] = [await client.complete(body), await client.complete(body)];
      return check(text(a) === text(b), `seed 7 twice differs: ${show(text(a))} vs ${show(text(b))}`);
    },
  },
  {
    name: 'different seeds, and the n choices of one request, are not all the same sample',
    async run(client, model) {
      const body = { ...baseBody(model), temperature: 1, max_tokens: 6, ignore_eos: true };
      const bySeed = new Set<string>();
      for (const seed of [1, 2, 3, 4]) bySeed.add(text(await client.complete({ ...body, seed })));
      const choices = await client.complete({ ...body, seed: 9, n: 4 });
      const byChoice = new Set(choices.choices.map((c) => c.message.content));
      return [
        ...check(bySeed.size > 1, `seeds 1-4 all gave ${show([...bySeed][0])}`),
        ...check(byChoice.size > 1, `n=4 gave 4 copies of ${show([...byChoice][0])}`),
      ];
    },
  },
  {
    name: 'top_k=1, top_p=1e-6 and min_p=1 each sample the greedy text',
    async run(client, model) {
      const want = text(await client.complete(greedy(model, { max_tokens: 6, ignore_eos: true })));
      const problems: string[] = [];
      for (const narrow of [{ top_k: 1 }, { top_p: 1e-6 }, { min_p: 1 }] as JsonObject[]) {
        const body = {
          ...baseBody(model),
          temperature: 1,
          seed: 3,
          max_tokens: 6,
          ignore_eos: true,
          ...narrow,
        };
        const got = text(await client.complete(body));
        if (got !== want) problems.push(`${show(narrow)}: ${show(got)}, greedy ${show(want)}`);
      }
      return problems;
    },
  },
  {
    name: 'logit_bias +100 selects the token exclusively',
    async run(client, model) {
      const body = {
        ...baseBody(model),
        logit_bias: { [ORDINARY]: 100 },
        max_tokens: 4,
        ignore_eos: true,
        return_token_ids: true,
      };
      const got = ids(await client.complete(body));
      return check(
        got.length === 4 && got.every((id) => id === ORDINARY),
        `token_ids ${show(got)}, want ${ORDINARY} x4`,
      );
    },
  },
  {
    name: 'logit_bias -100 bans the greedy token',
    async run(client, model) {
      const first = await firstGreedyToken(client, model);
      const banned = await client.complete(
        greedy(model, { max_tokens: 1, return_token_ids: true, logit_bias: { [first]: -100 } }),
      );
      return check(ids(banned)[0] !== first, `token ${first} still chosen with bias -100`);
    },
  },
  {
    name: 'allowed_token_ids restricts sampling to those ids',
    async run(client, model) {
      const body = {
        ...baseBody(model),
        temperature: 1,
        seed: 1,
        allowed_token_ids: ORDINARY_SET,
        max_tokens: 5,
        ignore_eos: true,
        return_token_ids: true,
      };
      const got = ids(await client.complete(body));
      return check(
        got.length > 0 && got.every((id) => ORDINARY_SET.includes(id)),
        `token_ids ${show(got)} outside ${ORDINARY_SET}`,
      );
    },
  },
  {
    name: 'stop_token_ids ends generation, and min_tokens holds it off',
    async run(client, model) {
      const first = await firstGreedyToken(client, model);
      const stopped = await client.complete(greedy(model, { max_tokens: 5, stop_token_ids: [first] }));
      const held = await client.complete(
        greedy(model, { max_tokens: 5, stop_token_ids: [first], min_tokens: 3 }),
      );
      const s = stopped.choices[0];
      return [
        ...check(
          s.finish_reason === 'stop' && stopped.usage.completion_tokens === 1,
          `stop_token_ids [${first}]: finish ${s.finish_reason} after ${stopped.usage.completion_tokens} tokens`,
        ),
        ...check(
          held.usage.completion_tokens >= 3,
          `min_tokens 3: stopped after ${held.usage.completion_tokens} tokens`,
        ),
      ];
    },
  },
  {
    name: 'max_completion_tokens wins over max_tokens',
    async run(client, model) {
      const c = await client.complete({
        ...baseBody(model),
        max_tokens: 8,
        max_completion_tokens: 2,
        ignore_eos: true,
      });
      return check(
        c.usage.completion_tokens === 2 && c.choices[0].finish_reason === 'length',
        `${c.usage.completion_tokens} tokens, finish ${c.choices[0].finish_reason}`,
      );
    },
  },
  {
    name: 'usage and return_token_ids agree (n=3)',
    async run(client, model) {
      const c = await client.complete({
        ...baseBody(model),
        n: 3,
        seed: 5,
        max_tokens: 4,
        return_token_ids: true,
      });
      const generated = c.choices.reduce((sum, choice) => sum + (choice.token_ids?.length ?? 0), 0);
      const prompt = c.prompt_token_ids?.length;
      return [
        ...check(
          generated === c.usage.completion_tokens,
          `token_ids total ${generated}, completion_tokens ${c.usage.completion_tokens}`,
        ),
        ...check(
          prompt === c.usage.prompt_tokens,
          `prompt_token_ids ${prompt}, prompt_tokens ${c.usage.prompt_tokens}`,
        ),
      ];
    },
  },
];
