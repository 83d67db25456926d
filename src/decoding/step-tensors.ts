/**
 * The tensors a step model feeds and reads, shared by the transformers.js adapter
 * (./causal-lm.ts) and the host-KV one (./host-kv-step-model.ts): int64 feeds without
 * per-element BigInt loops where a fill will do, and last-position logits as float32 rows
 * (downloaded first when they live on the GPU; float16 graphs converted). No `node:` import.
 */
import { Tensor } from '@huggingface/transformers';
import type { LogitsRow } from './types.ts';

export type AnyTypedArray =
  | Float32Array
  | Float64Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** CPU data of a tensor, downloading it first when it lives on the GPU. */
export async function tensorData(t: Tensor): Promise<AnyTypedArray> {
  if (t.location !== 'cpu' && t.location !== 'cpu-pinned') {
    const ort = t.ort_tensor as unknown as { getData(releaseData?: boolean): Promise<AnyTypedArray> };
    return await ort.getData();
  }
  return t.data as AnyTypedArray;
}

export function disposeIfGpu(t: Tensor): void {
  if (t.location === 'gpu-buffer' || t.location === 'ml-tensor') t.dispose();
}

/** IEEE 754 half → float. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Last-position logits of each batch row as Float32Array (handles float16 graphs). */
export async function lastLogits(logits: Tensor): Promise<LogitsRow[]> {
  const dims = logits.dims;
  const [batch, seq, vocab] = dims.length === 3 ? (dims as [number, number, number]) : [dims[0]!, 1, dims[1]!];
  const data = await tensorData(logits);
  const rows: LogitsRow[] = [];
  for (let b = 0; b < batch; b++) {
    const off = (b * seq + seq - 1) * vocab;
    if (logits.type === 'float16') {
      const src = data as Uint16Array;
      const row = new Float32Array(vocab);
      if (src instanceof Uint16Array) for (let i = 0; i < vocab; i++) row[i] = halfToFloat(src[off + i]!);
      else for (let i = 0; i < vocab; i++) row[i] = Number((src as ArrayLike<number>)[off + i]);
      rows.push(row);
    } else {
      rows.push(Float32Array.from((data as Float32Array).subarray(off, off + vocab)));
    }
  }
  disposeIfGpu(logits);
  return rows;
}

export function int64(values: readonly number[], dims: number[]): Tensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return new Tensor('int64', data, dims);
}

/** All-ones int64 tensor (attention mask): one fill, no per-element BigInt conversion. */
export function ones(dims: number[]): Tensor {
  return new Tensor('int64', new BigInt64Array(dims.reduce((a, b) => a * b, 1)).fill(1n), dims);
}

/**
 * Attention mask [rows, prefix + capacity + T] for a past kept in slots of fixed capacity
 * (./kv-arena.ts) after an optional shared prefix: 1 on the prefix, on the `filled` positions of
 * every slot and on the T new positions, 0 on each slot's unfilled tail.
 */
export function slotMask(rows: number, filled: number, capacity: number, T: number, prefix = 0): Tensor {
  const width = prefix + capacity + T;
  const data = new BigInt64Array(rows * width).fill(1n);
  if (capacity > filled) for (let r = 0; r < rows; r++) data.fill(0n, r * width + prefix + filled, r * width + prefix + capacity);
  return new Tensor('int64', data, [rows, width]);
}

/** Position ids [rows, T]: past … past + T − 1 on every row. */
export function positions(rows: number, past: number, T: number): Tensor {
  const data = new BigInt64Array(rows * T);
  for (let t = 0; t < T; t++) data[t] = BigInt(past + t);
  for (let r = 1; r < rows; r++) data.copyWithin(r * T, 0, T);
  return new Tensor('int64', data, [rows, T]);
}
