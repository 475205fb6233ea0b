import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { fail, ok, type Check, type DoctorContext, type Finding } from './doctor.js';

const PROBE_TIMEOUT_MS = 5000;

interface DaemonHealth {
  readonly ready: boolean;
  readonly ports: { readonly http: number | null; readonly mqtt: number | null };
  readonly tlsPort: number | null;
}

/** Resolves true when nothing listens on host:port (we could bind it), false when something does. */
function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const loopback = (host: string): string => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

/** GET /health from the daemon on this box, over HTTPS with the appliance certificate as the only CA when TLS is on. */
function daemonHealth(c: DoctorContext): Promise<DaemonHealth | null> {
  const { host, port, tlsCertFile } = c.config.http;
  const url = `${tlsCertFile ? 'https' : 'http'}://${loopback(host)}:${port}/health`;
  return new Promise((resolve) => {
    const onResponse = (response: IncomingMessage): void => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(parseHealth(body)));
    };
    const request = tlsCertFile
      ? httpsGet(url, { ca: readFileSync(tlsCertFile), servername: 'localhost', timeout: PROBE_TIMEOUT_MS }, onResponse)
      : httpGet(url, { timeout: PROBE_TIMEOUT_MS }, onResponse);
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

function parseHealth(body: string): DaemonHealth | null {
  try {
    const value = JSON.parse(body) as { ready?: unknown; ports?: { http?: unknown; mqtt?: unknown }; parts?: { ingest?: { tlsPort?: unknown } } };
    if (typeof value.ready !== 'boolean' || typeof value.ports !== 'object') return null;
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    return { ready: value.ready, ports: { http: num(value.ports.http), mqtt: num(value.ports.mqtt) }, tlsPort: num(value.parts?.ingest?.tlsPort) };
  } catch {
    return null;
  }
}

type PortKind = 'http' | 'mqtt' | 'mqtt tls';

const SETTING: Record<PortKind, string> = { http: 'HEMA3N_HTTP_PORT', mqtt: 'HEMA3N_MQTT_PORT', 'mqtt tls': 'HEMA3N_MQTT_TLS_PORT' };

function heldByDaemon(kind: PortKind, port: number, health: DaemonHealth): boolean {
  if (kind === 'http') return true;
  return kind === 'mqtt' ? health.ports.mqtt === port : health.tlsPort === port;
}

/** A port is fine when it is free (the daemon can bind it) or when the running daemon holds it. */
export function portCheck(c: DoctorContext, kind: PortKind, host: string, port: number): Check {
  return {
    name: `${kind} port`,
    async run(): Promise<Finding> {
      if (port === 0) return ok('ephemeral (0): the daemon picks a free port and reports it in /health');
      if (await portIsFree(host, port)) return ok(`${host}:${port} is free`);
      const health = await daemonHealth(c);
      if (health && heldByDaemon(kind, port, health)) return ok(`${host}:${port} is held by the running daemon (${health.ready ? 'ready' : 'starting'})`);
      return fail(`${host}:${port} is held by another process`, `Stop it (ss -ltnp 'sport = :${port}' names it) or move the appliance with ${SETTING[kind]}.`);
    },
  };
}

export function cloudCheck(c: DoctorContext): Check {
  return {
    name: 'cloud',
    async run(): Promise<Finding> {
      const { cloudUrl, enabled } = c.config.sync;
      if (!cloudUrl) return ok('not configured (HEMA3N_CLOUD_URL unset): the appliance works offline');
      if (!enabled) return ok(`sync disabled (HEMA3N_SYNC_ENABLED=false); ${cloudUrl} not contacted`);
      const url = `${cloudUrl.replace(/\/+$/, '')}/health`;
      const fix = 'Check the vehicle uplink and HEMA3N_CLOUD_URL; cases wait in the outbox and go out when the link returns.';
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        return response.ok ? ok(`${url} answered ${response.status}`) : fail(`${url} answered ${response.status}`, fix);
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        return fail(`${url} unreachable (${cause})`, fix);
      }
    },
  };
}
