import { z } from 'zod';
import type { FieldIssue } from '../errors.js';
import { DEFAULT_AUDIO_LIMITS } from './audio-process.js';
import { sha256Hex } from './digest.js';
import { MediaError } from './errors.js';
import { DEFAULT_IMAGE_LIMITS } from './image-process.js';

export const mediaManifestSchema = z
  .object({
    mediaId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, - or _'),
    kind: z.enum(['image', 'audio']),
    contentType: z.string().min(1).max(100),
    totalBytes: z.number().int().positive(),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
      .transform((hex) => hex.toLowerCase()),
    chunkCount: z.number().int().positive(),
  })
  .refine((m) => m.contentType.toLowerCase().startsWith(`${m.kind}/`), { path: ['contentType'], message: 'must match kind' })
  .refine((m) => m.chunkCount <= m.totalBytes, { path: ['chunkCount'], message: 'cannot exceed totalBytes (no chunk is empty)' });

export type MediaManifest = z.output<typeof mediaManifestSchema>;

const chunkSchema = z.object({
  index: z.number().int().min(0),
  data: z.instanceof(Uint8Array).refine((data) => data.length > 0, 'must not be empty'),
});

export type MediaChunk = z.input<typeof chunkSchema>;

export interface ReassemblyLimits {
  /** A transfer with no manifest or chunk for this long is dropped. */
  timeoutMs: number;
  maxConcurrentTransfers: number;
  /** Sum of the declared sizes of all open transfers, reserved when the manifest arrives. */
  maxBytesInFlight: number;
  maxBytes: { image: number; audio: number };
  maxChunkCount: number;
}

export interface ReassemblyOptions extends ReassemblyLimits {
  /** Milliseconds; injected so that expiry is driven by the caller, never by hidden timers. */
  now: () => number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = Object.freeze({
  timeoutMs: 120_000,
  maxConcurrentTransfers: 16,
  maxBytesInFlight: 128 * 1024 * 1024,
  maxBytes: { image: DEFAULT_IMAGE_LIMITS.maxBytes, audio: DEFAULT_AUDIO_LIMITS.maxBytes },
  maxChunkCount: 4096,
});

export interface TransferProgress {
  deviceId: string;
  mediaId: string;
  chunkCount: number;
  receivedChunks: number;
  receivedBytes: number;
  /** Indices still to send, ascending: what a device resumes with after a reconnect. */
  missing: number[];
}

export interface ReassembledMedia {
  deviceId: string;
  manifest: MediaManifest;
  /** Exactly totalBytes, sha256 verified against the manifest. */
  data: Buffer;
}

export interface ExpiredTransfer {
  deviceId: string;
  mediaId: string;
  receivedChunks: number;
  chunkCount: number;
}

export type BeginOutcome = { status: 'receiving'; progress: TransferProgress } | { status: 'already-complete'; mediaId: string };

export type ChunkOutcome =
  | { status: 'receiving'; mediaId: string; receivedChunks: number; chunkCount: number }
  | { status: 'complete'; media: ReassembledMedia }
  | { status: 'already-complete'; mediaId: string };

interface Transfer {
  deviceId: string;
  manifest: MediaManifest;
  chunks: (Buffer | undefined)[];
  receivedChunks: number;
  receivedBytes: number;
  lastActivity: number;
}

/** How recently finished transfers are remembered, so late resends get a precise answer. */
interface Outcome {
  result: 'complete' | 'expired';
  sha256: string;
  at: number;
}

const MAX_REMEMBERED_OUTCOMES = 1024;

/**
 * Rebuilds media sent in chunks (over MQTT, but nothing here knows that). State is keyed by device
 * and mediaId, never by connection, so a device that reconnects resumes by re-sending the manifest
 * (answered with the missing chunk indices) and then those chunks. Chunks may come in any order and
 * more than once. Memory is bounded by a cap on open transfers and on the bytes they may hold.
 */
export class MediaReassembler {
  private readonly transfers = new Map<string, Transfer>();
  private readonly outcomes = new Map<string, Outcome>();
  private reservedBytes = 0;

  constructor(private readonly options: ReassemblyOptions) {}

  begin(deviceId: string, manifestInput: unknown): BeginOutcome {
    const manifest = this.parseManifest(manifestInput);
    const key = keyOf(deviceId, manifest.mediaId);
    const now = this.options.now();
    const open = this.openTransfer(key, now);
    if (open) {
      if (!sameManifest(open.manifest, manifest)) {
        throw new MediaError('MEDIA_MANIFEST_INVALID', 'A different manifest is already in transfer under this mediaId', {
          issues: [{ field: 'mediaId', problem: 'already in use by another transfer' }],
        });
      }
      open.lastActivity = now;
      return { status: 'receiving', progress: progressOf(open) };
    }
    const outcome = this.outcomes.get(key);
    if (outcome?.result === 'complete' && outcome.sha256 === manifest.sha256) return { status: 'already-complete', mediaId: manifest.mediaId };
    this.outcomes.delete(key);
    this.reserve(manifest.totalBytes);
    const transfer: Transfer = { deviceId, manifest, chunks: new Array(manifest.chunkCount), receivedChunks: 0, receivedBytes: 0, lastActivity: now };
    this.transfers.set(key, transfer);
    return { status: 'receiving', progress: progressOf(transfer) };
  }

  accept(deviceId: string, mediaId: string, chunkInput: unknown): ChunkOutcome {
    const chunk = parseChunk(chunkInput);
    const key = keyOf(deviceId, mediaId);
    const now = this.options.now();
    const transfer = this.openTransfer(key, now);
    if (!transfer) return this.answerWithoutTransfer(key, mediaId);
    storeChunk(transfer, chunk.index, chunk.data);
    transfer.lastActivity = now;
    const { receivedChunks, manifest } = transfer;
    if (receivedChunks < manifest.chunkCount) return { status: 'receiving', mediaId, receivedChunks, chunkCount: manifest.chunkCount };
    return { status: 'complete', media: this.finish(key, transfer, now) };
  }

  progress(deviceId: string, mediaId: string): TransferProgress | undefined {
    const transfer = this.transfers.get(keyOf(deviceId, mediaId));
    return transfer && progressOf(transfer);
  }

  /** Drops transfers idle for timeoutMs or longer and reports them, so the transport can tell the devices. */
  expire(now: number = this.options.now()): ExpiredTransfer[] {
    const expired: ExpiredTransfer[] = [];
    for (const [key, transfer] of this.transfers) {
      if (now - transfer.lastActivity < this.options.timeoutMs) continue;
      this.drop(key, transfer, 'expired', now);
      const { deviceId, manifest, receivedChunks } = transfer;
      expired.push({ deviceId, mediaId: manifest.mediaId, receivedChunks, chunkCount: manifest.chunkCount });
    }
    for (const [key, outcome] of this.outcomes) {
      if (now - outcome.at >= this.options.timeoutMs) this.outcomes.delete(key);
    }
    return expired;
  }

  get usage(): { transfers: number; reservedBytes: number; bufferedBytes: number } {
    let bufferedBytes = 0;
    for (const transfer of this.transfers.values()) bufferedBytes += transfer.receivedBytes;
    return { transfers: this.transfers.size, reservedBytes: this.reservedBytes, bufferedBytes };
  }

  private parseManifest(input: unknown): MediaManifest {
    const parsed = mediaManifestSchema.safeParse(input);
    if (!parsed.success) {
      throw new MediaError('MEDIA_MANIFEST_INVALID', 'The transfer manifest is invalid', { issues: issuesOf(parsed.error) });
    }
    const manifest = parsed.data;
    const limit = Math.min(this.options.maxBytes[manifest.kind], this.options.maxBytesInFlight);
    if (manifest.totalBytes > limit) {
      throw new MediaError('MEDIA_TOO_LARGE', `The ${manifest.kind} is ${manifest.totalBytes} bytes; the limit is ${limit}`);
    }
    if (manifest.chunkCount > this.options.maxChunkCount) {
      throw new MediaError('MEDIA_MANIFEST_INVALID', 'The transfer manifest is invalid', {
        issues: [{ field: 'chunkCount', problem: `must be at most ${this.options.maxChunkCount}` }],
      });
    }
    return manifest;
  }

  /** The open transfer under key, unless it has gone stale (then it is dropped as expired). */
  private openTransfer(key: string, now: number): Transfer | undefined {
    const transfer = this.transfers.get(key);
    if (transfer && now - transfer.lastActivity >= this.options.timeoutMs) {
      this.drop(key, transfer, 'expired', now);
      return undefined;
    }
    return transfer;
  }

  private answerWithoutTransfer(key: string, mediaId: string): ChunkOutcome {
    const outcome = this.outcomes.get(key);
    if (outcome?.result === 'complete') return { status: 'already-complete', mediaId };
    if (outcome?.result === 'expired') {
      throw new MediaError('MEDIA_REASSEMBLY_TIMEOUT', 'The transfer stalled and was dropped; send the manifest again');
    }
    throw new MediaError('MEDIA_TRANSFER_UNKNOWN', 'No transfer is open under this mediaId; send the manifest first');
  }

  private reserve(totalBytes: number): void {
    if (this.transfers.size >= this.options.maxConcurrentTransfers) {
      throw new MediaError('MEDIA_TRANSFER_BUSY', `${this.transfers.size} transfers are already open`);
    }
    if (this.reservedBytes + totalBytes > this.options.maxBytesInFlight) {
      throw new MediaError('MEDIA_TRANSFER_BUSY', 'Too many bytes are already in transfer');
    }
    this.reservedBytes += totalBytes;
  }

  private finish(key: string, transfer: Transfer, now: number): ReassembledMedia {
    const { manifest } = transfer;
    const data = Buffer.concat(transfer.chunks as Buffer[], transfer.receivedBytes);
    if (data.length !== manifest.totalBytes) {
      this.drop(key, transfer, undefined, now);
      throw new MediaError('MEDIA_CHECKSUM_MISMATCH', `Reassembled ${data.length} bytes; the manifest declares ${manifest.totalBytes}`);
    }
    if (sha256Hex(data) !== manifest.sha256) {
      this.drop(key, transfer, undefined, now);
      throw new MediaError('MEDIA_CHECKSUM_MISMATCH', 'The reassembled bytes do not match the manifest sha256');
    }
    this.drop(key, transfer, 'complete', now);
    return { deviceId: transfer.deviceId, manifest, data };
  }

  private drop(key: string, transfer: Transfer, result: Outcome['result'] | undefined, now: number): void {
    this.transfers.delete(key);
    this.reservedBytes -= transfer.manifest.totalBytes;
    if (!result) return;
    this.outcomes.delete(key);
    this.outcomes.set(key, { result, sha256: transfer.manifest.sha256, at: now });
    if (this.outcomes.size > MAX_REMEMBERED_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value!);
  }
}

function parseChunk(input: unknown): z.output<typeof chunkSchema> {
  const parsed = chunkSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new MediaError('MEDIA_CHUNK_INVALID', 'The chunk is invalid', { issues: issuesOf(parsed.error) });
}

/** Same index, same bytes: a resend, ignored. Same index, other bytes: refused, the first copy stays. */
function storeChunk(transfer: Transfer, index: number, data: Uint8Array): void {
  if (index >= transfer.manifest.chunkCount) {
    throw new MediaError('MEDIA_CHUNK_INVALID', `Chunk index ${index} is outside the manifest's ${transfer.manifest.chunkCount} chunks`, {
      issues: [{ field: 'index', problem: `must be below ${transfer.manifest.chunkCount}` }],
    });
  }
  const held = transfer.chunks[index];
  if (held) {
    if (held.equals(data)) return;
    throw new MediaError('MEDIA_CHUNK_INVALID', `Chunk ${index} was resent with different bytes`, {
      issues: [{ field: 'data', problem: 'differs from the earlier copy of this chunk' }],
    });
  }
  if (transfer.receivedBytes + data.length > transfer.manifest.totalBytes) {
    throw new MediaError('MEDIA_CHUNK_INVALID', `Chunk ${index} would exceed the manifest's totalBytes`, {
      issues: [{ field: 'data', problem: 'more bytes than the manifest declares' }],
    });
  }
  transfer.chunks[index] = Buffer.from(data);
  transfer.receivedChunks += 1;
  transfer.receivedBytes += data.length;
}

function progressOf(transfer: Transfer): TransferProgress {
  const missing: number[] = [];
  for (let index = 0; index < transfer.manifest.chunkCount; index++) if (!transfer.chunks[index]) missing.push(index);
  const { deviceId, manifest, receivedChunks, receivedBytes } = transfer;
  return { deviceId, mediaId: manifest.mediaId, chunkCount: manifest.chunkCount, receivedChunks, receivedBytes, missing };
}

function sameManifest(a: MediaManifest, b: MediaManifest): boolean {
  return a.kind === b.kind && a.contentType === b.contentType && a.totalBytes === b.totalBytes && a.sha256 === b.sha256 && a.chunkCount === b.chunkCount;
}

function keyOf(deviceId: string, mediaId: string): string {
  return JSON.stringify([deviceId, mediaId]);
}

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', problem: issue.message }));
}
