import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from './database.js';
import type { CrewMember, CrewRole } from './types.js';

export class CrewRepository {
  constructor(private readonly db: SqliteDatabase) {}

  add(input: { name: string; role: CrewRole; pinHash: string; now: number }): CrewMember {
    const member: CrewMember = { id: randomUUID(), name: input.name, role: input.role, createdAt: input.now };
    this.db
      .prepare('INSERT INTO crew (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(member.id, member.name, member.role, input.pinHash, member.createdAt);
    return member;
  }

  list(): CrewMember[] {
    return this.db
      .prepare('SELECT id, name, role, created_at AS createdAt FROM crew WHERE disabled_at IS NULL ORDER BY name')
      .all() as CrewMember[];
  }

  pinHash(id: string): string | undefined {
    const row = this.db.prepare('SELECT pin_hash AS pinHash FROM crew WHERE id = ? AND disabled_at IS NULL').get(id) as
      | { pinHash: string }
      | undefined;
    return row?.pinHash;
  }
}
