/**
 * Continuity of one waveform stream, per (device, kind). Runs on the device's own timeline
 * (deviceTs): a skew correction that starts mid-stream must not look like a gap in the signal.
 * A discontinuity is anything beyond one sample period, the resolution of the signal itself.
 */
export interface ChunkTiming {
  readonly seq: number;
  readonly deviceTs: number;
  readonly sampleRateHz: number;
  readonly sampleCount: number;
}

export type Continuity = 'first' | 'contiguous' | 'gap' | 'overlap' | 'out-of-order' | 'duplicate';

export interface ContinuityReport {
  readonly continuity: Continuity;
  /** Signal missing before this chunk, in ms: null when unknown (first, out of order, duplicate). */
  readonly gapBeforeMs: number | null;
  /** How far this chunk starts before the previous one ended, in ms; 0 unless 'overlap'. */
  readonly overlapMs: number;
  /** Chunks skipped by seq between the previous chunk and this one. */
  readonly missedChunks: number;
}

export class WaveformGapDetector {
  private last: ChunkTiming | undefined;

  observe(chunk: ChunkTiming): ContinuityReport {
    const previous = this.last;
    if (previous === undefined) return this.advance(chunk, 'first', null);
    if (chunk.seq === previous.seq) return { continuity: 'duplicate', gapBeforeMs: null, overlapMs: 0, missedChunks: 0 };
    // Order is the device's seq; a clock stepping back with seq still rising is an overlap.
    if (chunk.seq < previous.seq) return { continuity: 'out-of-order', gapBeforeMs: null, overlapMs: 0, missedChunks: 0 };
    const expectedStart = previous.deviceTs + (previous.sampleCount * 1000) / previous.sampleRateHz;
    const delta = chunk.deviceTs - expectedStart;
    const period = 1000 / chunk.sampleRateHz;
    const missedChunks = chunk.seq - previous.seq - 1;
    if (delta > period) return this.advance(chunk, 'gap', Math.round(delta), 0, missedChunks);
    if (delta < -period) return this.advance(chunk, 'overlap', 0, Math.round(-delta), missedChunks);
    return this.advance(chunk, 'contiguous', 0, 0, missedChunks);
  }

  reset(): void {
    this.last = undefined;
  }

  private advance(chunk: ChunkTiming, continuity: Continuity, gapBeforeMs: number | null, overlapMs = 0, missedChunks = 0): ContinuityReport {
    this.last = chunk;
    return { continuity, gapBeforeMs, overlapMs, missedChunks };
  }
}
