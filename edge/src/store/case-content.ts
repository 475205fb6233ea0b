import type { SqliteDatabase } from './database.js';

export interface StoredNote {
  readonly id: string;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: number;
}

export interface StoredIntervention {
  readonly id: string;
  readonly code: string;
  readonly display: string;
  readonly performedAt: number;
  readonly performerId: string;
}

export interface StoredMedication {
  readonly id: string;
  readonly medication: string;
  readonly dose: number;
  readonly doseUnit: string;
  readonly route: string;
  readonly givenAt: number;
  readonly performerId: string;
}

export interface StoredMediaInfo {
  readonly id: string;
  readonly kind: 'image' | 'audio';
  readonly contentType: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly createdAt: number;
}

/** What the crew recorded on a case, read back for export and sync. */
export class CaseContentQueries {
  constructor(private readonly db: SqliteDatabase) {}

  notes(caseId: string): StoredNote[] {
    return this.db
      .prepare('SELECT id, author_id AS authorId, text, created_at AS createdAt FROM notes WHERE case_id = ? ORDER BY created_at, id')
      .all(caseId) as StoredNote[];
  }

  interventions(caseId: string): StoredIntervention[] {
    return this.db
      .prepare(
        'SELECT id, code, display, performed_at AS performedAt, performer_id AS performerId FROM interventions WHERE case_id = ? ORDER BY performed_at, id',
      )
      .all(caseId) as StoredIntervention[];
  }

  medications(caseId: string): StoredMedication[] {
    return this.db
      .prepare(
        `SELECT id, medication, dose, dose_unit AS doseUnit, route, given_at AS givenAt, performer_id AS performerId
         FROM medication_administrations WHERE case_id = ? ORDER BY given_at, id`,
      )
      .all(caseId) as StoredMedication[];
  }

  media(caseId: string): StoredMediaInfo[] {
    return this.db
      .prepare('SELECT id, kind, content_type AS contentType, bytes, sha256, created_at AS createdAt FROM media WHERE case_id = ? ORDER BY created_at, id')
      .all(caseId) as StoredMediaInfo[];
  }

  /** The devices whose samples belong to the case. */
  devices(caseId: string): Array<{ id: string; kind: string }> {
    return this.db
      .prepare(
        `SELECT DISTINCT d.id, d.kind FROM devices d JOIN vital_signs v ON v.device_ref = d.ref JOIN cases c ON c.ref = v.case_ref
         WHERE c.id = ? ORDER BY d.id`,
      )
      .all(caseId) as Array<{ id: string; kind: string }>;
  }
}
