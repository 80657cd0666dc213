import { describe, expect, it } from 'vitest';
import { reasoningSetup, reasoningTemplateKwargs } from './reasoning-setup.ts';

const qwen3 =
  "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %} {{ content.split('</think>') }}";

describe('reasoning setup', () => {
  it('is off for models whose template never mentions </think>', () => {
    expect(reasoningSetup('{{ messages }}', '<|im_start|>assistant\n')).toBeNull();
  });

  it('sees whether the prompt opened, closed or left the block to the model', () => {
    expect(reasoningSetup(qwen3, '<|im_start|>assistant\n')).toEqual({
      startsInReasoning: false,
      mayOpen: true,
    });
    expect(reasoningSetup(qwen3, '<|im_start|>assistant\n<think>\n\n</think>\n\n')).toEqual({
      startsInReasoning: false,
      mayOpen: false,
    });
    expect(reasoningSetup(qwen3, '<｜Assistant｜><think>\n')).toEqual({
      startsInReasoning: true,
      mayOpen: false,
    });
    expect(reasoningSetup(qwen3, 'old <think>a</think> turn <|im_start|>assistant\n')).toEqual({
      startsInReasoning: false,
      mayOpen: true,
    });
  });

  it('maps reasoning_effort onto the switches a template reads', () => {
    expect(reasoningTemplateKwargs('none', qwen3)).toEqual({ enable_thinking: false });
    expect(reasoningTemplateKwargs('minimal', qwen3)).toEqual({ enable_thinking: false });
    expect(reasoningTemplateKwargs('high', qwen3)).toEqual({ enable_thinking: true });
    expect(reasoningTemplateKwargs(null, qwen3)).toEqual({});
    expect(reasoningTemplateKwargs('low', '{% if thinking %}<think>{% endif %}')).toEqual({ thinking: true });
    expect(reasoningTemplateKwargs('max', 'Reasoning: {{ reasoning_effort }}')).toEqual({
      reasoning_effort: 'high',
    });
    expect(reasoningTemplateKwargs('none', 'Reasoning: {{ reasoning_effort }}')).toEqual({
      reasoning_effort: 'low',
    });
    expect(reasoningTemplateKwargs('medium', '{{ messages }}')).toEqual({});
  });
});
