import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLAY_WINDOW, IngestError, admitSeq, classifySeq, type SeqClass } from '../../src/ingest/payloads/index.js';

describe('classifySeq', () => {
  it.each<[number | null | undefined, number, number, SeqClass]>([
    [null, 0, 1024, 'new'],
    [undefined, 5, 1024, 'new'],
    [10, 11, 1024, 'new'],
    [10, 10_000, 1024, 'new'],
    [10, 10, 1024, 'duplicate-or-late'],
    [10, 9, 1024, 'duplicate-or-late'],
    [5, 0, 1024, 'duplicate-or-late'],
    [2000, 976, 1024, 'duplicate-or-late'],
    [2000, 975, 1024, 'stale'],
    [10, 7, 2, 'stale'],
    [10, 10, 0, 'duplicate-or-late'],
    [10, 9, 0, 'stale'],
  ])('last %s, seq %s, window %s → %s', (last, seq, window, expected) => {
    expect(classifySeq(last, seq, window)).toBe(expected);
  });

  it(`uses a replay window of ${DEFAULT_REPLAY_WINDOW} by default`, () => {
    expect(classifySeq(5000, 5000 - DEFAULT_REPLAY_WINDOW)).toBe('duplicate-or-late');
    expect(classifySeq(5000, 4999 - DEFAULT_REPLAY_WINDOW)).toBe('stale');
  });
});

describe('admitSeq', () => {
  it('passes a new or repeated seq through for the store to handle idempotently', () => {
    expect(admitSeq(10, 11)).toBe('new');
    expect(admitSeq(10, 10)).toBe('duplicate-or-late');
  });

  it('refuses a stale seq as SEQ_STALE naming the refused seq', () => {
    const error = (() => {
      try {
        admitSeq(5000, 12, 100);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: 'SEQ_STALE', seq: 12, issues: [{ field: 'seq', code: 'SEQ_STALE' }] });
  });
});
