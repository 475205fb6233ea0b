import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UI_DIR } from '../../src/api/ui.js';
import { loadConfig } from '../../src/config/index.js';
import { Hema3nError } from '../../src/errors.js';
import { startTestAppliance, type TestAppliance } from '../support/appliance.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
let running: TestAppliance | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A throwaway appliance certificate, as provisioning would make (openssl, not our code). */
function applianceCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'appliance.crt');
  const key = join(dir, 'appliance.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsGet(port: number, path: string, ca: Buffer): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: 'localhost', port, path, ca, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the tablet app as the daemon serves it', () => {
  it('serves the app, uPlot, the manifest and the service worker over HTTPS with the appliance certificate', async () => {
    const dir = tempDir();
    const { cert, key } = applianceCertificate(dir);
    running = await startTestAppliance(dir, { HEMA3N_HTTP_TLS_CERT_FILE: cert, HEMA3N_HTTP_TLS_KEY_FILE: key });
    const port = running.appliance.ports().http!;
    const ca = readFileSync(cert);
    expect(running.appliance.api.describe()).toMatchObject({ protocol: 'https' });

    const index = await httpsGet(port, '/', ca);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.body).toContain('<script type="module" src="/js/main.js">');

    const worker = await httpsGet(port, '/sw.js', ca);
    expect(worker.headers['service-worker-allowed']).toBe('/');
    const shell = JSON.parse(/const SHELL_FILES = (.*);/.exec(worker.body)![1]!) as string[];
    expect(shell).toEqual(expect.arrayContaining(['/', '/index.html', '/app.css', '/js/main.js', '/manifest.webmanifest', '/vendor/uplot/uPlot.esm.js', '/icons/icon-192.png']));
    expect(shell).not.toContain('/sw.js');

    const manifest = await httpsGet(port, '/manifest.webmanifest', ca);
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect((JSON.parse(manifest.body) as { icons: Array<{ sizes: string }> }).icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

    expect((await httpsGet(port, '/vendor/uplot/uPlot.esm.js', ca)).status).toBe(200);
    expect((await httpsGet(port, '/vendor/uplot/uPlot.cjs.js', ca)).status).toBe(404);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('stamps the service worker with a version digested from the shell files, the same on every request, over plain HTTP in development', async () => {
    running = await startTestAppliance(tempDir());
    expect(running.appliance.api.describe()).toMatchObject({ protocol: 'http' });
    const body = await (await fetch(`${running.httpUrl}/sw.js`)).text();
    expect(body).toMatch(/^const SHELL_VERSION = "[0-9a-f]{16}";\nconst SHELL_FILES = \[/);
    expect(await (await fetch(`${running.httpUrl}/sw.js`)).text()).toBe(body);
  });

  it('refers to nothing outside the appliance in any file of the app', () => {
    const offenders = walk(UI_DIR)
      .filter((f) => /\.(js|html|css|webmanifest|svg)$/.test(f))
      .filter((f) => /\b(https?:)?\/\/[a-z0-9-]+\.[a-z]/i.test(readFileSync(f, 'utf8').replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')));
    expect(offenders).toEqual([]);
  });

  it('requires both the certificate and the key, naming the missing one and its variable', () => {
    try {
      loadConfig({ env: { HEMA3N_HTTP_TLS_CERT_FILE: '/etc/hema3n/appliance.crt' }, cwd: '/tmp' });
      expect.unreachable('a certificate without its key was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(Hema3nError);
      expect((error as Hema3nError).issues.map((i) => i.field)).toEqual(['http.tlsKeyFile (HEMA3N_HTTP_TLS_KEY_FILE)']);
    }
  });
});
