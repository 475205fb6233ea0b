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
    private readonly listen: { host: string; port: number },
    private readonly dependencies: () => ApiDependencies,
  ) {}

  get ready(): boolean {
    return this.boundPort !== null;
  }

  get port(): number | null {
    return this.boundPort;
  }

  async start(): Promise<void> {
    this.app = buildApiServer(this.dependencies());
    try {
      await this.app.listen({ host: this.listen.host, port: this.listen.port });
    } catch (cause) {
      throw new Hema3nError('LISTEN_FAILED', `Cannot listen for HTTP on ${this.listen.host}:${this.listen.port}`, { cause });
    }
    this.boundPort = (this.app.server.address() as AddressInfo).port;
  }

  describe(): Record<string, unknown> {
    return { port: this.boundPort };
  }

  async close(): Promise<void> {
    await this.app?.close();
    this.boundPort = null;
  }
}
