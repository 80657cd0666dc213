/** Typed access to GGUF metadata values, with errors that name the key. */
import { ModelFormatError } from '@cinder/model-format';
import type { GgufValue } from './gguf-types.ts';
import type { GgufHeader } from './read-header.ts';

export function ggufValue(header: GgufHeader, key: string): GgufValue | undefined {
  return header.metadata.get(key)?.value;
}

export function ggufString(header: GgufHeader, key: string): string | undefined {
  const value = ggufValue(header, key);
  if (value === undefined || typeof value === 'string') return value;
  throw new ModelFormatError(`GGUF metadata ${key} is not a string`);
}

export function ggufNumber(header: GgufHeader, key: string): number | undefined {
  const value = ggufValue(header, key);
  if (value === undefined || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new ModelFormatError(`GGUF metadata ${key} is not a number`);
}

export function ggufBool(header: GgufHeader, key: string): boolean | undefined {
  const value = ggufValue(header, key);
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ModelFormatError(`GGUF metadata ${key} is not a bool`);
}

export function ggufStrings(header: GgufHeader, key: string): readonly string[] | undefined {
  const value = ggufValue(header, key);
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new ModelFormatError(`GGUF metadata ${key} is not an array of strings`);
}

export function ggufNumbers(header: GgufHeader, key: string): readonly number[] | undefined {
  const value = ggufValue(header, key);
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'number')) return value as number[];
  throw new ModelFormatError(`GGUF metadata ${key} is not an array of numbers`);
}
