import { randomBytes } from 'node:crypto';
import type { CrewRole } from '../store/index.js';

export interface CrewSession {
  readonly token: string;
  readonly crewId: string;
  readonly role: CrewRole;
  lastSeenAt: number;
}

/**
 * Logged-in crew, in memory only: a restart logs everyone out, which is what we want on an
 * appliance that may have been powered off in an unknown place. Sessions lapse after inactivity.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, CrewSession>();

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly now: () => number,
  ) {}

  open(crewId: string, role: CrewRole): CrewSession {
    const session: CrewSession = { token: randomBytes(32).toString('base64url'), crewId, role, lastSeenAt: this.now() };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session for a token, refreshed; undefined when unknown or idle too long. */
  touch(token: string): CrewSession | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastSeenAt > this.idleTimeoutMs) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  close(token: string): void {
    this.sessions.delete(token);
  }
}
