// A minimal writer of ONNX models (the protobuf wire format of onnx.proto), so that C_T's dense
// linear algebra (covariance, projections, nearest-neighbour dot products) can run as tiny
// graphs in onnxruntime, whose MLAS kernels are SIMD and multithreaded, instead of scalar JS
// loops. Only what those graphs need: nodes with int / ints attributes and typed tensor I/O.

export type ElementType = 'float' | 'double' | 'int32' | 'int64';
/** A dimension: a fixed size or a named dynamic one. */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  type: ElementType;
  shape: readonly Dim[];
}

export interface GraphNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, number | readonly number[]>;
}

export interface GraphSpec {
  name: string;
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  nodes: readonly GraphNode[];
}

// onnx.proto: TensorProto.DataType and AttributeProto.AttributeType values.
export const ELEMENT_TYPE: Record<ElementType, number> = { float: 1, int32: 6, int64: 7, double: 11 };
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;
const IR_VERSION = 8;
const OPSET = 17;

/** Protobuf fields, written in order. Wire types: 0 varint, 2 length-delimited. */
class Message {
  private readonly parts: Uint8Array[] = [];

  varint(field: number, value: number): this {
    this.parts.push(encodeVarint(field * 8), encodeVarint(value));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.parts.push(encodeVarint(field * 8 + 2), encodeVarint(value.length), value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Message): this {
    return this.bytes(field, value.encode());
  }

  encode(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((sum, p) => sum + p.length, 0));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Non-negative integers only (sizes, field keys, enum values, axes >= 0). */
function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`cannot encode ${value} as an unsigned varint`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

function valueInfo(value: ValueInfo): Message {
  const shape = new Message();
  for (const dim of value.shape) shape.message(1, typeof dim === 'number' ? new Message().varint(1, dim) : new Message().string(2, dim));
  const tensorType = new Message().varint(1, ELEMENT_TYPE[value.type]).message(2, shape);
  return new Message().string(1, value.name).message(2, new Message().message(1, tensorType));
}

function node(spec: GraphNode, index: number): Message {
  const message = new Message();
  for (const input of spec.inputs) message.string(1, input);
  for (const output of spec.outputs) message.string(2, output);
  message.string(3, `${spec.op.toLowerCase()}_${index}`).string(4, spec.op);
  for (const [name, value] of Object.entries(spec.attributes ?? {})) {
    const attribute = new Message().string(1, name);
    if (typeof value === 'number') attribute.varint(3, value).varint(20, ATTRIBUTE_INT);
    else {
      for (const item of value) attribute.varint(8, item);
      attribute.varint(20, ATTRIBUTE_INTS);
    }
    message.message(5, attribute);
  }
  return message;
}

/** The serialised ModelProto, ready for InferenceSession.create(bytes). */
export function encodeModel(spec: GraphSpec): Uint8Array {
  const graph = new Message();
  spec.nodes.forEach((n, i) => graph.message(1, node(n, i)));
  graph.string(2, spec.name);
  for (const input of spec.inputs) graph.message(11, valueInfo(input));
  for (const output of spec.outputs) graph.message(12, valueInfo(output));
  return new Message()
    .varint(1, IR_VERSION)
    .string(2, 'modelprint')
    .message(7, graph)
    .message(8, new Message().string(1, '').varint(2, OPSET))
    .encode();
}
