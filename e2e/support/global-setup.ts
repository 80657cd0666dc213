/**
 * Vitest global setup: write the fixture models once, before any test file runs in parallel: the
 * safetensors fixtures and their GGUF conversions (`.fixtures/<name>-gguf/`, for the wllama runtime).
 */
import { ensureGgufFixtures } from '@cinder/fixtures';

export default async function setup(): Promise<void> {
  await ensureGgufFixtures();
}
