/**
 * One or more tagged calls, as a structural-tag format: exactly one of the tags, or (parallel)
 * one or more joined by a separator. (xgrammar 0.1.27 never finishes compiling a
 * tags_with_separator that has both `at_least_one` and `stop_after_first`, so "exactly one" is an
 * `or` instead.) A tags_with_separator ends only where the output or an enclosing tag ends.
 */
import type { TagFormat } from '../structured/constraint.ts';

export type CallTag = Extract<TagFormat, { type: 'tag' }>;

export function callTags(tags: readonly CallTag[], separator: string, parallel: boolean): TagFormat {
  if (parallel) {
    return {
      type: 'tags_with_separator',
      tags: [...tags],
      separator,
      at_least_one: true,
      stop_after_first: false,
    };
  }
  return tags.length === 1 ? tags[0] : { type: 'or', elements: [...tags] };
}
