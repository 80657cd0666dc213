/** Starts the real Node server (the same code as `pnpm serve`) on fixture models, on a free port. */
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { NodeServer } from '@cinder/host-node';
import { startServer } from '../../apps/server/src/start-server.ts';

export interface TestServer extends NodeServer {
  /** `${url}/v1` */
  readonly baseURL: string;
}

export async function startFixtureServer(
  options: { models?: string[]; apiKeys?: string[]; maxBodyBytes?: number } = {},
): Promise<TestServer> {
  const fixtures = await ensureFixtures(defaultFixturesDir(), options.models ? { only: options.models } : {});
  const server = await startServer({
    modelDirs: fixtures.map((fixture) => fixture.dir),
    port: 0,
    apiKeys: options.apiKeys,
    maxBodyBytes: options.maxBodyBytes,
    log: false,
  });
  return { ...server, baseURL: `${server.url}/v1` };
}
