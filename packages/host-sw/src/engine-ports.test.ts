/**
 * How the service worker finds an engine among its pages. The Clients API cannot exist in Node, so
 * pages are stood in for by objects that answer `need-port` the way registerCinder does, over real
 * MessageChannels with real HTTP ports. (The real thing runs in Chromium in e2e/browser.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EnginePorts } from './engine-ports.ts';
import { requestPayload } from './port-protocol.ts';
import { serveHttpPort } from './serve-port.ts';
import type { ClientLike, ClientsLike, NeedPortMessage, NeedPortReply } from './sw-types.ts';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

class Page implements ClientLike {
  asked: NeedPortMessage[] = [];
  constructor(
    readonly id: string,
    public engine: 'running' | 'startable' | 'none' | 'silent',
  ) {}

  postMessage(message: unknown, transfer: Transferable[]): void {
    const ask = message as NeedPortMessage;
    const reply = transfer[0] as MessagePort;
    this.asked.push(ask);
    if (this.engine === 'silent') return;
    if (this.engine === 'startable' && ask.start) this.engine = 'running';
    if (this.engine !== 'running') {
      reply.postMessage({ type: 'cinder:no-engine' } satisfies NeedPortReply);
      return;
    }
    const { port1, port2 } = new MessageChannel();
    stops.push(serveHttpPort(port1, async () => new Response(`engine of ${this.id}`)));
    reply.postMessage({ type: 'cinder:port', port: port2 } satisfies NeedPortReply, [port2]);
  }
}

function clientsOf(pages: Page[]): ClientsLike {
  return {
    get: async (id) => pages.find((page) => page.id === id),
    matchAll: async () => [...pages],
    claim: async () => {},
  };
}

async function whoAnswers(ports: EnginePorts, clientId: string): Promise<string | null> {
  const connection = await ports.get(clientId);
  if (!connection) return null;
  const response = await connection.fetch(await requestPayload(new Request('http://app.test/v1/models')));
  return response.text();
}

describe('EnginePorts', () => {
  it("uses the requesting page's own engine and keeps its port", async () => {
    const a = new Page('a', 'running');
    const ports = new EnginePorts(clientsOf([a]));
    expect(await whoAnswers(ports, 'a')).toBe('engine of a');
    expect(await whoAnswers(ports, 'a')).toBe('engine of a');
    expect(a.asked).toHaveLength(1);
  });

  it("serves a page without an engine from another page's, asking it only once for a while", async () => {
    const a = new Page('a', 'running');
    const b = new Page('b', 'none');
    const ports = new EnginePorts(clientsOf([a, b]));
    expect(await whoAnswers(ports, 'b')).toBe('engine of a');
    expect(await whoAnswers(ports, 'b')).toBe('engine of a');
    expect(b.asked.filter((ask) => !ask.start)).toHaveLength(1);
    expect(a.asked).toHaveLength(1);
  });

  it('when the serving page is gone, asks the requesting page to start an engine', async () => {
    const a = new Page('a', 'running');
    const b = new Page('b', 'startable');
    const pages = [a, b];
    const ports = new EnginePorts(clientsOf(pages));
    expect(await whoAnswers(ports, 'b')).toBe('engine of a');
    pages.splice(0, 1); // tab a closed
    expect(await whoAnswers(ports, 'b')).toBe('engine of b');
    expect(b.asked.at(-1)).toEqual({ type: 'cinder:need-port', start: true });
  });

  it('concurrent requests share one search', async () => {
    const a = new Page('a', 'running');
    const ports = new EnginePorts(clientsOf([a]));
    const answers = await Promise.all([
      whoAnswers(ports, 'a'),
      whoAnswers(ports, 'a'),
      whoAnswers(ports, 'a'),
    ]);
    expect(answers).toEqual(['engine of a', 'engine of a', 'engine of a']);
    expect(a.asked).toHaveLength(1);
  });

  it('skips a page that does not answer, and gives null when nobody has an engine', async () => {
    const silent = new Page('s', 'silent');
    const b = new Page('b', 'none');
    const ports = new EnginePorts(clientsOf([silent, b]), { askTimeoutMs: 50 });
    const started = Date.now();
    expect(await ports.get('b')).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(silent.asked).toHaveLength(1);
  });
});
