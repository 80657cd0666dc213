/**
 * Cases that fail today because of a bug or a gap in our server, by case id, with what goes wrong.
 * Each runs as `it.fails`, so the sweep turns red when one starts passing: then delete its entry.
 *
 * All current entries are valid requests (the field is in openai-schemas.json or seed 004 / vllm-rules.md)
 * that the engine refuses on purpose with `400 unsupported_parameter`, but that are NOT on the list of
 * refusals agreed for now (tools forcing, response_format json, structured_outputs, beam search,
 * prompt_logprobs, audio/modalities). Either implement/ignore them, or agree to add them to that list.
 */
const REFUSED = 'valid request refused with 400 unsupported_parameter (not on the agreed list)';

function jsonAndStream(id: string, why: string): [string, string][] {
  return [
    [id, why],
    [`${id} (stream)`, why],
  ];
}

export const KNOWN_FAILURES: Readonly<Record<string, string>> = Object.fromEntries([]);
