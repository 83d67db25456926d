/**
 * A KV cache kept by the decoder in reused host memory, for CPU backends (onnxruntime-node and
 * onnxruntime-web on WASM).
 *
 * Why: fetching `present.*` makes the runtime hand back the whole cache as freshly allocated
 * arrays on every call (5.4 MB per 4-beam call at a 330-token past). In Chromium each fresh
 * array is new memory that has to be faulted in; on the benchmark host that alone cost about
 * 20 ms of a 29 ms call (docs/benchmark.md, issue #10), while copying into memory already in use
 * costs well under 1 ms. So the graph also returns each call's own K/V rows
 * (`new_key_values.N.*`, a few KB), and this arena appends them to a cache it owns: two
 * preallocated halves per past tensor, written alternately and reused from note to note.
 *
 * Beam selection is deferred and fused with the append: the next call's past is written once,
 * row j = old row select[j] followed by that row's new tokens. Pure: no I/O, no runtime calls.
 */

export interface KvLayout {
  /** The graph's past inputs in feed order (past_key_values.N.key / .value). */
  names: readonly string[];
  /** K/V heads and head size: each past tensor is [rows, heads, length, headDim]. */
  heads: number;
  headDim: number;
}

/** A handle on the arena's current cache; any older handle is stale once a newer one exists. */
export interface ArenaCache {
  readonly arena: KvArena;
  readonly generation: number;
  readonly rows: number;
  readonly pastLength: number;
}

export class StaleKvCacheError extends Error {
  constructor() {
    super('kv arena: a cache handle was used after a newer one replaced it');
    this.name = 'StaleKvCacheError';
  }
}

export class KvArena {
  private halves: [Float32Array, Float32Array][] = [];
  private live = 0;
  private generation = 0;
  /** Rows and length of the cache written in the live half. */
  private base = { rows: 0, length: 0 };
  /** Rows returned by the last call, not yet appended: one [rows, heads, T, headDim] per name. */
  private pending: { data: readonly Float32Array[]; tokens: number } | null = null;
  /** Deferred beam selection over the rows of base + pending. */
  private select: readonly number[] | null = null;
  private rows = 0;

  constructor(readonly layout: KvLayout) {}

  /** Forget the previous note's cache and start an empty one (buffers are kept). */
  reset(): ArenaCache {
    this.base = { rows: 1, length: 0 };
    this.pending = null;
    this.select = null;
    this.rows = 1;
    return this.handle();
  }

  /** The past to feed for `cache`: one view per name, [rows, heads, pastLength, headDim]. */
  past(cache: ArenaCache): { data: Float32Array[]; dims: [number, number, number, number] } {
    this.check(cache);
    this.materialise();
    const { heads, headDim } = this.layout;
    const n = this.base.rows * heads * this.base.length * headDim;
    const data = this.halves.length ? this.halves.map((pair) => pair[this.live]!.subarray(0, n)) : this.layout.names.map(() => new Float32Array(0));
    return { data, dims: [this.base.rows, heads, this.base.length, headDim] };
  }

  /** Record the K/V rows the call on `cache` returned (`tokens` new positions per row). */
  append(cache: ArenaCache, rowsOut: readonly Float32Array[], tokens: number): ArenaCache {
    this.check(cache);
    if (this.pending || this.select) throw new Error('kv arena: append before the past was fed');
    const { heads, headDim } = this.layout;
    const expected = this.rows * heads * tokens * headDim;
    if (rowsOut.length !== this.layout.names.length || rowsOut.some((d) => d.length !== expected)) {
      throw new Error(`kv arena: expected ${this.layout.names.length} new K/V tensors of ${expected} values`);
    }
    this.pending = { data: rowsOut, tokens };
    return this.handle();
  }

  /** Row j of the next cache = row indices[j] of this one (reorder, duplicate, drop). */
  selectRows(cache: ArenaCache, indices: readonly number[]): ArenaCache {
    this.check(cache);
    for (const i of indices) if (!(Number.isInteger(i) && i >= 0 && i < this.rows)) throw new RangeError(`selectBeams: row ${i} of ${this.rows}`);
    const prior = this.select;
    this.select = prior ? indices.map((i) => prior[i]!) : [...indices];
    this.rows = indices.length;
    return this.handle();
  }

  private handle(): ArenaCache {
    this.generation++;
    return { arena: this, generation: this.generation, rows: this.rows, pastLength: this.base.length + (this.pending?.tokens ?? 0) };
  }

  private check(cache: ArenaCache): void {
    if (cache.arena !== this || cache.generation !== this.generation) throw new StaleKvCacheError();
  }

  /** Write base + pending, gathered by select, into the other half (one pass per tensor). */
  private materialise(): void {
    const pending = this.pending;
    const select = this.select;
    if (!pending && (!select || isIdentity(select, this.base.rows))) {
      this.select = null;
      return;
    }
    const { heads, headDim } = this.layout;
    const from = this.base;
    const T = pending?.tokens ?? 0;
    const rows = select ? select.length : from.rows;
    const length = from.length + T;
    this.ensure(rows * heads * length * headDim);
    const oldRun = from.length * headDim;
    const newRun = T * headDim;
    const outRun = length * headDim;
    const next = 1 - this.live;
    this.halves.forEach((pair, k) => {
      const src = pair[this.live]!;
      const dst = pair[next]!;
      const add = pending?.data[k];
      for (let j = 0; j < rows; j++) {
        const r = select ? select[j]! : j;
        for (let h = 0; h < heads; h++) {
          const o = (j * heads + h) * outRun;
          if (oldRun) dst.set(src.subarray((r * heads + h) * oldRun, (r * heads + h + 1) * oldRun), o);
          if (add) dst.set(add.subarray((r * heads + h) * newRun, (r * heads + h + 1) * newRun), o + oldRun);
        }
      }
    });
    this.live = next;
    this.base = { rows, length };
    this.pending = null;
    this.select = null;
  }

  /** Both halves hold at least `floats` values; the live cache survives a resize. */
  private ensure(floats: number): void {
    const have = this.halves[0]?.[0]!.length ?? 0;
    if (have >= floats) return;
    // Headroom so a note's growth does not reallocate every few tokens.
    const size = Math.ceil(floats * 1.5);
    const keep = this.base.rows * this.layout.heads * this.base.length * this.layout.headDim;
    this.halves = this.layout.names.map((_, k) => {
      const pair: [Float32Array, Float32Array] = [new Float32Array(size), new Float32Array(size)];
      const old = this.halves[k]?.[this.live];
      if (old && keep) pair[this.live]!.set(old.subarray(0, keep));
      return pair;
    });
  }
}

function isIdentity(select: readonly number[], rows: number): boolean {
  return select.length === rows && select.every((r, j) => r === j);
}
