/** Text side of the engine: tokenizer, chat template, streaming detokenizer, stop strings. */
export {
  type ChatContentPart,
  type ChatMessageInput,
  type ContentFormat,
  detectContentFormat,
  type TemplateMessage,
} from './chat-messages.ts';
export {
  applyChatTemplate,
  type ChatTemplateInput,
  type ChatTemplateSource,
  type NamedChatTemplate,
  renderChatTemplate,
  resolveChatTemplate,
  TemplateError,
} from './chat-template.ts';
export { type DetokenizerOptions, IncrementalDetokenizer } from './detokenizer.ts';
export { specialTokensMap, tokenContent } from './special-tokens.ts';
export {
  type StopFeedResult,
  type StopMatch,
  type StopMatcherOptions,
  StopStringMatcher,
} from './stop-strings.ts';
export { strftime } from './strftime.ts';
export {
  type DecodeOptions,
  type EncodeOptions,
  loadTokenizer,
  type TextTokenizer,
  type TokenizerConfig,
  type TokenizerJson,
} from './tokenizer.ts';
