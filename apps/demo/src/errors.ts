/**
 * Every failure the user can meet, as a readable message with a way forward. Errors arrive from the
 * openai SDK (HTTP statuses and OpenAI error bodies from the on-device engine), from the model store
 * (downloads, quota) and from the engine's loading (memory); they are matched by their data, not by
 * class, since they cross workers.
 */

/** What the UI offers next to the message. */
export type ErrorAction = 'models' | 'settings' | 'reload' | 'retry';

export interface ErrorInfo {
  readonly title: string;
  readonly message: string;
  readonly action?: ErrorAction;
}

/** An error the app raises itself, already described. */
export class AppError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'AppError';
  }
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
}

const TOO_LARGE =
  /allocation failed|out of memory|invalid array length|array buffer|exceeds the max|maxBufferSize|maxStorageBufferBindingSize/i;

export function describeError(cause: unknown): ErrorInfo {
  if (cause instanceof AppError) return cause.info;
  const error = (typeof cause === 'object' && cause !== null ? cause : {}) as ErrorShape;
  // The openai SDK puts the status in front of the server's message ("400 This model's ...").
  const raw = typeof error.message === 'string' && error.message ? error.message : String(cause);
  const message = raw.replace(/^\d{3} /, '');
  const code = typeof error.code === 'string' ? error.code : null;
  const status = typeof error.status === 'number' ? error.status : null;

  if (TOO_LARGE.test(message) || error.name === 'RangeError') {
    return {
      title: 'This model is too large for this device',
      message: `It could not be held in memory (${message.replace(/\.$/, '')}). Pick a smaller model, or close other tabs and try again.`,
      action: 'models',
    };
  }
  if (code === 'insufficient_storage' || error.name === 'QuotaExceededError') {
    return {
      title: 'Not enough storage',
      message: `${sentence(message)} Delete models you no longer use, or free disk space, then download again.`,
      action: 'models',
    };
  }
  if (error.name === 'ModelStoreError' || code === 'download_failed' || code === 'integrity_error') {
    return describeDownload(code, message);
  }
  if (code === 'model_not_found' || status === 404) {
    return {
      title: 'This model is not on this device',
      message: `${sentence(message)} Download it (or choose another) in the model picker.`,
      action: 'models',
    };
  }
  if (code === 'engine_unavailable' || status === 503) {
    return {
      title: 'The on-device engine is not running',
      message: `${sentence(message)} Reloading the page starts it again.`,
      action: 'reload',
    };
  }
  if (/maximum context length/i.test(message)) {
    return {
      title: 'Too long for this model',
      message: `${sentence(message)} Lower "Max tokens" in the settings, or start a new chat.`,
      action: 'settings',
    };
  }
  if (status === 400 || status === 422) {
    return {
      title: 'The request was refused',
      message: `${sentence(message)} Check the settings (temperature, top_p, max tokens, extra parameters).`,
      action: 'settings',
    };
  }
  if (error.name === 'APIConnectionError' || /failed to fetch|network ?error|load failed/i.test(message)) {
    return {
      title: 'Could not reach the on-device engine',
      message: `${sentence(message)} Reload the page to restart it.`,
      action: 'reload',
    };
  }
  return { title: 'Something went wrong', message, action: 'retry' };
}

function describeDownload(code: string | null, message: string): ErrorInfo {
  if (code === 'integrity_error') {
    return {
      title: 'A downloaded file was damaged',
      message: `${sentence(message)} Delete the model and download it again.`,
      action: 'models',
    };
  }
  if (code === 'model_not_found') {
    return { title: 'The model files were not found', message, action: 'models' };
  }
  return {
    title: 'The download failed',
    message: `${sentence(message)} Check the connection and press Download again: what arrived so far is kept.`,
    action: 'models',
  };
}

/** The download error of a Hub model when the Hub cannot be reached at all (e.g. offline). */
export function hubUnreachable(host: string): ErrorInfo {
  return {
    title: `${host} could not be reached`,
    message: `The model is downloaded from ${host}, which this device cannot reach right now (offline, or blocked). Connect and try again, or use the built-in model, which works offline.`,
    action: 'models',
  };
}

/** The message as a sentence, so more can follow it. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
