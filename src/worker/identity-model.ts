/**
 * The smallest ONNX model onnxruntime accepts: one Identity node, float32[1] in → out. The worker
 * creates a session from it to initialise onnxruntime-web (fetch, compile and instantiate its
 * wasm, start the runtime) on its own, timed as its own load phase (./ort-init.ts; started after
 * the IndexedDB read, not beside it: browser-host.ts says why). Encoded here, not shipped as a file:
 * 60-odd bytes do not deserve a request. Checked against onnxruntime-node (identity-model.test.ts).
 *
 * Protobuf wire format, fields of onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto,
 * TypeProto.Tensor, TensorShapeProto): every message is a length-delimited field.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Field `no` with wire type 0 (varint). */
const int = (no: number, value: number): number[] => [...varint(no << 3), ...varint(value)];
/** Field `no` with wire type 2 (length-delimited): a sub-message's bytes. */
const msg = (no: number, ...parts: number[][]): number[] => {
  const body = parts.flat();
  return [...varint((no << 3) | 2), ...varint(body.length), ...body];
};
const str = (no: number, s: string): number[] => msg(no, [...new TextEncoder().encode(s)]);

const FLOAT = 1; // TensorProto.DataType.FLOAT
/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type: FLOAT, shape { dim { dim_value: 1 } } } } } */
const floatOne = (no: number, name: string): number[] => msg(no, str(1, name), msg(2, msg(1, int(1, FLOAT), msg(2, msg(1, int(1, 1))))));

export const IDENTITY_MODEL: Uint8Array = new Uint8Array([
  ...int(1, 7), // ir_version 7
  ...msg(
    7, // graph
    msg(1, str(1, 'x'), str(2, 'y'), str(4, 'Identity')), // node { input: x, output: y, op_type }
    str(2, 'identity'), // name
    floatOne(11, 'x'), // input
    floatOne(12, 'y'), // output
  ),
  ...msg(8, int(2, 13)), // opset_import { domain: "" (default), version: 13 }
]);
