import { describe, expect, it } from 'vitest';
import { readSafetensors, SafetensorsError, writeSafetensors } from '../../src/inference/index.js';

/** A file with a hand-written header, as other writers produce them. */
function file(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('reads back what it writes, with metadata, and pads the header to 8 bytes', () => {
    const A = Float32Array.from({ length: 6 }, (_, i) => i / 3 - 1);
    const bytes = writeSafetensors({ b: { shape: [2], data: Float32Array.of(7, -0.5) }, a: { shape: [2, 3], data: A } }, { format: 'pt' });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const read = readSafetensors(bytes);
    expect(read.metadata).toEqual({ format: 'pt' });
    expect(read.tensors.get('a')).toEqual({ shape: [2, 3], data: A });
    expect(read.tensors.get('b')?.data).toEqual(Float32Array.of(7, -0.5));
  });

  it('decodes F16 and BF16 tensors to float32', () => {
    const data = new Uint8Array(8);
    const view = new DataView(data.buffer);
    view.setUint16(0, 0x3c00, true); // F16 1.0
    view.setUint16(2, 0xc000, true); // F16 -2.0
    view.setUint16(4, 0x3f80, true); // BF16 1.0
    view.setUint16(6, 0x4049, true); // BF16 3.140625
    const read = readSafetensors(file({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, g: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] } }, data));
    expect(read.tensors.get('h')?.data).toEqual(Float32Array.of(1, -2));
    expect(read.tensors.get('g')?.data).toEqual(Float32Array.of(1, 3.140625));
  });

  it.each([
    ['a file shorter than its length field', new Uint8Array(5), /shorter/],
    ['a header length past the end', file({}, new Uint8Array(0)).map((b, i) => (i === 0 ? 200 : b)), /exceeds/],
    ['a header that is not JSON', (() => { const f = file({ a: 1 }, new Uint8Array(0)); f[8] = 0x5b; f[9] = 0x7b; return f; })(), /not JSON|not a JSON object/],
    ['an integer dtype', file({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), /dtype I64/],
    ['offsets that do not match the shape', file({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /do not fit/],
    ['a hole between tensors', file({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), /hole/],
    ['bytes that belong to no tensor', file({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)), /belong to no tensor/],
  ])('refuses %s', (_what, bytes, reason) => {
    expect(() => readSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => readSafetensors(bytes)).toThrow(reason);
  });
});
