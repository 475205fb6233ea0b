/** Wrong PINs in a row a crew member may enter before the lock starts. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 30_000;
/** Capped short: a crew member locked out at a scene for longer is a patient-safety risk of its own. */
const MAX_LOCK_MS = 5 * 60_000;

interface Failures {
  count: number;
  lockedUntil: number;
}

/**
 * Slows PIN guessing at the tablet. A 4-digit PIN has 10,000 values; after FREE_ATTEMPTS wrong
 * ones in a row, each further wrong PIN locks that crew member's login for twice as long as the
 * last (30 s, 1 min, 2 min, ... at most 5 min). A right PIN clears the count. In memory, like the
 * sessions: a restart forgets it, and the restart is itself audited.
 */
export class PinAttempts {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number) {}

  /** How long the crew member's login is still locked, 0 when it is not. */
  lockedForMs(crewId: string): number {
    const entry = this.failures.get(crewId);
    return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
  }

  /** Records a wrong PIN; returns how long the login is now locked (0 while attempts remain). */
  failed(crewId: string): number {
    const entry = this.failures.get(crewId) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    const over = entry.count - FREE_ATTEMPTS;
    const lockMs = over > 0 ? Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (over - 1)) : 0;
    entry.lockedUntil = this.now() + lockMs;
    this.failures.set(crewId, entry);
    return lockMs;
  }

  succeeded(crewId: string): void {
    this.failures.delete(crewId);
  }
}
