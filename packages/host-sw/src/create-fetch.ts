/**
 * A fetch-compatible function that answers from an engine worker without any service worker:
 * pass it as the `openai` SDK's `fetch` option. Same channel, handler and semantics as the service
 * worker path (statuses, error bodies, SSE chunk by chunk, abort stops generation).
 *
 *   const client = new OpenAI({ baseURL: `${location.origin}/v1`, apiKey: 'none',
 *                               dangerouslyAllowBrowser: true, fetch: createFetch(engine) });
 */
import { PortConnection, PortDeadError, type WatchdogOptions } from './port-connection.ts';
import { requestPayload } from './port-protocol.ts';

/** Anything that hands out fresh HTTP ports to an engine worker, e.g. `connectEngine(worker)` (@cinder/host-worker). */
export interface PortSource {
  connectHttp(): Promise<MessagePort>;
}

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function createFetch(source: PortSource | MessagePort, options: WatchdogOptions = {}): FetchFunction {
  const fixedPort = isMessagePort(source);
  let connection: Promise<PortConnection> | null = null;

  function connect(): Promise<PortConnection> {
    if (!connection) {
      const opening = (async () =>
        new PortConnection(fixedPort ? source : await source.connectHttp(), options))();
      connection = opening;
      const forget = () => {
        if (connection === opening) connection = null;
      };
      opening.then((open) => open.onDeath(forget), forget);
    }
    return connection;
  }

  return async (input, init) => {
    const request = new Request(input, init);
    const payload = await requestPayload(request);
    try {
      return await (await connect()).fetch(payload, request.signal);
    } catch (cause) {
      // The worker behind the port died before answering: nothing was sent back, so ask a fresh port once.
      if (!(cause instanceof PortDeadError) || fixedPort) throw cause;
      return (await connect()).fetch(payload, request.signal);
    }
  };
}

function isMessagePort(source: PortSource | MessagePort): source is MessagePort {
  return typeof (source as Partial<PortSource>).connectHttp !== 'function';
}
