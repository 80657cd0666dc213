/**
 * A model's files are missing, malformed or use something we do not support. The message
 * names the model, file, tensor or config key involved.
 */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}
