import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { HEMA3N_BIN } from './cli.js';

export interface RunningDaemon {
  readonly child: ChildProcessWithoutNullStreams;
  readonly httpPort: number;
  readonly baseUrl: string;
  /** Everything the daemon logged so far (JSON lines on stderr). */
  logs(): string;
  /** SIGTERM, then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts `hema3n start` as a real child process and waits for its "appliance ready" log line. */
export async function startDaemon(env: Record<string, string>, timeoutMs = 20_000): Promise<RunningDaemon> {
  const child = spawn(process.execPath, [HEMA3N_BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEMA3N_HTTP_PORT: '0', HEMA3N_MQTT_PORT: '0', ...env },
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const httpPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon not ready in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = stderr.split('\n').find((line) => line.includes('"appliance ready"'));
      if (ready) {
        clearTimeout(timer);
        resolve((JSON.parse(ready) as { http: number }).http);
      }
    });
    void exited.then((code) => reject(new Error(`daemon exited with ${code} before ready:\n${stderr}`)));
  });
  return {
    child,
    httpPort,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    logs: () => stderr,
    exited,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
