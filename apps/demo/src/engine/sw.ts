/**
 * The service worker (built into /sw.js by vite.config.ts): `/v1/*` answered by the engine worker of
 * one of the app's pages (@cinder/host-sw), and the app's own files cached for offline use.
 */
import { type ServiceWorkerScopeLike, serveCinder } from '@cinder/host-sw';
import { cacheAppShell, type ShellScope } from './app-shell.ts';

/** Filled in at build time: the build's files and a hash of their contents. */
declare const __APP_SHELL_FILES__: string[];
declare const __APP_SHELL_VERSION__: string;

const scope = self as unknown as ServiceWorkerScopeLike & ShellScope;
serveCinder(scope);
cacheAppShell(scope, { files: __APP_SHELL_FILES__, version: __APP_SHELL_VERSION__ });
