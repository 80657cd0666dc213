export { createHandler, type Handler, type HandlerOptions } from './handler.ts';
export { SSE_HEADERS, type SseOptions, sseResponse } from './sse-response.ts';
