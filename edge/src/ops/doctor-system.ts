import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { fail, ok, warn, type Check, type DoctorContext, type Finding } from './doctor.js';
import { formatBytes } from './progress.js';

const execFileAsync = promisify(execFile);

/** Below this the database, media and a model update no longer fit comfortably (HEMA3N_DOCTOR_MIN_FREE_BYTES overrides). */
export const DEFAULT_MIN_FREE_BYTES = 2 * 1024 ** 3;
/** No appliance of this release ran before this date; a clock behind it means a flat RTC battery or no time source. */
export const CLOCK_FLOOR = Date.UTC(2024, 0, 1);

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

export function diskCheck(c: DoctorContext): Check {
  return {
    name: 'disk',
    async run(): Promise<Finding> {
      const setting = c.env.HEMA3N_DOCTOR_MIN_FREE_BYTES;
      const minimum = setting === undefined || setting === '' ? DEFAULT_MIN_FREE_BYTES : Number(setting);
      if (!Number.isSafeInteger(minimum) || minimum < 0) return fail(`HEMA3N_DOCTOR_MIN_FREE_BYTES=${setting} is not a whole number of bytes`, 'Set HEMA3N_DOCTOR_MIN_FREE_BYTES to a number of bytes, or unset it.');
      const where = nearestExisting(c.config.stateDir);
      const stats = await statfs(where);
      const free = stats.bavail * stats.bsize;
      const detail = `${formatBytes(free)} free for ${where} (minimum ${formatBytes(minimum)})`;
      if (free >= minimum) return ok(detail);
      return fail(detail, 'Free space on the state volume (remove old `hema3n db export` copies, journal logs: journalctl --vacuum-size=200M) or move HEMA3N_STATE_DIR to a larger volume.');
    },
  };
}

export type NtpStatus = 'synchronised' | 'not synchronised' | 'unknown';

/** Pure so it can be tested at any date: the system time must be past the floor and the build date. */
export function clockFinding(now: number, buildDate: number | null, ntp: NtpStatus): Finding {
  const floor = Math.max(CLOCK_FLOOR, buildDate ?? 0);
  const detail = `system time ${new Date(now).toISOString()}; NTP ${ntp}`;
  if (now < floor) {
    return fail(`${detail}; earlier than ${new Date(floor).toISOString().slice(0, 10)}, so the clock is wrong`, 'Set the time (timedatectl set-time, or restore network time), check the RTC battery; every clinical timestamp depends on it.');
  }
  if (ntp === 'not synchronised') return warn(detail, 'Check systemd-timesyncd or chrony and the network; the RTC keeps time meanwhile, but it drifts.');
  return ok(detail);
}

async function ntpStatus(): Promise<NtpStatus> {
  try {
    const { stdout } = await execFileAsync('timedatectl', ['show', '--property=NTPSynchronized', '--value'], { timeout: 5000, encoding: 'utf8' });
    const value = stdout.trim();
    return value === 'yes' ? 'synchronised' : value === 'no' ? 'not synchronised' : 'unknown';
  } catch {
    // No systemd (a container) or no timedated: nothing to say about NTP.
    return 'unknown';
  }
}

export function clockCheck(c: DoctorContext): Check {
  return {
    name: 'clock',
    async run(): Promise<Finding> {
      const build = c.env.HEMA3N_BUILD_DATE ? Date.parse(c.env.HEMA3N_BUILD_DATE) : Number.NaN;
      return clockFinding(c.now(), Number.isNaN(build) ? null : build, await ntpStatus());
    },
  };
}
