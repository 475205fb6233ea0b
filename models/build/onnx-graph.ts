/** Minimal ONNX graph builder over the protobufjs classes of onnx-proto. */
import onnx from 'onnx-proto';

const P = onnx.onnx;
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export const OPSET = 17;
export const IR_VERSION = 8;

export type Dim = number | string;
export type Attribute = number | readonly number[] | { readonly float: number };
type TensorData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

const bytesOf = (data: TensorData): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

function valueInfo(name: string, elemType: DataTypeCode, dims: readonly Dim[]): onnx.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: Attribute): onnx.onnx.IAttributeProto {
  const T = P.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.INTS, ints: [...value] };
}

export class GraphBuilder {
  private readonly nodes: onnx.onnx.INodeProto[] = [];
  private readonly initializers: onnx.onnx.ITensorProto[] = [];
  private readonly inputs: onnx.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly name: string) {}

  /** A fresh tensor name; the builder never reuses names, so two layers cannot collide silently. */
  fresh(base: string): string {
    let candidate = base;
    for (let k = 1; this.used.has(candidate); k++) candidate = `${base}_${k}`;
    this.used.add(candidate);
    return candidate;
  }

  input(name: string, elemType: DataTypeCode, dims: readonly Dim[]): string {
    const unique = this.fresh(name);
    this.inputs.push(valueInfo(unique, elemType, dims));
    return unique;
  }

  output(name: string, elemType: DataTypeCode, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  initializer(name: string, dataType: DataTypeCode, dims: readonly number[], data: TensorData): string {
    const unique = this.fresh(name);
    this.initializers.push({ name: unique, dataType, dims: [...dims], rawData: bytesOf(data) });
    return unique;
  }

  floats(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    return this.initializer(name, DataType.FLOAT, dims, Float32Array.from(values));
  }

  int64s(name: string, values: readonly number[]): string {
    return this.initializer(name, DataType.INT64, [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** Adds a node; `outputs` are names to use as is (graph outputs) or a count of fresh names derived from `label`. */
  node(opType: string, inputs: readonly string[], label: string, attributes: Record<string, Attribute> = {}, outputs: readonly string[] | number = 1): string[] {
    const names = typeof outputs === 'number'
      ? Array.from({ length: outputs }, (_, k) => this.fresh(outputs === 1 ? label : `${label}_${k}`))
      : outputs.map((o) => { this.used.add(o); return o; });
    this.nodes.push({
      name: this.fresh(`node/${label}`),
      opType,
      input: [...inputs],
      output: names,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return names;
  }

  /** Single-output node. */
  op(opType: string, inputs: readonly string[], label: string, attributes: Record<string, Attribute> = {}): string {
    const [out] = this.node(opType, inputs, label, attributes);
    if (out === undefined) throw new Error(`${opType} produced no output`);
    return out;
  }

  encode(meta: { readonly producerVersion: string; readonly docString: string; readonly metadata: Record<string, string> }): Uint8Array {
    const model = P.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'hema3n-reference-builder',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return P.ModelProto.encode(model).finish();
  }
}
