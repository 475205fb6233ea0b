import type { SqliteDatabase } from './database.js';

/** One chunk of int16 samples from one device channel, as written. */
export interface WaveformChunkWrite {
  readonly deviceRef: number;
  readonly kind: string;
  readonly seq: number;
  readonly startedAt: number;
  readonly sampleRateHz: number;
  readonly sampleCount: number;
  /** int16 little-endian. */
  readonly samples: Buffer;
  readonly gapBeforeMs: number | null;
  readonly caseRef: number | null;
}

/** Per item: true when stored now, false when (device, kind, seq) was already stored. */
export function waveformChunkWriter(db: SqliteDatabase): (items: readonly WaveformChunkWrite[]) => boolean[] {
  const insert = db.prepare(
    `INSERT INTO waveform_chunks (device_ref, kind, seq, started_at, sample_rate_hz, sample_count, samples, gap_before_ms, case_ref)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return (items) =>
    items.map(
      (w) => insert.run(w.deviceRef, w.kind, w.seq, w.startedAt, w.sampleRateHz, w.sampleCount, w.samples, w.gapBeforeMs, w.caseRef).changes === 1,
    );
}
