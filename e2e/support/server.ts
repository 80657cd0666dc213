/** Starts the real Node server (the same code as `pnpm serve`) on fixture models, on a free port. */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
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

/** A `pnpm serve` child process (the real CLI, as a user runs it). */
export interface ServeProcess {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseURL: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Kills the process (its whole process group: pnpm, tsx and node) and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Runs `pnpm serve ARGS --port 0` from the repository root in its own process group and resolves
 * once it prints its `listening on` line. Rejects (after killing it) when it exits first or does
 * not listen within `timeoutMs`. The process is also killed when the test process exits.
 */
export function spawnServe(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ServeProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const child = spawn('pnpm', ['-s', 'serve', ...args, '--port', '0'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = child.stdout as Socket;
  const stderr = child.stderr as Socket;
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const killGroup = () => {
    try {
      if (running()) process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  const close = async () => {
    process.off('exit', killGroup);
    if (!running()) return;
    child.ref();
    killGroup();
    await exited;
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void close().then(() => reject(new Error(`pnpm serve ${args.join(' ')}: ${reason}\n${output}`)));
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = settled ? null : /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      // From here on the child does not keep the test process alive (a forgotten close() cannot
      // hang it); the exit hook above still kills it.
      child.unref();
      stdout.unref();
      stderr.unref();
      resolve({ baseURL: `${match[1]}/v1`, output: () => output, close });
    };
    stdout.on('data', onData);
    stderr.on('data', onData);
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`));
    child.once('error', (error) => fail(error.message));
  });
}
