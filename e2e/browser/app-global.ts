/** `window.app` of the test app (e2e/browser-app/page.ts), as seen inside page.evaluate callbacks. */
import type { App } from '../browser-app/page.ts';

declare global {
  var app: App;
}
