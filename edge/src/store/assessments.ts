import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

export type AssessmentSource = 'rules' | 'model' | 'merged';

export interface StoredAssessment {
  readonly id: string;
  readonly caseId: string;
  readonly source: AssessmentSource;
  readonly acuity: number | null;
  readonly result: unknown;
  readonly createdAt: number;
}

export class AssessmentRepository {
  constructor(private readonly db: SqliteDatabase) {}

  add(input: Omit<StoredAssessment, 'id'>): StoredAssessment {
    const stored = { id: randomUUID(), ...input };
    this.db
      .prepare('INSERT INTO assessments (id, case_id, source, acuity, result, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(stored.id, stored.caseId, stored.source, stored.acuity, JSON.stringify(stored.result), stored.createdAt);
    return stored;
  }

  forCase(caseId: string): StoredAssessment[] {
    const rows = this.db
      .prepare('SELECT id, case_id AS caseId, source, acuity, result, created_at AS createdAt FROM assessments WHERE case_id = ? ORDER BY created_at, id')
      .all(caseId) as Array<Omit<StoredAssessment, 'result'> & { result: string }>;
    return rows.map((row) => ({ ...row, result: JSON.parse(row.result) as unknown }));
  }
}
