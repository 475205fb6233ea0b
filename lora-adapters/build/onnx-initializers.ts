/**
 * Reading (and, for the reload benchmark, rewriting) the initializers of the reference model's
 * INT8 QDQ ONNX file. The names are those models/build/export-onnx.ts gives its layers.
 */
import onnx from 'onnx-proto';

export type InitializerData = Float32Array | Int8Array | Uint8Array;

export function initializers(model: Uint8Array): Map<string, { dims: number[]; data: InitializerData }> {
  const decoded = onnx.onnx.ModelProto.decode(model);
  const out = new Map<string, { dims: number[]; data: InitializerData }>();
  for (const t of decoded.graph?.initializer ?? []) {
    // Copy: protobufjs hands out views into a shared pool, not aligned for Float32Array.
    const bytes = new Uint8Array(t.rawData ?? new Uint8Array(0)).buffer;
    const data = t.dataType === 1 ? new Float32Array(bytes) : t.dataType === 3 ? new Int8Array(bytes) : new Uint8Array(bytes);
    out.set(t.name ?? '', { dims: (t.dims ?? []).map(Number), data });
  }
  return out;
}

/** The same model with some initializers' raw data replaced (same dtype and dims). */
export function replaceInitializers(model: Uint8Array, replacements: ReadonlyMap<string, InitializerData>): Uint8Array {
  const decoded = onnx.onnx.ModelProto.decode(model);
  for (const t of decoded.graph?.initializer ?? []) {
    const data = replacements.get(t.name ?? '');
    if (data) t.rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return onnx.onnx.ModelProto.encode(decoded).finish();
}
