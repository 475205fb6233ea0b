import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlertRepository } from './alerts.js';
import { AssessmentRepository } from './assessments.js';
import { CareRepository } from './care.js';
import { CaseContentQueries } from './case-content.js';
import { CaseRepository } from './cases.js';
import { CrewRepository } from './crew.js';
import { openDatabase, type SqliteDatabase } from './database.js';
import { DeviceRepository } from './devices.js';
import { IdentityRepository } from './identity.js';
import { MediaRepository, MediaTransferStaging } from './media.js';
import { SyncRepository } from './sync.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import type { VitalSignWrite } from './types.js';
import { waveformChunkWriter, type WaveformChunkWrite } from './waveforms.js';
import { VitalSignQueries, vitalSignWriter, type VitalInsertResult } from './vitals.js';

export const DATABASE_FILE = 'hema3n.db';

export function databasePath(stateDir: string): string {
  return join(stateDir, DATABASE_FILE);
}

export function databaseExists(stateDir: string): boolean {
  return existsSync(databasePath(stateDir));
}

export interface StoreOptions {
  readonly path: string;
  /** null only for the benchmark's unencrypted baseline. */
  readonly key: Buffer | null;
  readonly groupCommit: GroupCommitOptions;
}

/**
 * The appliance's one encrypted database and the single writer to it. High-rate vital signs
 * go through the group commit; everything else writes directly in its own short transaction.
 */
export class Store {
  readonly cases: CaseRepository;
  readonly alerts: AlertRepository;
  readonly content: CaseContentQueries;
  readonly care: CareRepository;
  readonly assessments: AssessmentRepository;
  readonly crew: CrewRepository;
  readonly devices: DeviceRepository;
  readonly identity: IdentityRepository;
  readonly media: MediaRepository;
  readonly mediaTransfers: MediaTransferStaging;
  readonly sync: SyncRepository;
  readonly vitals: VitalSignQueries;
  readonly vitalWrites: GroupCommit<VitalSignWrite, VitalInsertResult>;
  readonly waveformWrites: GroupCommit<WaveformChunkWrite, boolean>;

  private constructor(readonly db: SqliteDatabase, options: StoreOptions) {
    this.cases = new CaseRepository(db);
    this.alerts = new AlertRepository(db);
    this.content = new CaseContentQueries(db);
    this.care = new CareRepository(db);
    this.assessments = new AssessmentRepository(db);
    this.crew = new CrewRepository(db);
    this.devices = new DeviceRepository(db);
    this.identity = new IdentityRepository(db);
    this.media = new MediaRepository(db);
    this.mediaTransfers = new MediaTransferStaging(db);
    this.sync = new SyncRepository(db);
    this.vitals = new VitalSignQueries(db);
    this.vitalWrites = new GroupCommit(db, vitalSignWriter(db), options.groupCommit);
    this.waveformWrites = new GroupCommit(db, waveformChunkWriter(db), options.groupCommit);
  }

  static open(options: StoreOptions): Store {
    return new Store(openDatabase({ path: options.path, key: options.key }), options);
  }

  /** Runs fn in one IMMEDIATE transaction (so reads inside see a stable snapshot and writes never upgrade-deadlock). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Commits pending writes, folds the WAL back into the main file, and closes. Last to close. */
  close(): void {
    if (!this.db.open) return;
    this.vitalWrites.close();
    this.waveformWrites.close();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
