/** All protocol types: the request side and the response side. */
export type * from './request-types.ts';
export type * from './response-types.ts';
