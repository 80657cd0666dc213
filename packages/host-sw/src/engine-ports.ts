/**
 * Where the service worker gets its channel to an engine. It holds nothing that survives a restart
 * (an idle service worker is stopped and loses every port), so it asks pages: it posts `need-port`
 * to a client with a reply channel, and the page answers with a fresh port to its engine worker.
 *
 * For a request from page P, in this order:
 *   1. the port P gave earlier, if it is alive;
 *   2. ask P (it may have an engine but this service worker instance has not met it yet);
 *   3. a port another open page gave (the page must still exist);
 *   4. ask the other open pages;
 *   5. ask P to start an engine.
 * Concurrent searches for the same page share one promise; a page that said "no engine" is not asked
 * again for `noEngineTtlMs`; a page that does not answer within `askTimeoutMs` is skipped.
 */
import { PortConnection, type WatchdogOptions } from './port-connection.ts';
import type { ClientLike, ClientsLike, NeedPortMessage, NeedPortReply } from './sw-types.ts';

export interface EnginePortsOptions {
  /** How long a page may take to answer `need-port` (ms). Default 3000. */
  readonly askTimeoutMs?: number;
  /** How long a page that has no engine is not asked again (ms). Default 5000. */
  readonly noEngineTtlMs?: number;
  readonly watchdog?: WatchdogOptions;
}

export class EnginePorts {
  /** By the id of the page whose worker is behind the port. */
  private readonly connections = new Map<string, PortConnection>();
  private readonly noEngineUntil = new Map<string, number>();
  private readonly searches = new Map<string, Promise<PortConnection | null>>();
  private readonly askTimeoutMs: number;
  private readonly noEngineTtlMs: number;

  constructor(
    private readonly clients: ClientsLike,
    private readonly options: EnginePortsOptions = {},
  ) {
    this.askTimeoutMs = options.askTimeoutMs ?? 3000;
    this.noEngineTtlMs = options.noEngineTtlMs ?? 5000;
  }

  /** A live connection for a request from page `clientId` ('' when unknown), or null when no page has one. */
  get(clientId: string): Promise<PortConnection | null> {
    const own = this.connections.get(clientId);
    if (own && !own.dead) return Promise.resolve(own);
    let search = this.searches.get(clientId);
    if (!search) {
      search = this.search(clientId).finally(() => this.searches.delete(clientId));
      this.searches.set(clientId, search);
    }
    return search;
  }

  private async search(clientId: string): Promise<PortConnection | null> {
    const requester = clientId ? await this.clients.get(clientId) : undefined;
    if (requester && !this.saidNoEngine(requester.id)) {
      const port = await this.ask(requester, false);
      if (port) return this.adopt(requester.id, port);
    }
    for (const [owner, connection] of this.connections) {
      if (connection.dead) continue;
      if (await this.clients.get(owner)) return connection;
      connection.close(); // its page is gone
    }
    for (const client of await this.clients.matchAll({ type: 'window' })) {
      if (client.id === clientId || this.saidNoEngine(client.id) || this.connections.has(client.id)) continue;
      const port = await this.ask(client, false);
      if (port) return this.adopt(client.id, port);
    }
    if (requester) {
      const port = await this.ask(requester, true);
      if (port) return this.adopt(requester.id, port);
    }
    return null;
  }

  private adopt(owner: string, port: MessagePort): PortConnection {
    this.noEngineUntil.delete(owner);
    const connection = new PortConnection(port, this.options.watchdog);
    this.connections.set(owner, connection);
    connection.onDeath(() => {
      if (this.connections.get(owner) === connection) this.connections.delete(owner);
    });
    return connection;
  }

  private saidNoEngine(id: string): boolean {
    return (this.noEngineUntil.get(id) ?? 0) > Date.now();
  }

  /** Posts `need-port` and waits for the page's answer; null for "no engine" or silence. */
  private ask(client: ClientLike, start: boolean): Promise<MessagePort | null> {
    const reply = new MessageChannel();
    const message: NeedPortMessage = { type: 'cinder:need-port', start };
    return new Promise((resolve) => {
      const done = (port: MessagePort | null) => {
        clearTimeout(timer);
        reply.port1.close();
        if (!port) this.noEngineUntil.set(client.id, Date.now() + this.noEngineTtlMs);
        resolve(port);
      };
      const timer = setTimeout(() => done(null), this.askTimeoutMs);
      reply.port1.onmessage = (event: MessageEvent<NeedPortReply>) =>
        done(event.data?.type === 'cinder:port' ? event.data.port : null);
      client.postMessage(message, [reply.port2]);
    });
  }
}
