import type { SqliteDatabase } from './database.js';

export type MediaKind = 'image' | 'audio';

/** A stored photo or recording, without its bytes. */
export interface StoredMedia {
  readonly id: string;
  readonly caseId: string;
  readonly kind: MediaKind;
  readonly contentType: string;
  readonly bytes: number;
  /** Of the stored (normalised) file. */
  readonly sha256: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly durationMs: number | null;
  /** crew:<id>, device:<id> or cli:<user>. */
  readonly origin: string;
  readonly createdAt: number;
}

export interface MediaWrite extends StoredMedia {
  readonly data: Buffer;
  readonly thumbnail: Buffer | null;
  /** Of the file as it arrived, before normalisation. */
  readonly receivedSha256: string;
  /** The device's id for the transfer, so a resent manifest finds the stored file. */
  readonly deviceMediaId: string | null;
}

const COLUMNS = `id, case_id AS caseId, kind, content_type AS contentType, bytes, sha256, width, height, duration_ms AS durationMs,
  origin, created_at AS createdAt`;

/**
 * Photos and recordings of a case, in the encrypted database. Adding or deleting one queues the
 * case in the outbox in the same transaction, as every case change does.
 */
export class MediaRepository {
  constructor(private readonly db: SqliteDatabase) {}

  insert(media: MediaWrite): StoredMedia {
    this.db
      .prepare(
        `INSERT INTO media (id, case_id, kind, content_type, bytes, sha256, data, thumbnail, created_at, width, height, duration_ms,
           origin, received_sha256, device_media_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        media.id, media.caseId, media.kind, media.contentType, media.bytes, media.sha256, media.data, media.thumbnail, media.createdAt,
        media.width, media.height, media.durationMs, media.origin, media.receivedSha256, media.deviceMediaId,
      );
    this.enqueue(media.caseId, media.id, media.createdAt);
    return this.get(media.id)!;
  }

  get(id: string): StoredMedia | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM media WHERE id = ?`).get(id) as StoredMedia | undefined;
  }

  forCase(caseId: string): StoredMedia[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM media WHERE case_id = ? ORDER BY created_at, id`).all(caseId) as StoredMedia[];
  }

  /** The stored file: the normalised JPEG or the 16 kHz WAV. */
  data(id: string): Buffer | undefined {
    return (this.db.prepare('SELECT data FROM media WHERE id = ?').get(id) as { data: Buffer } | undefined)?.data;
  }

  /** undefined: no such media; null: it has no thumbnail (a recording). */
  thumbnail(id: string): Buffer | null | undefined {
    return (this.db.prepare('SELECT thumbnail FROM media WHERE id = ?').get(id) as { thumbnail: Buffer | null } | undefined)?.thumbnail;
  }

  /** What a device already delivered under its own transfer id. */
  fromDevice(origin: string, deviceMediaId: string): (StoredMedia & { receivedSha256: string }) | undefined {
    return this.db
      .prepare(`SELECT ${COLUMNS}, received_sha256 AS receivedSha256 FROM media WHERE origin = ? AND device_media_id = ?`)
      .get(origin, deviceMediaId) as (StoredMedia & { receivedSha256: string }) | undefined;
  }

  /** Deletes the row (secure_delete zeroes its pages); false when there was none. Call purge() after the commit. */
  remove(id: string, now: number): boolean {
    const row = this.get(id);
    if (!row) return false;
    this.db.prepare('DELETE FROM media WHERE id = ?').run(id);
    this.enqueue(row.caseId, id, now);
    return true;
  }

  /**
   * Folds the WAL into the main file and truncates it. Until then the WAL keeps the page images
   * from before a delete; after it, only the zeroed pages remain. Must run outside a transaction.
   */
  purge(): { complete: boolean } {
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return { complete: result?.busy === 0 };
  }

  private enqueue(caseId: string, mediaId: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO outbox (case_id, resource_type, resource_id, priority, created_at)
         SELECT id, 'Media', ?, CASE WHEN acuity <= 2 THEN 1 ELSE 3 END, ? FROM cases WHERE id = ?`,
      )
      .run(mediaId, now, caseId);
  }
}

/** A device transfer as staged: its manifest (as the device sent it) and the chunks received so far. */
export interface StagedTransfer {
  readonly deviceId: string;
  readonly mediaId: string;
  readonly caseId: string;
  readonly manifest: unknown;
  readonly startedAt: number;
  readonly chunks: ReadonlyArray<{ readonly index: number; readonly data: Buffer }>;
}

/** Device media transfers in progress. A chunk is committed here before the device gets its PUBACK. */
export class MediaTransferStaging {
  private readonly insertChunk;

  constructor(private readonly db: SqliteDatabase) {
    this.insertChunk = db.prepare('INSERT INTO media_chunks (device_id, media_id, idx, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  }

  begin(transfer: { deviceId: string; mediaId: string; caseId: string; manifest: unknown; now: number }): void {
    this.db
      .prepare('INSERT INTO media_transfers (device_id, media_id, case_id, manifest, started_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(transfer.deviceId, transfer.mediaId, transfer.caseId, JSON.stringify(transfer.manifest), transfer.now);
  }

  /** The case the transfer belongs to (the active case when its manifest arrived), or undefined. */
  caseOf(deviceId: string, mediaId: string): string | undefined {
    const row = this.db.prepare('SELECT case_id AS caseId FROM media_transfers WHERE device_id = ? AND media_id = ?').get(deviceId, mediaId);
    return (row as { caseId: string } | undefined)?.caseId;
  }

  /** Idempotent: a resent chunk (same index) changes nothing. */
  chunk(deviceId: string, mediaId: string, index: number, data: Buffer): void {
    this.insertChunk.run(deviceId, mediaId, index, data);
  }

  /** Removes the transfer and its chunks (secure_delete zeroes them). */
  drop(deviceId: string, mediaId: string): void {
    this.db.prepare('DELETE FROM media_transfers WHERE device_id = ? AND media_id = ?').run(deviceId, mediaId);
  }

  /** Every staged transfer with its chunks, oldest first: what a restart resumes from. */
  all(): StagedTransfer[] {
    const transfers = this.db
      .prepare('SELECT device_id AS deviceId, media_id AS mediaId, case_id AS caseId, manifest, started_at AS startedAt FROM media_transfers ORDER BY started_at')
      .all() as Array<Omit<StagedTransfer, 'chunks' | 'manifest'> & { manifest: string }>;
    const chunks = this.db.prepare('SELECT idx AS "index", data FROM media_chunks WHERE device_id = ? AND media_id = ? ORDER BY idx');
    return transfers.map((t) => ({
      ...t,
      manifest: JSON.parse(t.manifest) as unknown,
      chunks: chunks.all(t.deviceId, t.mediaId) as Array<{ index: number; data: Buffer }>,
    }));
  }

  count(): { transfers: number; chunks: number } {
    const transfers = (this.db.prepare('SELECT count(*) AS n FROM media_transfers').get() as { n: number }).n;
    const chunks = (this.db.prepare('SELECT count(*) AS n FROM media_chunks').get() as { n: number }).n;
    return { transfers, chunks };
  }
}
