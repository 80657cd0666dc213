export { directoryModelSource } from './directory-model-source.ts';
export { type FetchHandler, type NodeServer, type ServeOptions, serveNode } from './node-server.ts';
