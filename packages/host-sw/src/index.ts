/**
 * @cinder/host-sw: the browser's HTTP host. A service worker answers `fetch('/v1/...')` from an engine
 * worker in one of the app's pages; `createFetch` gives the same thing without a service worker.
 *
 *   service worker script   serveCinder(self, { basePath })
 *   page                    registerCinder({ engine, serviceWorkerUrl })   or   createFetch(engine)
 *                           (registerCinder(...).fetch: aborts reach the engine before the response too)
 *   engine worker           serveHttpPort(port, createHandler({ engine }))  (wired by @cinder/host-worker)
 */
export { createAbortableFetch } from './abortable-fetch.ts';
export { createFetch, type FetchFunction, type PortSource } from './create-fetch.ts';
export { EnginePorts, type EnginePortsOptions } from './engine-ports.ts';
export { PortConnection, PortDeadError, type WatchdogOptions } from './port-connection.ts';
export {
  type PortRequest,
  type PortResponse,
  REQUEST_ID_HEADER,
  type RequestPayload,
  requestPayload,
  type ToCaller,
  type ToServer,
} from './port-protocol.ts';
export { type CinderRegistration, type RegisterCinderOptions, registerCinder } from './register.ts';
export { type AbortRequestMessage, RequestAborts } from './request-aborts.ts';
export { type ServeHttpPortOptions, serveHttpPort } from './serve-port.ts';
export { answerFromEngine, type ServeCinderOptions, serveCinder } from './service-worker.ts';
export type * from './sw-types.ts';
export { watchClient } from './watch-client.ts';
