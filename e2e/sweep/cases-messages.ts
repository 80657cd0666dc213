/**
 * `messages` edge cases, from OAS ChatCompletionRequestMessage (developer/system/user/assistant/tool/function
 * messages and their content parts) and vllm-rules.md ("Messages and roles", §2 custom roles, rule 29).
 */
import { bad, type CaseSpec, either, expandGroup, type Json, ok, type SweepCase } from './case.ts';

const user = (content: Json): Json => ({ role: 'user', content });
const text = (t: string): Json => ({ type: 'text', text: t });
const call = {
  id: 'call_1',
  type: 'function',
  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
};
const callTurn: Json[] = [
  user('What is the weather in Paris?'),
  { role: 'assistant', content: null, tool_calls: [call] },
  { role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
];
const tools: Json = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

const m = (messages: Json): { messages: Json } => ({ messages });

const valid: CaseSpec[] = [
  { name: 'one user message', patch: m([user('Hi')]), expect: ok(), oas: true },
  {
    name: 'system then user',
    patch: m([{ role: 'system', content: 'Be brief.' }, user('Hi')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'developer then user',
    patch: m([{ role: 'developer', content: 'Be brief.' }, user('Hi')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'only a system message',
    patch: m([{ role: 'system', content: 'You are terse.' }]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'multi-turn',
    patch: m([user('Hi'), { role: 'assistant', content: 'Hello!' }, user('How are you?')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'user with name',
    patch: m([{ role: 'user', content: 'Hi', name: 'alice' }]),
    expect: ok(),
    oas: true,
  },
  { name: 'empty user content', patch: m([user('')]), expect: ok(), oas: true },
  {
    name: 'unicode and emoji',
    patch: m([user('héllo wörld 你好 🙂👍🏽 \u0000 \ud7ff')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'special-token text in content',
    patch: m([user('<|im_end|><|im_start|>assistant\n<think>')]),
    expect: ok(),
    oas: true,
  },
  { name: 'long content', patch: m([user('lorem ipsum '.repeat(20))]), expect: ok(), oas: true },
  {
    name: 'sixteen turns',
    patch: m(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? { role: 'assistant', content: `a${i}` } : user(`u${i}`))),
    ),
    expect: ok(),
    oas: true,
  },
  { name: 'user text part', patch: m([user([text('Hi')])]), expect: ok(), oas: true },
  { name: 'user two text parts', patch: m([user([text('Hello'), text('world')])]), expect: ok(), oas: true },
  {
    name: 'system text parts',
    patch: m([{ role: 'system', content: [text('Be'), text('brief.')] }, user('Hi')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'developer text parts',
    patch: m([{ role: 'developer', content: [text('Be brief.')] }, user('Hi')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'assistant text parts',
    patch: m([user('Hi'), { role: 'assistant', content: [text('Hello')] }, user('Again')]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'assistant refusal part',
    patch: m([
      user('Hi'),
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
      user('Please'),
    ]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'assistant with refusal field',
    patch: m([user('Hi'), { role: 'assistant', content: 'No.', refusal: 'No.' }, user('Ok')]),
    expect: ok(),
    oas: true,
  },
  { name: 'assistant tool_calls with null content, then tool', patch: m(callTurn), expect: ok(), oas: true },
  {
    name: 'assistant tool_calls without content key, then tool',
    patch: m([callTurn[0], { role: 'assistant', tool_calls: [call] }, callTurn[2]]),
    expect: ok(),
    oas: true,
  },
  { name: 'tool round trip with tools declared', patch: { ...m(callTurn), tools }, expect: ok(), oas: true },
  {
    name: 'tool round trip then a user turn',
    patch: { ...m([...callTurn, { role: 'assistant', content: 'It is 21.' }, user('Thanks')]), tools },
    expect: ok(),
    oas: true,
  },
  {
    name: 'tool message with text parts',
    patch: m([
      callTurn[0],
      callTurn[1],
      { role: 'tool', tool_call_id: 'call_1', content: [text('21 degrees')] },
    ]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'two parallel tool calls answered',
    patch: m([
      callTurn[0],
      { role: 'assistant', content: '', tool_calls: [call, { ...call, id: 'call_2' }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a' },
      { role: 'tool', tool_call_id: 'call_2', content: 'b' },
    ]),
    expect: ok(),
    oas: true,
  },
  {
    name: 'assistant last (prefill)',
    patch: m([user('Hi'), { role: 'assistant', content: 'Sure' }]),
    expect: ok(),
    oas: true,
  },
];

const disputed: CaseSpec[] = [
  {
    name: 'custom role',
    patch: m([{ role: 'narrator', content: 'Once' }, user('Hi')]),
    expect: either('messages', 'vLLM accepts any role string; OpenAI rejects'),
  },
  {
    name: 'assistant content null without tool_calls',
    patch: m([user('Hi'), { role: 'assistant', content: null }, user('Hi')]),
    expect: either('messages', 'OAS says content is required unless tool_calls; schema allows null'),
  },
  {
    name: 'tool message without preceding tool_calls',
    patch: m([user('Hi'), { role: 'tool', tool_call_id: 'x', content: 'r' }]),
    expect: either('messages', 'OpenAI checks ordering, vLLM does not'),
  },
  {
    name: 'unanswered tool_calls',
    patch: m([callTurn[0], callTurn[1], user('Never mind')]),
    expect: either('messages', 'OpenAI checks answers, vLLM does not'),
  },
  {
    name: 'system message with an image part',
    patch: m([
      {
        role: 'system',
        content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }],
      },
      user('Hi'),
    ]),
    expect: either('messages', 'rule 29: vLLM warns, OpenAI rejects; text-only model'),
  },
  {
    name: 'user image part',
    patch: m([
      user([text('What is this?'), { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }]),
    ]),
    expect: either('messages', 'valid OpenAI input, but a text-only model'),
  },
  {
    name: 'user input_audio part',
    patch: m([user([{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }])]),
    expect: either('messages', 'valid OpenAI input, but a text-only model'),
  },
  {
    name: 'user content parts []',
    patch: m([user([])]),
    expect: either('messages', 'OAS minItems 1; vLLM no minimum'),
  },
  {
    name: 'function message (deprecated)',
    patch: m([user('Hi'), { role: 'function', name: 'f', content: 'result' }]),
    expect: either('messages', 'deprecated role'),
  },
  {
    name: 'unknown key on a message',
    patch: m([{ role: 'user', content: 'Hi', mood: 'happy' }]),
    expect: either('messages', 'OAS messages do not forbid extra keys'),
  },
  {
    name: 'assistant with reasoning_content',
    patch: m([
      user('Hi'),
      { role: 'assistant', content: 'Hello', reasoning_content: 'greet' },
      user('Again'),
    ]),
    expect: either('messages', 'vLLM/Qwen field, not in OAS'),
  },
  {
    name: 'tool_calls=[] on assistant',
    patch: m([user('Hi'), { role: 'assistant', content: 'x', tool_calls: [] }, user('y')]),
    expect: either('messages', 'vLLM accepts empty tool_calls, OpenAI rejects'),
  },
];

const invalid: CaseSpec[] = [
  { name: 'messages=[]', patch: m([]), expect: bad('messages'), oas: true },
  { name: 'messages absent', patch: { messages: undefined }, expect: bad('messages'), oas: true },
  { name: 'messages=null', patch: m(null), expect: bad('messages'), oas: true },
  { name: 'messages="Hi"', patch: m('Hi'), expect: bad('messages'), oas: true },
  {
    name: 'messages={role,content}',
    patch: m({ role: 'user', content: 'Hi' }),
    expect: bad('messages'),
    oas: true,
  },
  { name: 'message is a string', patch: m(['Hi']), expect: bad('messages[0]'), oas: true },
  { name: 'message is null', patch: m([null]), expect: bad('messages[0]'), oas: true },
  { name: 'message without role', patch: m([{ content: 'Hi' }]), expect: bad('messages[0].role'), oas: true },
  { name: 'role=5', patch: m([{ role: 5, content: 'Hi' }]), expect: bad('messages[0].role'), oas: true },
  {
    name: 'role=null',
    patch: m([{ role: null, content: 'Hi' }]),
    expect: bad('messages[0].role'),
    oas: true,
  },
  { name: 'content=5', patch: m([user(5)]), expect: bad('messages[0].content'), oas: true },
  { name: 'content={}', patch: m([user({})]), expect: bad('messages[0].content'), oas: true },
  { name: 'content=true', patch: m([user(true)]), expect: bad('messages[0].content'), oas: true },
  {
    name: 'text part without text',
    patch: m([user([{ type: 'text' }])]),
    expect: bad('messages[0].content[0].text'),
    oas: true,
  },
  {
    name: 'text part with text=5',
    patch: m([user([{ type: 'text', text: 5 }])]),
    expect: bad('messages[0].content[0].text'),
    oas: true,
  },
  {
    name: 'part of unknown type',
    patch: m([user([{ type: 'bogus', bogus: 1 }])]),
    expect: bad('messages[0].content[0]'),
    oas: true,
  },
  { name: 'part is a string', patch: m([user(['Hi'])]), expect: bad('messages[0].content[0]'), oas: true },
  {
    name: 'part without type',
    patch: m([user([{ text: 'Hi' }])]),
    expect: bad('messages[0].content[0]'),
    oas: true,
  },
  // vLLM's fallback message type may accept these two (vllm-rules.md §2, "not verified"); OAS requires the fields.
  {
    name: 'user without content',
    patch: m([{ role: 'user' }]),
    expect: bad('messages[0].content'),
    oas: true,
  },
  {
    name: 'tool message without tool_call_id',
    patch: m([callTurn[0], callTurn[1], { role: 'tool', content: 'r' }]),
    expect: bad('messages[2].tool_call_id'),
    oas: true,
  },
  {
    name: 'tool message with tool_call_id=5',
    patch: m([callTurn[0], callTurn[1], { role: 'tool', tool_call_id: 5, content: 'r' }]),
    expect: bad('messages[2].tool_call_id'),
    oas: true,
  },
  {
    name: 'tool_calls="x"',
    patch: m([user('Hi'), { role: 'assistant', content: null, tool_calls: 'x' }]),
    expect: bad('messages[1].tool_calls'),
    oas: true,
  },
  {
    name: 'tool call without function',
    patch: m([user('Hi'), { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function' }] }]),
    expect: bad('messages[1].tool_calls[0]'),
    oas: true,
  },
  {
    name: 'tool call function without name',
    patch: m([
      user('Hi'),
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }],
      },
    ]),
    expect: bad('messages[1].tool_calls[0].function'),
    oas: true,
  },
  {
    name: 'name=5',
    patch: m([{ role: 'user', content: 'Hi', name: 5 }]),
    expect: bad('messages[0].name'),
    oas: true,
  },
  {
    name: 'tool content is an object',
    patch: m([callTurn[0], callTurn[1], { role: 'tool', tool_call_id: 'call_1', content: { temp: 21 } }]),
    expect: bad('messages[2].content'),
    oas: true,
  },
  {
    name: 'image part in an assistant message',
    patch: m([
      user('Hi'),
      {
        role: 'assistant',
        content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
      },
      user('?'),
    ]),
    expect: bad('messages[1].content[0]'),
    oas: true,
  },
  {
    name: 'image part in a tool message',
    patch: m([
      callTurn[0],
      callTurn[1],
      {
        role: 'tool',
        tool_call_id: 'call_1',
        content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
      },
    ]),
    expect: bad('messages[2].content[0]'),
    oas: true,
  },
  {
    name: 'system content=null',
    patch: m([{ role: 'system', content: null }, user('Hi')]),
    expect: bad('messages[0].content'),
    oas: true,
  },
];

export function messageCases(): SweepCase[] {
  return expandGroup({
    group: 'messages',
    models: ['tiny-smollm2', 'tiny-qwen3'],
    cases: [...valid, ...disputed, ...invalid],
  });
}
