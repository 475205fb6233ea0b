/**
 * The safetensors format (huggingface/safetensors): 8-byte little-endian header length, a JSON
 * header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}},
 * then the raw little-endian tensor bytes, every byte belonging to exactly one tensor.
 * No package for it is installed, so this is a small reader (float dtypes, decoded to float32)
 * and a float32 writer.
 */
export interface FloatTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface Safetensors {
  readonly tensors: ReadonlyMap<string, FloatTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const DTYPE_BYTES = { F32: 4, F16: 2, BF16: 2, F64: 8 } as const;
type FloatDtype = keyof typeof DTYPE_BYTES;
/** An adapter header is a few hundred bytes; this only stops a forged length from allocating gigabytes. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

interface Entry {
  readonly name: string;
  readonly dtype: FloatDtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decode(view: DataView, offset: number, entry: Entry): Float32Array {
  const size = DTYPE_BYTES[entry.dtype];
  const out = new Float32Array((entry.end - entry.begin) / size);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let k = 0; k < out.length; k++) {
    const at = offset + entry.begin + k * size;
    if (entry.dtype === 'F32') out[k] = view.getFloat32(at, true);
    else if (entry.dtype === 'F64') out[k] = view.getFloat64(at, true);
    else if (entry.dtype === 'F16') out[k] = halfToFloat(view.getUint16(at, true));
    else {
      scratch.setUint32(0, view.getUint16(at, true) << 16);
      out[k] = scratch.getFloat32(0);
    }
  }
  return out;
}

function headerOf(bytes: Uint8Array): { header: Record<string, unknown>; dataOffset: number } {
  if (bytes.length < 8) throw new SafetensorsError('file is shorter than the 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) throw new SafetensorsError('header length exceeds the file');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(length)));
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new SafetensorsError('header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('header is not a JSON object');
  return { header: header as Record<string, unknown>, dataOffset: 8 + Number(length) };
}

function entryOf(name: string, value: unknown, dataLength: number): Entry {
  const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof v !== 'object' || v === null) throw new SafetensorsError(`tensor ${name} has no description`);
  if (typeof v.dtype !== 'string' || !(v.dtype in DTYPE_BYTES)) throw new SafetensorsError(`tensor ${name} has dtype ${String(v.dtype)}, expected one of ${Object.keys(DTYPE_BYTES).join(', ')}`);
  const dtype = v.dtype as FloatDtype;
  if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new SafetensorsError(`tensor ${name} has an invalid shape`);
  const offsets = v.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw new SafetensorsError(`tensor ${name} has invalid data_offsets`);
  const [begin, end] = offsets as [number, number];
  const shape = v.shape as number[];
  const expected = shape.reduce((a, d) => a * d, 1) * DTYPE_BYTES[dtype];
  if (begin > end || end > dataLength || end - begin !== expected) throw new SafetensorsError(`tensor ${name} data_offsets do not fit its shape and the file`);
  return { name, dtype, shape, begin, end };
}

function metadataOf(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || !Object.values(value).every((v) => typeof v === 'string')) throw new SafetensorsError('__metadata__ must map strings to strings');
  return value as Record<string, string>;
}

export function readSafetensors(bytes: Uint8Array): Safetensors {
  const { header, dataOffset } = headerOf(bytes);
  const dataLength = bytes.length - dataOffset;
  const entries = Object.entries(header).filter(([name]) => name !== '__metadata__').map(([name, value]) => entryOf(name, value, dataLength));
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of sorted) {
    if (entry.begin !== cursor) throw new SafetensorsError('tensor data overlaps or leaves a hole');
    cursor = entry.end;
  }
  if (cursor !== dataLength) throw new SafetensorsError('file has bytes that belong to no tensor');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map(entries.map((e) => [e.name, { shape: e.shape, data: decode(view, dataOffset, e) }]));
  return { tensors, metadata: metadataOf(header.__metadata__) };
}

/** Float32 tensors in name order; the header is padded with spaces to a multiple of 8 bytes, as the reference writer does. */
export function writeSafetensors(tensors: Readonly<Record<string, FloatTensor>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  let offset = 0;
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  for (const name of names) {
    const t = tensors[name]!;
    if (t.data.length !== t.shape.reduce((a, d) => a * d, 1)) throw new SafetensorsError(`tensor ${name} data does not match its shape`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    for (const x of tensors[name]!.data) {
      view.setFloat32(at, x, true);
      at += 4;
    }
  }
  return out;
}
