import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CloudError } from '../errors.js';
import { closeSqlite, openSqlite, scrubDeleted, type Migrations, type SqliteDatabase } from '../sqlite/index.js';
import type { MediaChunk, MediaChunkDescriptor } from './framing.js';

export const MEDIA_FILE = 'media.db';

const MIGRATIONS: Migrations = [
  `CREATE TABLE media_transfers (
     appliance_id TEXT NOT NULL,
     media_id TEXT NOT NULL,
     descriptor TEXT NOT NULL,
     opened_at INTEGER NOT NULL,
     completed_at INTEGER,
     PRIMARY KEY (appliance_id, media_id)
   ) WITHOUT ROWID;
   CREATE TABLE media_chunks (
     appliance_id TEXT NOT NULL,
     media_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     bytes BLOB NOT NULL,
     PRIMARY KEY (appliance_id, media_id, idx)
   ) WITHOUT ROWID;`,
];

export type ChunkOutcome =
  | { status: 'receiving'; receivedChunks: number; chunkCount: number }
  | { status: 'complete'; descriptor: MediaChunkDescriptor; data: Buffer }
  | { status: 'already-complete' };

/** The descriptor without the chunk's own index: what every chunk of one file must agree on. */
function transferKey(descriptor: MediaChunkDescriptor): string {
  const { index: _index, ...shared } = descriptor;
  return JSON.stringify(shared, Object.keys(shared).sort());
}

/**
 * Chunks keyed by (appliance, mediaId, index), kept in SQLite until the file is whole. A chunk
 * sent again with the same bytes changes nothing; with different bytes it is refused and the
 * first copy kept. When the last chunk is in, the file is joined and checked against its size
 * and SHA-256; the caller stores it and then calls complete().
 */
export class MediaStore {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      transfer: db.prepare<[string, string], { descriptor: string; completed_at: number | null }>(
        'SELECT descriptor, completed_at FROM media_transfers WHERE appliance_id = ? AND media_id = ?',
      ),
      open: db.prepare('INSERT INTO media_transfers (appliance_id, media_id, descriptor, opened_at) VALUES (?, ?, ?, ?)'),
      chunk: db.prepare<[string, string, number], { bytes: Buffer }>('SELECT bytes FROM media_chunks WHERE appliance_id = ? AND media_id = ? AND idx = ?'),
      insertChunk: db.prepare('INSERT INTO media_chunks (appliance_id, media_id, idx, bytes) VALUES (?, ?, ?, ?)'),
      tally: db.prepare<[string, string], { chunks: number; bytes: number }>(
        'SELECT count(*) AS chunks, coalesce(sum(length(bytes)), 0) AS bytes FROM media_chunks WHERE appliance_id = ? AND media_id = ?',
      ),
      chunks: db.prepare<[string, string], { bytes: Buffer }>('SELECT bytes FROM media_chunks WHERE appliance_id = ? AND media_id = ? ORDER BY idx'),
      dropChunks: db.prepare('DELETE FROM media_chunks WHERE appliance_id = ? AND media_id = ?'),
      dropTransfer: db.prepare('DELETE FROM media_transfers WHERE appliance_id = ? AND media_id = ?'),
      markComplete: db.prepare('UPDATE media_transfers SET completed_at = ? WHERE appliance_id = ? AND media_id = ?'),
      staleTransfers: db.prepare<[number], { appliance_id: string; media_id: string }>(
        'SELECT appliance_id, media_id FROM media_transfers WHERE completed_at IS NULL AND opened_at < ?',
      ),
    };
  }

  static open(stateDir: string): MediaStore {
    return new MediaStore(openSqlite(join(stateDir, MEDIA_FILE), MIGRATIONS));
  }

  accept(applianceId: string, chunk: MediaChunk, now: number): ChunkOutcome {
    const { descriptor } = chunk;
    const outcome = this.db.transaction((): ChunkOutcome | { status: 'mismatch' } => {
      const transfer = this.statements.transfer.get(applianceId, descriptor.mediaId);
      if (transfer && transferKey(JSON.parse(transfer.descriptor) as MediaChunkDescriptor) !== transferKey(descriptor)) {
        throw new CloudError('MEDIA_CHUNK_INVALID', 'Media chunk describes its file differently from the chunks before it', { issues: [{ field: 'descriptor', problem: 'differs from the open transfer' }] });
      }
      if (transfer?.completed_at != null) return { status: 'already-complete' };
      if (!transfer) this.statements.open.run(applianceId, descriptor.mediaId, JSON.stringify(descriptor), now);
      this.storeChunk(applianceId, chunk);
      const tally = this.statements.tally.get(applianceId, descriptor.mediaId)!;
      if (tally.chunks < descriptor.chunkCount) return { status: 'receiving', receivedChunks: tally.chunks, chunkCount: descriptor.chunkCount };
      return this.join(applianceId, descriptor);
    }).immediate();
    if (outcome.status === 'mismatch') throw new CloudError('MEDIA_CHECKSUM_MISMATCH', 'The joined media file does not match its declared size and SHA-256');
    return outcome;
  }

  /** The file is stored elsewhere now: its chunks go, the transfer is remembered as done. */
  complete(applianceId: string, mediaId: string, now: number): void {
    this.db.transaction(() => {
      this.statements.markComplete.run(now, applianceId, mediaId);
      this.statements.dropChunks.run(applianceId, mediaId);
    }).immediate();
    // The file now lives in the FHIR store only: its chunks must not linger here.
    scrubDeleted(this.db);
  }

  /** Transfers opened before `before` and never finished: their chunks are dropped; the appliance sends them again. */
  dropStale(before: number): number {
    const stale = this.statements.staleTransfers.all(before);
    this.db.transaction(() => {
      for (const transfer of stale) {
        this.statements.dropChunks.run(transfer.appliance_id, transfer.media_id);
        this.statements.dropTransfer.run(transfer.appliance_id, transfer.media_id);
      }
    }).immediate();
    if (stale.length > 0) scrubDeleted(this.db);
    return stale.length;
  }

  close(): void {
    closeSqlite(this.db);
  }

  private storeChunk(applianceId: string, { descriptor, bytes }: MediaChunk): void {
    const earlier = this.statements.chunk.get(applianceId, descriptor.mediaId, descriptor.index);
    if (earlier) {
      if (!earlier.bytes.equals(bytes)) throw new CloudError('MEDIA_CHUNK_INVALID', 'Media chunk was sent before with different bytes', { issues: [{ field: 'index', problem: 'already received with different bytes' }] });
      return;
    }
    const { bytes: stored } = this.statements.tally.get(applianceId, descriptor.mediaId)!;
    if (stored + bytes.length > descriptor.totalBytes) throw new CloudError('MEDIA_CHUNK_INVALID', 'Media chunks exceed the declared size', { issues: [{ field: 'totalBytes', problem: 'exceeded by the chunks received' }] });
    this.statements.insertChunk.run(applianceId, descriptor.mediaId, descriptor.index, bytes);
  }

  /** A whole file that fails its size or hash is dropped (committed, not rolled back), so a clean resend can start over. */
  private join(applianceId: string, descriptor: MediaChunkDescriptor): ChunkOutcome | { status: 'mismatch' } {
    const data = Buffer.concat(this.statements.chunks.all(applianceId, descriptor.mediaId).map((row) => row.bytes));
    if (data.length === descriptor.totalBytes && createHash('sha256').update(data).digest('hex') === descriptor.sha256) return { status: 'complete', descriptor, data };
    this.statements.dropChunks.run(applianceId, descriptor.mediaId);
    this.statements.dropTransfer.run(applianceId, descriptor.mediaId);
    return { status: 'mismatch' };
  }
}
