/** Vitest global setup: write the fixture models once, before any test file runs in parallel. */
import { ensureFixtures } from '@cinder/fixtures';

export default async function setup(): Promise<void> {
  await ensureFixtures();
}
