import type { SqliteDatabase } from './database.js';

export interface PendingCase {
  readonly caseId: string;
  /** 1 for ESI 1-2, else 3: critical cases go first. */
  readonly priority: number;
  /** Outbox rows up to this id are covered by a sync of the case started now. */
  readonly throughOutboxId: number | null;
  /** Vital signs received after this are not yet at the cloud. */
  readonly vitalsSyncedThrough: number;
  readonly newestVitalReceivedAt: number | null;
}

export interface SyncCounts {
  readonly pending: number;
  readonly sent: number;
  readonly quarantined: number;
  readonly lastReceiptAt: number | null;
  readonly lastError: string | null;
  readonly media: MediaSyncCounts;
}

/** Photos and recordings whose bytes are not yet at the cloud, and those it refused. */
export interface MediaSyncCounts {
  readonly pendingFiles: number;
  /** What is still to send: the files' bytes less the chunks already receipted. */
  readonly pendingBytes: number;
  readonly rejectedFiles: number;
}

/** A file whose bytes may go now: its Media is at the cloud, its bytes are not (yet). */
export interface PendingMedia {
  readonly id: string;
  readonly caseId: string;
  readonly patientId: string;
  readonly contentType: string;
  readonly bytes: number;
  /** Of the stored bytes. */
  readonly sha256: string;
  readonly createdAt: number;
}

/** A file's upload as planned when its first chunk went, and the chunks the cloud has receipted. */
export interface MediaUpload {
  readonly mediaId: string;
  /** The media-chunk descriptor without its index, as the first chunk carried it. */
  readonly descriptor: Record<string, unknown>;
  readonly chunkBytes: number;
  readonly chunkCount: number;
  readonly receipted: ReadonlySet<number>;
  readonly rejectedCode: string | null;
  readonly completedAt: number | null;
}

const SEQUENCE_KEY = 'sync_sequence';

/** The sync worker's durable state: the outbox, per-case vitals watermarks, the envelope sequence, media uploads. */
export class SyncRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Cases with outbox rows or vitals not yet at the cloud, critical first, then oldest change first. */
  pendingCases(): PendingCase[] {
    return this.db
      .prepare(
        `WITH changed AS (
           SELECT case_id, min(priority) AS priority, max(id) AS through_id, min(id) AS first_id FROM outbox WHERE state = 'pending' GROUP BY case_id
         ), fresh AS (
           SELECT c.id AS case_id, max(v.received_at) AS newest FROM vital_signs v JOIN cases c ON c.ref = v.case_ref GROUP BY c.id
         )
         SELECT c.id AS caseId,
                coalesce(ch.priority, CASE WHEN c.acuity <= 2 THEN 1 ELSE 3 END) AS priority,
                ch.through_id AS throughOutboxId,
                coalesce(s.vitals_synced_through, 0) AS vitalsSyncedThrough,
                f.newest AS newestVitalReceivedAt
         FROM cases c
         LEFT JOIN changed ch ON ch.case_id = c.id
         LEFT JOIN fresh f ON f.case_id = c.id
         LEFT JOIN sync_cases s ON s.case_id = c.id
         WHERE (ch.case_id IS NOT NULL OR f.newest > coalesce(s.vitals_synced_through, 0))
           AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.case_id = c.id AND q.state = 'quarantined')
         ORDER BY priority, coalesce(ch.first_id, 9e18), c.created_at`,
      )
      .all() as PendingCase[];
  }

  /** The next envelope sequence number, durably reserved (never reused, even after a crash). */
  nextSequence(): number {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT value FROM appliance_state WHERE key = ?').get(SEQUENCE_KEY) as { value: string } | undefined;
      const next = (row ? Number(row.value) : 0) + 1;
      this.db
        .prepare('INSERT INTO appliance_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(SEQUENCE_KEY, String(next));
      return next;
    }).immediate();
  }

  /** After a verified receipt: the case's outbox rows up to throughOutboxId and its vitals up to the watermark are at the cloud. */
  markSent(pending: PendingCase, vitalsThrough: number, receiptSequence: number, now: number): void {
    this.db.transaction(() => {
      if (pending.throughOutboxId !== null) {
        this.db
          .prepare(`UPDATE outbox SET state = 'sent', receipt_sequence = ? WHERE case_id = ? AND state = 'pending' AND id <= ?`)
          .run(receiptSequence, pending.caseId, pending.throughOutboxId);
      }
      this.db
        .prepare(
          `INSERT INTO sync_cases (case_id, vitals_synced_through, last_receipt_at, last_error) VALUES (?, ?, ?, NULL)
           ON CONFLICT (case_id) DO UPDATE SET vitals_synced_through = max(vitals_synced_through, excluded.vitals_synced_through),
             last_receipt_at = excluded.last_receipt_at, last_error = NULL`,
        )
        .run(pending.caseId, vitalsThrough, now);
    }).immediate();
  }

  /** The cloud refused the case's data: set it aside with the reason, so the other cases still flow. */
  quarantine(caseId: string, reason: string): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE outbox SET state = 'quarantined', last_error = ? WHERE case_id = ? AND state = 'pending'`).run(reason, caseId);
      this.db
        .prepare(`INSERT INTO sync_cases (case_id, last_error) VALUES (?, ?) ON CONFLICT (case_id) DO UPDATE SET last_error = excluded.last_error`)
        .run(caseId, reason);
    }).immediate();
  }

  recordAttemptFailure(reason: string): void {
    this.db.prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE state = 'pending'`).run(reason);
  }

  counts(): SyncCounts {
    const outbox = this.db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`).all() as Array<{ state: string; n: number }>;
    const count = (state: string) => outbox.find((r) => r.state === state)?.n ?? 0;
    const last = this.db.prepare('SELECT max(last_receipt_at) AS at FROM sync_cases').get() as { at: number | null };
    const error = this.db.prepare(`SELECT last_error AS e FROM outbox WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 1`).get() as { e: string } | undefined;
    return { pending: count('pending'), sent: count('sent'), quarantined: count('quarantined'), lastReceiptAt: last.at, lastError: error?.e ?? null, media: this.mediaCounts() };
  }

  /**
   * The next file whose bytes should go: its Media went in a bundle with a verified receipt, and
   * its bytes have not all been receipted nor been refused. ESI 1-2 cases first, then the oldest
   * case, then the oldest file, so an upload in progress is resumed before the next one starts.
   */
  nextPendingMedia(): PendingMedia | undefined {
    return this.db
      .prepare(
        `SELECT m.id, m.case_id AS caseId, c.patient_id AS patientId, m.content_type AS contentType, m.bytes, m.sha256, m.created_at AS createdAt
         FROM media m
         JOIN cases c ON c.id = m.case_id
         LEFT JOIN media_uploads u ON u.media_id = m.id
         WHERE u.completed_at IS NULL AND u.rejected_code IS NULL
           AND EXISTS (SELECT 1 FROM outbox o WHERE o.resource_id = m.id AND o.resource_type = 'Media' AND o.state = 'sent')
         ORDER BY CASE WHEN c.acuity <= 2 THEN 1 ELSE 3 END, c.created_at, m.created_at, m.id
         LIMIT 1`,
      )
      .get() as PendingMedia | undefined;
  }

  mediaUpload(mediaId: string): MediaUpload | undefined {
    const row = this.db
      .prepare(
        `SELECT media_id AS mediaId, descriptor, chunk_bytes AS chunkBytes, chunk_count AS chunkCount, rejected_code AS rejectedCode, completed_at AS completedAt
         FROM media_uploads WHERE media_id = ?`,
      )
      .get(mediaId) as (Omit<MediaUpload, 'descriptor' | 'receipted'> & { descriptor: string }) | undefined;
    if (!row) return undefined;
    const chunks = this.db.prepare('SELECT idx FROM media_upload_chunks WHERE media_id = ?').pluck().all(mediaId) as number[];
    return { ...row, descriptor: JSON.parse(row.descriptor) as Record<string, unknown>, receipted: new Set(chunks) };
  }

  /** Fixes a file's plan before its first chunk goes; false when the media was deleted meanwhile. */
  beginMediaUpload(upload: { mediaId: string; descriptor: Record<string, unknown>; chunkBytes: number; chunkCount: number; now: number }): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO media_uploads (media_id, descriptor, chunk_bytes, chunk_count, started_at)
         SELECT id, ?, ?, ?, ? FROM media WHERE id = ? ON CONFLICT DO NOTHING`,
      )
      .run(JSON.stringify(upload.descriptor), upload.chunkBytes, upload.chunkCount, upload.now, upload.mediaId);
    return result.changes === 1;
  }

  /**
   * After a chunk's verified receipt; the file is complete (at the cloud) when every chunk is in.
   * A file deleted while its chunk was on the way leaves nothing behind. Returns whether it is complete.
   */
  recordMediaChunk(chunk: { mediaId: string; index: number; bytes: number; receiptSequence: number; now: number }): boolean {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO media_upload_chunks (media_id, idx, bytes, receipt_sequence, receipted_at)
           SELECT media_id, ?, ?, ?, ? FROM media_uploads WHERE media_id = ? ON CONFLICT DO NOTHING`,
        )
        .run(chunk.index, chunk.bytes, chunk.receiptSequence, chunk.now, chunk.mediaId);
      const completed = this.db
        .prepare(
          `UPDATE media_uploads SET completed_at = ? WHERE media_id = ? AND completed_at IS NULL
             AND chunk_count = (SELECT count(*) FROM media_upload_chunks WHERE media_id = ?)`,
        )
        .run(chunk.now, chunk.mediaId, chunk.mediaId);
      return completed.changes === 1;
    }).immediate();
  }

  /** Media of the case deleted by its pending outbox rows up to throughId: their copies at the cloud are to be deleted. */
  deletedMedia(caseId: string, throughId: number): string[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT o.resource_id AS id FROM outbox o
         WHERE o.case_id = ? AND o.resource_type = 'Media' AND o.state = 'pending' AND o.id <= ?
           AND NOT EXISTS (SELECT 1 FROM media m WHERE m.id = o.resource_id)
         ORDER BY o.resource_id`,
      )
      .all(caseId, throughId) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /**
   * After the cause of a refusal is mended (the appliance registered again, a cloud fix): every
   * quarantined change and refused file goes back in the queue. Their ids at the cloud are
   * deterministic, so what had arrived before is overwritten, never doubled.
   */
  releaseRefused(): { cases: number; mediaFiles: number } {
    return this.db.transaction(() => {
      const cases = this.db.prepare(`SELECT count(DISTINCT case_id) AS n FROM outbox WHERE state = 'quarantined'`).get() as { n: number };
      this.db.prepare(`UPDATE outbox SET state = 'pending', last_error = NULL WHERE state = 'quarantined'`).run();
      this.db.prepare('UPDATE sync_cases SET last_error = NULL WHERE last_error IS NOT NULL').run();
      const media = this.db.prepare('UPDATE media_uploads SET rejected_code = NULL WHERE rejected_code IS NOT NULL').run();
      return { cases: cases.n, mediaFiles: media.changes };
    }).immediate();
  }

  /** The cloud refused the file for good (or it can never be framed): it is set aside, the others go on. */
  rejectMedia(mediaId: string, code: string): void {
    this.db.prepare('UPDATE media_uploads SET rejected_code = ? WHERE media_id = ?').run(code, mediaId);
  }

  mediaCounts(): MediaSyncCounts {
    const pending = this.db
      .prepare(
        `SELECT count(*) AS files,
                coalesce(sum(m.bytes - coalesce((SELECT sum(k.bytes) FROM media_upload_chunks k WHERE k.media_id = m.id), 0)), 0) AS bytes
         FROM media m LEFT JOIN media_uploads u ON u.media_id = m.id
         WHERE m.case_id IS NOT NULL AND u.completed_at IS NULL AND u.rejected_code IS NULL`,
      )
      .get() as { files: number; bytes: number };
    const rejected = this.db.prepare('SELECT count(*) FROM media_uploads WHERE rejected_code IS NOT NULL').pluck().get() as number;
    return { pendingFiles: pending.files, pendingBytes: pending.bytes, rejectedFiles: rejected };
  }

  /** Per case: queued (changes waiting), sent (all at the cloud, receipt verified), or quarantined. */
  caseState(caseId: string): { state: 'queued' | 'sent' | 'quarantined' | 'not-synced'; lastReceiptAt: number | null } {
    const states = this.db.prepare(`SELECT DISTINCT state FROM outbox WHERE case_id = ?`).all(caseId) as Array<{ state: string }>;
    const sync = this.db.prepare('SELECT last_receipt_at AS at FROM sync_cases WHERE case_id = ?').get(caseId) as { at: number | null } | undefined;
    const has = (s: string) => states.some((r) => r.state === s);
    const state = has('quarantined') ? 'quarantined' : has('pending') ? 'queued' : sync?.at ? 'sent' : 'not-synced';
    return { state, lastReceiptAt: sync?.at ?? null };
  }
}
