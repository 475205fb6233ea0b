import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Hema3nError } from '../errors.js';
import { buildApiServer, type ApiDependencies } from './server.js';

/** The HTTP listener as a lifecycle part. Closing waits for in-flight requests to finish. */
export class ApiPart {
  readonly name = 'api';
  private app: FastifyInstance | undefined;
  private boundPort: number | null = null;

  constructor(
    /** With tlsCertFile and tlsKeyFile (the appliance certificate) the listener speaks HTTPS only. */
    private readonly listen: { host: string; port: number; tlsCertFile?: string | undefined; tlsKeyFile?: string | undefined },
    private readonly dependencies: () => ApiDependencies,
  ) {}

  get ready(): boolean {
    return this.boundPort !== null;
  }

  get port(): number | null {
    return this.boundPort;
  }

  get protocol(): 'http' | 'https' {
    return this.listen.tlsCertFile && this.listen.tlsKeyFile ? 'https' : 'http';
  }

  async start(): Promise<void> {
    this.app = buildApiServer(this.dependencies(), { https: this.certificate() });
    try {
      await this.app.listen({ host: this.listen.host, port: this.listen.port });
    } catch (cause) {
      throw new Hema3nError('LISTEN_FAILED', `Cannot listen for HTTP on ${this.listen.host}:${this.listen.port}`, { cause });
    }
    this.boundPort = (this.app.server.address() as AddressInfo).port;
  }

  describe(): Record<string, unknown> {
    return { port: this.boundPort, protocol: this.protocol };
  }

  private certificate(): { cert: Buffer; key: Buffer } | undefined {
    const { tlsCertFile, tlsKeyFile } = this.listen;
    if (!tlsCertFile || !tlsKeyFile) return undefined;
    try {
      return { cert: readFileSync(tlsCertFile), key: readFileSync(tlsKeyFile) };
    } catch (cause) {
      throw new Hema3nError('CONFIG_INVALID', 'Cannot read the HTTPS certificate or key file', {
        cause,
        issues: [{ field: 'http.tlsCertFile / http.tlsKeyFile', problem: 'must name readable PEM files' }],
      });
    }
  }

  async close(): Promise<void> {
    await this.app?.close();
    this.boundPort = null;
  }
}
