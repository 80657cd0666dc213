/**
 * WebLLM failures -> ApiError. WebLLM throws its own Error classes (lib/index.js, each sets `name`);
 * through `WebWorkerMLCEngine` they arrive as strings (`err.toString()`: "Name: message"), and
 * some internal failures are plain `Error("InternalError: …")`. The class name decides the status:
 * request problems WebLLM finds itself are 400s (our mapping should have refused them first),
 * a missing model is a 404, a lost or missing GPU a 503, anything else a 500.
 */
import { ApiError, isAbortError } from '@cinder/protocol';

interface Mapping {
  readonly status: number;
  readonly code: string;
  readonly param?: string;
}

const BAD_REQUEST: Mapping = { status: 400, code: 'invalid_value' };

const BY_NAME: Record<string, Mapping> = {
  // Request validation (postInitAndCheckFields / postInitAndCheckGenerationConfigValues).
  ConfigValueError: BAD_REQUEST,
  MinValueError: BAD_REQUEST,
  RangeError: BAD_REQUEST,
  NonNegativeError: BAD_REQUEST,
  InvalidNumberStringError: { status: 400, code: 'invalid_value', param: 'logit_bias' },
  DependencyError: BAD_REQUEST,
  SeedTypeError: { status: 400, code: 'invalid_value', param: 'seed' },
  StreamingCountError: { status: 400, code: 'invalid_value', param: 'n' },
  InvalidStreamOptionsError: { status: 400, code: 'invalid_value', param: 'stream_options' },
  UnsupportedFieldsError: { status: 400, code: 'unsupported_parameter' },
  MessageOrderError: { status: 400, code: 'invalid_value', param: 'messages' },
  SystemMessageOrderError: { status: 400, code: 'invalid_value', param: 'messages' },
  ContentTypeError: { status: 400, code: 'invalid_value', param: 'messages' },
  UnsupportedRoleError: { status: 400, code: 'invalid_value', param: 'messages' },
  UserMessageContentErrorForNonVLM: { status: 400, code: 'unsupported_content_type', param: 'messages' },
  UnsupportedContentPartError: { status: 400, code: 'unsupported_content_type', param: 'messages' },
  UnsupportedDetailError: { status: 400, code: 'unsupported_content_type', param: 'messages' },
  UnsupportedImageURLError: { status: 400, code: 'invalid_value', param: 'messages' },
  MultipleTextContentError: { status: 400, code: 'unsupported_content_type', param: 'messages' },
  CannotFindImageEmbedError: { status: 400, code: 'unsupported_content_type', param: 'messages' },
  AudioInputError: { status: 400, code: 'invalid_value', param: 'messages' },
  InvalidResponseFormatError: { status: 400, code: 'invalid_value', param: 'response_format' },
  InvalidResponseFormatGrammarError: { status: 400, code: 'invalid_value', param: 'response_format' },
  InvalidResponseFormatStructuralTagError: { status: 400, code: 'invalid_value', param: 'response_format' },
  GrammarMatcherInitError: { status: 400, code: 'invalid_value', param: 'response_format' },
  CustomResponseFormatError: { status: 400, code: 'invalid_value', param: 'response_format' },
  CustomSystemPromptError: { status: 400, code: 'invalid_value', param: 'messages' },
  UnsupportedModelIdError: { status: 400, code: 'unsupported_parameter', param: 'tools' },
  ContextWindowSizeExceededError: { status: 400, code: 'context_length_exceeded', param: 'messages' },
  // Which model.
  ModelNotFoundError: { status: 404, code: 'model_not_found', param: 'model' },
  SpecifiedModelNotFoundError: { status: 404, code: 'model_not_found', param: 'model' },
  UnclearModelToUseError: { status: 400, code: 'invalid_value', param: 'model' },
  ModelNotLoadedError: { status: 503, code: 'model_not_loaded' },
  WorkerEngineModelNotLoadedError: { status: 503, code: 'model_not_loaded' },
  // Device and loading.
  WebGPUNotAvailableError: { status: 503, code: 'webgpu_unavailable' },
  WebGPUNotFoundError: { status: 503, code: 'webgpu_unavailable' },
  ShaderF16SupportError: { status: 503, code: 'shader_f16_unavailable' },
  FeatureSupportError: { status: 503, code: 'gpu_feature_unavailable' },
  DeviceLostError: { status: 503, code: 'device_lost' },
  MissingModelError: { status: 500, code: 'model_library_missing' },
  IntegrityError: { status: 502, code: 'integrity_check_failed' },
  QuotaExceededError: { status: 507, code: 'storage_quota_exceeded' },
  // Model output WebLLM could not parse into tool calls.
  ToolCallOutputParseError: { status: 500, code: 'tool_call_parse_error' },
  ToolCallOutputInvalidTypeError: { status: 500, code: 'tool_call_parse_error' },
  JSONFieldError: { status: 500, code: 'tool_call_parse_error' },
};

/** The WebLLM class name and message of anything thrown (Error, "Name: message" string, or other). */
export function describeFailure(cause: unknown): { name: string; message: string } {
  if (cause instanceof Error || (typeof cause === 'object' && cause !== null && 'message' in cause)) {
    const { name, message } = cause as { name?: unknown; message?: unknown };
    return { name: typeof name === 'string' ? name : 'Error', message: String(message) };
  }
  const text = String(cause);
  const match = /^([A-Za-z]+Error|[A-Za-z]+Exception): ([\s\S]*)$/.exec(text);
  return match ? { name: match[1], message: match[2] } : { name: 'Error', message: text };
}

/** Any failure of a WebLLM call as an ApiError (aborts stay AbortErrors for the caller to rethrow). */
export function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  if (isAbortError(cause)) return ApiError.from(cause);
  const { name, message } = describeFailure(cause);
  const mapping = BY_NAME[name];
  if (!mapping) {
    return new ApiError(500, `WebLLM failed: ${name}: ${message}`, {
      type: 'server_error',
      code: 'webllm_error',
    });
  }
  const prefix = mapping.status === 400 ? 'Invalid request for the WebLLM runtime' : 'WebLLM';
  return new ApiError(mapping.status, `${prefix}: ${message}`, {
    param: mapping.param ?? null,
    code: mapping.code,
  });
}
