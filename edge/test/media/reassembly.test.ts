import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MediaError, MediaReassembler, type MediaErrorCode, type ReassemblyLimits } from '../../src/media/index.js';

const LIMITS: ReassemblyLimits = {
  timeoutMs: 60_000,
  maxConcurrentTransfers: 3,
  maxBytesInFlight: 10_000,
  maxBytes: { image: 8_000, audio: 9_000 },
  maxChunkCount: 64,
};

function setup(limits: Partial<ReassemblyLimits> = {}): { reassembler: MediaReassembler; clock: { ms: number } } {
  const clock = { ms: 1_000_000 };
  return { reassembler: new MediaReassembler({ ...LIMITS, ...limits, now: () => clock.ms }), clock };
}

function upload(size: number, chunkSize: number, mediaId = 'photo-1') {
  const bytes = randomBytes(size);
  const chunks: Buffer[] = [];
  for (let at = 0; at < size; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const manifest = {
    mediaId,
    kind: 'image' as const,
    contentType: 'image/jpeg',
    totalBytes: size,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    chunkCount: chunks.length,
  };
  return { bytes, chunks, manifest };
}

function thrown(action: () => unknown): MediaError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(MediaError);
    return error as MediaError;
  }
  throw new Error('expected a refusal');
}

describe('reassembly', () => {
  it('rebuilds the file from chunks sent out of order and more than once', () => {
    const { reassembler } = setup();
    const { bytes, chunks, manifest } = upload(5000, 512);
    expect(reassembler.begin('tablet-1', manifest)).toMatchObject({ status: 'receiving', progress: { missing: chunks.map((_, i) => i) } });
    const order = [9, 3, 3, 0, 7, 1, 9, 2, 8, 5, 4, 6];
    const outcomes = order.map((index) => reassembler.accept('tablet-1', 'photo-1', { index, data: chunks[index]! }));
    expect(outcomes.slice(0, -1).every((outcome) => outcome.status === 'receiving')).toBe(true);
    const last = outcomes.at(-1)!;
    expect(last.status).toBe('complete');
    if (last.status !== 'complete') return;
    expect(last.media.data.equals(bytes)).toBe(true);
    expect(last.media).toMatchObject({ deviceId: 'tablet-1', manifest: { mediaId: 'photo-1', kind: 'image', totalBytes: 5000 } });
    expect(reassembler.usage).toEqual({ transfers: 0, reservedBytes: 0, bufferedBytes: 0 });
  });

  it('survives a reconnect: the manifest sent again answers with the chunks still missing', () => {
    const { reassembler } = setup();
    const { bytes, chunks, manifest } = upload(3000, 500);
    reassembler.begin('tablet-1', manifest);
    for (const index of [0, 2, 4]) reassembler.accept('tablet-1', 'photo-1', { index, data: chunks[index]! });
    // connection dropped here; the device comes back on a new connection with the same manifest
    const resumed = reassembler.begin('tablet-1', manifest);
    expect(resumed).toMatchObject({ status: 'receiving', progress: { receivedChunks: 3, receivedBytes: 1500, missing: [1, 3, 5] } });
    const outcomes = [1, 3, 5].map((index) => reassembler.accept('tablet-1', 'photo-1', { index, data: chunks[index]! }));
    const last = outcomes.at(-1)!;
    expect(last.status === 'complete' && last.media.data.equals(bytes)).toBe(true);
  });

  it('keeps transfers of two devices apart even under the same mediaId', () => {
    const { reassembler } = setup();
    const a = upload(1000, 1000, 'same');
    const b = upload(1200, 1200, 'same');
    reassembler.begin('tablet-a', a.manifest);
    reassembler.begin('tablet-b', b.manifest);
    const fromB = reassembler.accept('tablet-b', 'same', { index: 0, data: b.chunks[0]! });
    const fromA = reassembler.accept('tablet-a', 'same', { index: 0, data: a.chunks[0]! });
    expect(fromA.status === 'complete' && fromA.media.data.equals(a.bytes)).toBe(true);
    expect(fromB.status === 'complete' && fromB.media.data.equals(b.bytes)).toBe(true);
  });

  it('answers a late resend after completion as already complete, for chunks and for the manifest', () => {
    const { reassembler } = setup();
    const { chunks, manifest } = upload(800, 400);
    reassembler.begin('tablet-1', manifest);
    reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    expect(reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]! }).status).toBe('complete');
    expect(reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]! })).toEqual({ status: 'already-complete', mediaId: 'photo-1' });
    expect(reassembler.begin('tablet-1', manifest)).toEqual({ status: 'already-complete', mediaId: 'photo-1' });
  });
});

describe('integrity', () => {
  it('refuses a file whose bytes do not hash to the manifest sha256, and frees its reservation', () => {
    const { reassembler } = setup();
    const { chunks, manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    const tampered = Buffer.from(chunks[1]!);
    tampered[10] = tampered[10]! ^ 0xff;
    expect(thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 1, data: tampered })).code).toBe('MEDIA_CHECKSUM_MISMATCH');
    expect(reassembler.usage.reservedBytes).toBe(0);
    expect(thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]! })).code).toBe('MEDIA_TRANSFER_UNKNOWN');
  });

  it('refuses a file that ends up shorter than the manifest says', () => {
    const { reassembler } = setup();
    const { chunks, manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    const error = thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]!.subarray(0, 100) }));
    expect(error.code).toBe('MEDIA_CHECKSUM_MISMATCH');
    expect(error.message).toBe('Reassembled 600 bytes; the manifest declares 1000');
  });

  const chunkCases: { name: string; chunk: (chunks: Buffer[]) => unknown; field: string }[] = [
    { name: 'an index beyond the manifest', chunk: (c) => ({ index: 2, data: c[0] }), field: 'index' },
    { name: 'a negative index', chunk: (c) => ({ index: -1, data: c[0] }), field: 'index' },
    { name: 'an empty chunk', chunk: () => ({ index: 0, data: Buffer.alloc(0) }), field: 'data' },
    { name: 'data that is not bytes', chunk: () => ({ index: 0, data: 'aGVsbG8=' }), field: 'data' },
    { name: 'more bytes than the manifest declares', chunk: () => ({ index: 0, data: Buffer.alloc(1001) }), field: 'data' },
  ];

  it.each(chunkCases)('refuses $name with MEDIA_CHUNK_INVALID naming the field', ({ chunk, field }) => {
    const { reassembler } = setup();
    const { chunks, manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    const error = thrown(() => reassembler.accept('tablet-1', 'photo-1', chunk(chunks)));
    expect(error.code).toBe('MEDIA_CHUNK_INVALID');
    expect(error.issues.map((issue) => issue.field)).toEqual([field]);
  });

  it('refuses a chunk resent with different bytes and keeps the first copy', () => {
    const { reassembler } = setup();
    const { bytes, chunks, manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    expect(thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 0, data: randomBytes(500) })).code).toBe('MEDIA_CHUNK_INVALID');
    const last = reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]! });
    expect(last.status === 'complete' && last.media.data.equals(bytes)).toBe(true);
  });
});

describe('manifests', () => {
  it('names every bad field of a manifest at once', () => {
    const { reassembler } = setup();
    const error = thrown(() => reassembler.begin('tablet-1', { mediaId: '../etc', kind: 'video', contentType: '', totalBytes: -1, sha256: 'abc', chunkCount: 1.5 }));
    expect(error.code).toBe('MEDIA_MANIFEST_INVALID');
    expect(error.status).toBe(400);
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(['chunkCount', 'contentType', 'kind', 'mediaId', 'sha256', 'totalBytes']);
  });

  it('refuses a content type of the other kind, and more chunks than bytes', () => {
    const { reassembler } = setup();
    const { manifest } = upload(100, 50);
    expect(thrown(() => reassembler.begin('t', { ...manifest, contentType: 'audio/wav' })).issues).toEqual([{ field: 'contentType', problem: 'must match kind' }]);
    expect(thrown(() => reassembler.begin('t', { ...manifest, chunkCount: 101 })).issues[0]?.field).toBe('chunkCount');
  });

  it('refuses a second, different manifest under a mediaId already in transfer', () => {
    const { reassembler } = setup();
    const { manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    expect(thrown(() => reassembler.begin('tablet-1', { ...manifest, totalBytes: 999 })).code).toBe('MEDIA_MANIFEST_INVALID');
  });

  const limitCases: { name: string; code: MediaErrorCode; manifest: Record<string, unknown> }[] = [
    { name: 'an image over the image size limit', code: 'MEDIA_TOO_LARGE', manifest: { totalBytes: 8_001 } },
    { name: 'audio over the audio size limit', code: 'MEDIA_TOO_LARGE', manifest: { kind: 'audio', contentType: 'audio/wav', totalBytes: 9_001 } },
    { name: 'more chunks than allowed', code: 'MEDIA_MANIFEST_INVALID', manifest: { chunkCount: 65 } },
  ];

  it.each(limitCases)('refuses $name with $code', ({ code, manifest: overrides }) => {
    const { reassembler } = setup();
    const { manifest } = upload(1000, 500);
    expect(thrown(() => reassembler.begin('tablet-1', { ...manifest, ...overrides })).code).toBe(code);
  });

  it('refuses a chunk for a transfer that was never announced', () => {
    const { reassembler } = setup();
    expect(thrown(() => reassembler.accept('tablet-1', 'nope', { index: 0, data: Buffer.from('x') })).code).toBe('MEDIA_TRANSFER_UNKNOWN');
  });
});

describe('memory caps', () => {
  it('refuses a transfer beyond the concurrent-transfer cap, and accepts it once one finishes', () => {
    const { reassembler } = setup();
    const uploads = [1, 2, 3, 4].map((n) => upload(100, 100, `m${n}`));
    for (const u of uploads.slice(0, 3)) reassembler.begin('tablet-1', u.manifest);
    const busy = thrown(() => reassembler.begin('tablet-1', uploads[3]!.manifest));
    expect({ code: busy.code, status: busy.status }).toEqual({ code: 'MEDIA_TRANSFER_BUSY', status: 503 });
    reassembler.accept('tablet-1', 'm1', { index: 0, data: uploads[0]!.chunks[0]! });
    expect(reassembler.begin('tablet-1', uploads[3]!.manifest).status).toBe('receiving');
  });

  it('reserves declared sizes against the bytes-in-flight cap when the manifest arrives', () => {
    const { reassembler } = setup();
    const first = upload(6_000, 1_000, 'a');
    const second = upload(5_000, 1_000, 'b');
    reassembler.begin('tablet-1', first.manifest);
    expect(reassembler.usage.reservedBytes).toBe(6_000);
    expect(thrown(() => reassembler.begin('tablet-2', second.manifest)).code).toBe('MEDIA_TRANSFER_BUSY');
    reassembler.accept('tablet-1', 'a', { index: 0, data: first.chunks[0]! });
    expect(reassembler.usage).toEqual({ transfers: 1, reservedBytes: 6_000, bufferedBytes: 1_000 });
  });
});

describe('timeouts', () => {
  it('expires transfers idle for the timeout and reports which, with how far they got', () => {
    const { reassembler, clock } = setup();
    const stalled = upload(1000, 250, 'stalled');
    const active = upload(1000, 250, 'active');
    reassembler.begin('tablet-1', stalled.manifest);
    reassembler.accept('tablet-1', 'stalled', { index: 0, data: stalled.chunks[0]! });
    reassembler.begin('tablet-2', active.manifest);
    clock.ms += 40_000;
    reassembler.accept('tablet-2', 'active', { index: 0, data: active.chunks[0]! });
    clock.ms += 20_000;

    expect(reassembler.expire(clock.ms)).toEqual([{ deviceId: 'tablet-1', mediaId: 'stalled', receivedChunks: 1, chunkCount: 4 }]);
    expect(reassembler.usage).toEqual({ transfers: 1, reservedBytes: 1000, bufferedBytes: 250 });
    expect(reassembler.expire(clock.ms + 39_999)).toEqual([]);
    expect(reassembler.expire(clock.ms + 40_000).map((t) => t.mediaId)).toEqual(['active']);
  });

  it('answers a chunk for an expired transfer with MEDIA_REASSEMBLY_TIMEOUT, and a new manifest starts afresh', () => {
    const { reassembler, clock } = setup();
    const { bytes, chunks, manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    clock.ms += 60_000;
    reassembler.expire(clock.ms);
    const error = thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]! }));
    expect({ code: error.code, status: error.status }).toEqual({ code: 'MEDIA_REASSEMBLY_TIMEOUT', status: 408 });
    expect(reassembler.begin('tablet-1', manifest)).toMatchObject({ progress: { missing: [0, 1] } });
    reassembler.accept('tablet-1', 'photo-1', { index: 1, data: chunks[1]! });
    const last = reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    expect(last.status === 'complete' && last.media.data.equals(bytes)).toBe(true);
  });

  it('treats a stale transfer as expired even before expire() has run', () => {
    const { reassembler, clock } = setup();
    const { chunks, manifest } = upload(1000, 500);
    reassembler.begin('tablet-1', manifest);
    clock.ms += 60_000;
    expect(thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! })).code).toBe('MEDIA_REASSEMBLY_TIMEOUT');
    expect(reassembler.usage.reservedBytes).toBe(0);
  });

  it('forgets finished transfers after another timeout, so memory does not grow with history', () => {
    const { reassembler, clock } = setup();
    const { chunks, manifest } = upload(100, 100);
    reassembler.begin('tablet-1', manifest);
    reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! });
    clock.ms += 60_000;
    reassembler.expire(clock.ms);
    expect(thrown(() => reassembler.accept('tablet-1', 'photo-1', { index: 0, data: chunks[0]! })).code).toBe('MEDIA_TRANSFER_UNKNOWN');
  });
});
