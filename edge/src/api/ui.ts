import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The tablet app: plain ES modules, HTML and CSS, served as they are (no build step). */
export const UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));
/** uPlot comes from node_modules at serve time: nothing the tablet runs is fetched from the internet. */
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));
const UPLOT_FILES = ['uPlot.esm.js', 'uPlot.min.css'];
const SERVICE_WORKER = 'sw.js';

/**
 * Everything the app may load comes from the appliance itself; the browser refuses the rest, so
 * a stray link to a CDN fails loudly in development instead of silently at 3 a.m. without signal.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' blob: data:", "media-src 'self' blob:",
  "connect-src 'self'", "worker-src 'self'", "manifest-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

const APP_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The service worker keeps the offline copy; the browser revalidates each file with the appliance.
  'cache-control': 'no-cache',
};

/** Serves the app shell, uPlot, the manifest and the service worker (with its precache list and version). */
export function registerTabletApp(app: FastifyInstance): void {
  const shell = shellFiles();
  const serviceWorker = serviceWorkerSource(shell);
  const setHeaders = (res: { setHeader(name: string, value: string): unknown }) => {
    for (const [name, value] of Object.entries(APP_HEADERS)) res.setHeader(name, value);
  };

  void app.register(fastifyStatic, { root: UI_DIR, prefix: '/', index: 'index.html', setHeaders, wildcard: true });
  void app.register(fastifyStatic, { root: UPLOT_DIR, prefix: '/vendor/uplot/', decorateReply: false, allowedPath: (path) => UPLOT_FILES.includes(path.replace(/^\//, '')), setHeaders });

  app.get(`/${SERVICE_WORKER}`, async (_request, reply) => {
    void reply.headers(APP_HEADERS).header('service-worker-allowed', '/').type('text/javascript; charset=utf-8');
    return serviceWorker;
  });
}

/** The URLs of the app shell: what the service worker precaches so a reload works with the appliance out of reach. */
function shellFiles(): Array<{ url: string; path: string }> {
  const own = walk(UI_DIR)
    .filter((path) => path !== join(UI_DIR, SERVICE_WORKER))
    .map((path) => ({ url: `/${relative(UI_DIR, path).split(sep).join('/')}`, path }));
  const vendor = UPLOT_FILES.map((file) => ({ url: `/vendor/uplot/${file}`, path: join(UPLOT_DIR, file) }));
  return [{ url: '/', path: join(UI_DIR, 'index.html') }, ...own, ...vendor];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/** The worker script, preceded by its version (a digest of the shell, so any change installs afresh) and precache list. */
function serviceWorkerSource(shell: ReadonlyArray<{ url: string; path: string }>): string {
  const digest = createHash('sha256');
  for (const file of shell) digest.update(file.url).update('\0').update(readFileSync(file.path));
  const worker = readFileSync(join(UI_DIR, SERVICE_WORKER), 'utf8');
  digest.update(worker);
  const version = digest.digest('hex').slice(0, 16);
  return `const SHELL_VERSION = ${JSON.stringify(version)};\nconst SHELL_FILES = ${JSON.stringify(shell.map((f) => f.url))};\n${worker}`;
}
