/**
 * Test pages as Chromium loads them: ES modules bundled by esbuild into a static directory, with
 * their HTML (and any other file) copied beside them. Lazily imported dependencies (the grammar
 * engine's wasm glue, ...) become their own chunks; Node built-ins that some dependencies reach for
 * behind runtime checks stay external (never loaded in a browser).
 */
import { copyFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface PageBundle {
  /** Entry modules: a path (the output is named after it) or `{ in, out }` to name the output. */
  readonly entries: ReadonlyArray<string | { readonly in: string; readonly out: string }>;
  /** Files copied into the directory unchanged: source path -> file name there. */
  readonly copy?: Readonly<Record<string, string>>;
  /** Inline source maps, so page errors point at the sources. Default false. */
  readonly sourcemap?: boolean;
}

/** Bundles `bundle` into `outdir` (which must exist); returns `outdir`. */
export async function bundlePage(outdir: string, bundle: PageBundle): Promise<string> {
  await build({
    entryPoints: bundle.entries.map((entry) => (typeof entry === 'string' ? entry : { ...entry })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
    platform: 'browser',
    target: 'es2022',
    sourcemap: bundle.sourcemap ? 'inline' : false,
    logLevel: 'error',
  });
  for (const [from, name] of Object.entries(bundle.copy ?? {})) await copyFile(from, join(outdir, name));
  return outdir;
}
