import { WireError, throwIfIssues, type WireIssue } from './errors.js';

/**
 * Envelope format v1 (docs/ENVELOPE.md is the reference). Integers are big-endian.
 *
 *   0   4  magic "H3NE"
 *   4   1  format version (1)
 *   5   1  payload kind code
 *   6   1  compression code
 *   7   1  appliance id length A
 *   8   1  content type length C
 *   9   4  chunk bytes (plaintext bytes per secretstream message)
 *  13   8  sequence
 *  21   8  created at (ms since epoch)
 *  29   8  payload bytes (before compression)
 *  37   8  ciphertext bytes N (all secretstream messages)
 *  45   A  appliance id (ASCII)
 *  45+A C  content type (ASCII)
 *  then 80 sealed stream key, 24 secretstream header, N ciphertext, 64 Ed25519 signature.
 */
export const ENVELOPE_MAGIC = Uint8Array.of(0x48, 0x33, 0x4e, 0x45);
export const ENVELOPE_FORMAT_VERSION = 1;

export const PAYLOAD_KINDS = ['case-bundle', 'alert', 'media-chunk', 'receipt'] as const;
export type PayloadKind = (typeof PAYLOAD_KINDS)[number];

export const COMPRESSIONS = ['none', 'brotli'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Codes are the index plus one, so a zeroed byte is never a valid kind. */
const KIND_CODE_OFFSET = 1;

/** Where each fixed header field starts; the layout comment above is the same table. */
const AT = {
  version: 4,
  kind: 5,
  compression: 6,
  applianceIdLength: 7,
  contentTypeLength: 8,
  chunkBytes: 9,
  sequence: 13,
  createdAt: 21,
  payloadBytes: 29,
  ciphertextBytes: 37,
} as const;
const FIXED_HEADER_BYTES = 45;
export const SEALED_KEY_BYTES = 80;
export const STREAM_HEADER_BYTES = 24;
export const SIGNATURE_BYTES = 64;

export const MIN_CHUNK_BYTES = 1024;
export const MAX_CHUNK_BYTES = 1024 * 1024;
const MAX_APPLIANCE_ID_LENGTH = 64;
const MAX_CONTENT_TYPE_LENGTH = 127;

/** ASCII only: appliance ids end up in logs, keys and paths, where look-alike Unicode ids would be a trap. */
const APPLIANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const CONTENT_TYPE = /^[\x20-\x7e]+$/;

/** What a reader learns from the header. Nothing in it is trustworthy until openEnvelope verified it. */
export interface EnvelopeHeader {
  formatVersion: typeof ENVELOPE_FORMAT_VERSION;
  kind: PayloadKind;
  contentType: string;
  applianceId: string;
  sequence: number;
  createdAt: number;
  compression: Compression;
  /** Payload length before compression. */
  payloadBytes: number;
  /** Total envelope length the header declares, so a receiver can refuse an upload early. */
  envelopeBytes: number;
}

/** The header plus the framing the codec needs to find the parts. */
export interface EnvelopeFrame {
  header: EnvelopeHeader;
  headerBytes: number;
  chunkBytes: number;
  ciphertextBytes: number;
}

interface HeaderFields {
  kind: PayloadKind;
  contentType: string;
  applianceId: string;
  sequence: number;
  createdAt: number;
  compression: Compression;
  payloadBytes: number;
  chunkBytes: number;
  ciphertextBytes: number;
}

function envelopeBytesFor(headerBytes: number, ciphertextBytes: number): number {
  return headerBytes + SEALED_KEY_BYTES + STREAM_HEADER_BYTES + ciphertextBytes + SIGNATURE_BYTES;
}

export function applianceIdIssues(applianceId: unknown, field = 'applianceId'): WireIssue[] {
  if (typeof applianceId !== 'string' || applianceId.length > MAX_APPLIANCE_ID_LENGTH || !APPLIANCE_ID.test(applianceId)) {
    return [{ field, problem: `must be 1-${MAX_APPLIANCE_ID_LENGTH} characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit` }];
  }
  return [];
}

function contentTypeIssues(contentType: unknown, field = 'contentType'): WireIssue[] {
  if (typeof contentType !== 'string' || contentType.length > MAX_CONTENT_TYPE_LENGTH || !CONTENT_TYPE.test(contentType)) {
    return [{ field, problem: `must be 1-${MAX_CONTENT_TYPE_LENGTH} printable ASCII characters` }];
  }
  return [];
}

export function integerIssues(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): WireIssue[] {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    return [{ field, problem: `must be an integer from ${min} to ${max}` }];
  }
  return [];
}

/** The fields a sealer chooses; checked the same way when sealing and when parsing. */
export function chosenFieldIssues(fields: Omit<HeaderFields, 'payloadBytes' | 'ciphertextBytes'>): WireIssue[] {
  return [
    ...(PAYLOAD_KINDS.includes(fields.kind) ? [] : [{ field: 'kind', problem: `must be one of ${PAYLOAD_KINDS.join(', ')}` }]),
    ...(COMPRESSIONS.includes(fields.compression) ? [] : [{ field: 'compression', problem: `must be one of ${COMPRESSIONS.join(', ')}` }]),
    ...contentTypeIssues(fields.contentType),
    ...applianceIdIssues(fields.applianceId),
    ...integerIssues(fields.sequence, 'sequence', 1),
    ...integerIssues(fields.createdAt, 'createdAt', 0),
    ...integerIssues(fields.chunkBytes, 'chunkBytes', MIN_CHUNK_BYTES, MAX_CHUNK_BYTES),
  ];
}

function headerFieldIssues(fields: HeaderFields): WireIssue[] {
  return [
    ...chosenFieldIssues(fields),
    ...integerIssues(fields.payloadBytes, 'payloadBytes', 0),
    ...integerIssues(fields.ciphertextBytes, 'ciphertextBytes', 0),
  ];
}

/** Expects fields the caller has checked with chosenFieldIssues. */
export function encodeHeader(fields: HeaderFields): Uint8Array {
  const applianceId = Buffer.from(fields.applianceId, 'ascii');
  const contentType = Buffer.from(fields.contentType, 'ascii');
  const bytes = new Uint8Array(FIXED_HEADER_BYTES + applianceId.length + contentType.length);
  const view = new DataView(bytes.buffer);
  bytes.set(ENVELOPE_MAGIC, 0);
  view.setUint8(AT.version, ENVELOPE_FORMAT_VERSION);
  view.setUint8(AT.kind, PAYLOAD_KINDS.indexOf(fields.kind) + KIND_CODE_OFFSET);
  view.setUint8(AT.compression, COMPRESSIONS.indexOf(fields.compression));
  view.setUint8(AT.applianceIdLength, applianceId.length);
  view.setUint8(AT.contentTypeLength, contentType.length);
  view.setUint32(AT.chunkBytes, fields.chunkBytes);
  view.setBigUint64(AT.sequence, BigInt(fields.sequence));
  view.setBigUint64(AT.createdAt, BigInt(fields.createdAt));
  view.setBigUint64(AT.payloadBytes, BigInt(fields.payloadBytes));
  view.setBigUint64(AT.ciphertextBytes, BigInt(fields.ciphertextBytes));
  bytes.set(applianceId, FIXED_HEADER_BYTES);
  bytes.set(contentType, FIXED_HEADER_BYTES + applianceId.length);
  return bytes;
}

function truncated(what: string): WireError {
  return new WireError('ENVELOPE_TRUNCATED', `Envelope ends inside the ${what}`);
}

/** Magic and version come first so that a reader can refuse a newer format before parsing anything else. */
function checkPreamble(bytes: Uint8Array): void {
  const available = Math.min(bytes.length, ENVELOPE_MAGIC.length);
  for (let i = 0; i < available; i++) {
    if (bytes[i] !== ENVELOPE_MAGIC[i]) throw new WireError('ENVELOPE_MALFORMED', 'Not a HEMA3N envelope (magic bytes differ)');
  }
  if (bytes.length <= AT.version) throw truncated('format preamble');
  const version = bytes[AT.version];
  if (version !== ENVELOPE_FORMAT_VERSION) {
    throw new WireError('ENVELOPE_VERSION_UNSUPPORTED', `Envelope format version ${version} is not supported (this reader knows ${ENVELOPE_FORMAT_VERSION})`);
  }
}

function readSafeInteger(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN;
}

function readCode<T>(names: readonly T[], code: number, field: string, issues: WireIssue[]): T | undefined {
  const name = names[code];
  if (name === undefined) issues.push({ field, problem: `unknown code ${code}` });
  return name;
}

function decodeAscii(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Parses the header without verifying anything; the body only has to be long enough to hold the header. */
export function parseFrame(bytes: Uint8Array): EnvelopeFrame {
  checkPreamble(bytes);
  if (bytes.length < FIXED_HEADER_BYTES) throw truncated('header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idLength = view.getUint8(AT.applianceIdLength);
  const typeLength = view.getUint8(AT.contentTypeLength);
  const headerBytes = FIXED_HEADER_BYTES + idLength + typeLength;
  if (bytes.length < headerBytes) throw truncated('header');
  const issues: WireIssue[] = [];
  const kind = readCode(PAYLOAD_KINDS, view.getUint8(AT.kind) - KIND_CODE_OFFSET, 'kind', issues);
  const compression = readCode(COMPRESSIONS, view.getUint8(AT.compression), 'compression', issues);
  const fields = {
    kind: kind ?? PAYLOAD_KINDS[0],
    compression: compression ?? COMPRESSIONS[0],
    applianceId: decodeAscii(bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength)),
    contentType: decodeAscii(bytes.subarray(FIXED_HEADER_BYTES + idLength, headerBytes)),
    chunkBytes: view.getUint32(AT.chunkBytes),
    sequence: readSafeInteger(view, AT.sequence),
    createdAt: readSafeInteger(view, AT.createdAt),
    payloadBytes: readSafeInteger(view, AT.payloadBytes),
    ciphertextBytes: readSafeInteger(view, AT.ciphertextBytes),
  };
  issues.push(...headerFieldIssues(fields));
  throwIfIssues('ENVELOPE_MALFORMED', 'Envelope header is malformed', issues);
  const { chunkBytes, ciphertextBytes } = fields;
  const header: EnvelopeHeader = {
    formatVersion: ENVELOPE_FORMAT_VERSION,
    kind: fields.kind,
    contentType: fields.contentType,
    applianceId: fields.applianceId,
    sequence: fields.sequence,
    createdAt: fields.createdAt,
    compression: fields.compression,
    payloadBytes: fields.payloadBytes,
    envelopeBytes: envelopeBytesFor(headerBytes, ciphertextBytes),
  };
  return { header, headerBytes, chunkBytes, ciphertextBytes };
}
