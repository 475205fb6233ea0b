import { execFile } from 'node:child_process';

/**
 * sd_notify for Type=notify units. Node cannot send on a unix datagram socket, so the
 * systemd-notify tool sends on our behalf with our pid (the unit sets NotifyAccess=all).
 * Without NOTIFY_SOCKET (a terminal, a test, a container) every call is a no-op.
 */
export class SystemdNotifier {
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get enabled(): boolean {
    return Boolean(this.env.NOTIFY_SOCKET);
  }

  ready(status: string): void {
    this.send(['READY=1', `STATUS=${status}`]);
    this.startWatchdog();
  }

  stopping(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.send(['STOPPING=1']);
  }

  /** Pings at half of WatchdogSec, as systemd recommends. */
  private startWatchdog(): void {
    const usec = Number(this.env.WATCHDOG_USEC);
    if (!this.enabled || !Number.isFinite(usec) || usec <= 0) return;
    this.watchdog = setInterval(() => this.send(['WATCHDOG=1']), Math.max(usec / 2000, 100));
    this.watchdog.unref();
  }

  private send(assignments: string[]): void {
    if (!this.enabled) return;
    execFile('systemd-notify', [`--pid=${process.pid}`, ...assignments], { env: { ...process.env } }, (error) => {
      if (error) this.onError(error);
    });
  }
}
