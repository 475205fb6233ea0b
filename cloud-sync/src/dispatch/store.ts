import { join } from 'node:path';
import { closeSqlite, openSqlite, type Migrations, type SqliteDatabase } from '../sqlite/index.js';
import type { AlertPayload } from '../wire/index.js';
import type { CaseSummary } from './summary.js';

export const DISPATCH_FILE = 'dispatch.db';

const MIGRATIONS: Migrations = [
  `CREATE TABLE alerts (
     appliance_id TEXT NOT NULL,
     sequence INTEGER NOT NULL,
     case_id TEXT NOT NULL,
     acuity INTEGER NOT NULL,
     latest_vitals TEXT NOT NULL,
     eta INTEGER,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (appliance_id, sequence)
   ) WITHOUT ROWID;
   CREATE TABLE board_cases (
     appliance_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     summary TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (appliance_id, case_id)
   ) WITHOUT ROWID;`,
];

/** Alerts as they arrived, and the board's current view of each case, so a restart shows the same board. */
export class DispatchStore {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      saveAlert: db.prepare(
        `INSERT OR REPLACE INTO alerts (appliance_id, sequence, case_id, acuity, latest_vitals, eta, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      saveCase: db.prepare('INSERT OR REPLACE INTO board_cases (appliance_id, case_id, summary, updated_at) VALUES (?, ?, ?, ?)'),
      cases: db.prepare<[number], { summary: string }>('SELECT summary FROM board_cases WHERE updated_at >= ? ORDER BY updated_at'),
    };
  }

  static open(stateDir: string): DispatchStore {
    return new DispatchStore(openSqlite(join(stateDir, DISPATCH_FILE), MIGRATIONS));
  }

  /** Keyed by (appliance, sequence): storing the same alert twice keeps one row. */
  saveAlert(applianceId: string, sequence: number, alert: AlertPayload, receivedAt: number, summary: CaseSummary): void {
    this.db.transaction(() => {
      this.statements.saveAlert.run(applianceId, sequence, alert.caseId, alert.acuity, JSON.stringify(alert.latestVitals), alert.eta, receivedAt);
      this.saveCase(summary);
    })();
  }

  saveCase(summary: CaseSummary): void {
    this.statements.saveCase.run(summary.applianceId, summary.caseId, JSON.stringify(summary), summary.updatedAt);
  }

  casesSince(since: number): CaseSummary[] {
    return this.statements.cases.all(since).map((row) => JSON.parse(row.summary) as CaseSummary);
  }

  close(): void {
    closeSqlite(this.db);
  }
}
