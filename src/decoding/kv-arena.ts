/**
 * A KV cache kept by the decoder in reused host memory, for CPU backends (onnxruntime-node and
 * onnxruntime-web on WASM).
 *
 * Why host memory: fetching `present.*` makes the runtime hand back the whole cache as freshly
 * allocated arrays on every call (5.4 MB per 4-beam call at a 330-token past). In Chromium each
 * fresh array is new memory that has to be faulted in; on the benchmark host that alone cost
 * about 20 ms of a 29 ms call (docs/benchmark.md, issue #10). So the graph also returns each
 * call's own K/V rows (`new_key_values.N.*`, a few KB), and this arena keeps the cache.
 *
 * Why slots with spare capacity: a contiguous [rows, heads, length, headDim] past has to be
 * rewritten whole to append one token to every (row, head) run, and that re-layout was ~12 ms
 * of a ~125 ms note on Node (issue #10). Here each beam owns a slot of a buffer laid out
 * [slots, heads, capacity, headDim]; the session is fed the whole buffer and the attention mask
 * hides the unfilled tail of every slot (host-kv-step-model.ts), so a call's new rows are written
 * in place at [length, length + T). Exported graphs add −1e9 to masked scores before the
 * softmax, so those positions get exactly zero weight; only the order of float sums can move by
 * the last bits. A beam reorder keeps every first child in its parent's slot and copies a parent
 * only into the slots its extra children take (a permutation moves nothing). Capacity grows in
 * chunks, one in-place re-layout each; slots in use are always 0 … rows − 1, so a shrinking
 * beam set moves the few beams above the new count down.
 *
 * All beams have the same length (the decoder steps them in lockstep, types.ts StepModel).
 * Pure: no I/O, no runtime calls.
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
  /** Filled positions per slot: with a shared prompt prefix (host-kv-step-model.ts), the generated suffix only. */
  readonly pastLength: number;
}

/** What to feed for a cache: the slot buffers and where each beam lives in them. */
export interface SlotPast {
  /** One view per name, [rows, heads, capacity, headDim]; positions ≥ length are unfilled. */
  data: Float32Array[];
  dims: [number, number, number, number];
  /** Filled positions per slot (= the cache's pastLength). */
  length: number;
  /** slots[beam] = the batch row (slot) holding that beam; a permutation of 0 … rows − 1. */
  slots: readonly number[];
}

export class StaleKvCacheError extends Error {
  constructor() {
    super('kv arena: a cache handle was used after a newer one replaced it');
    this.name = 'StaleKvCacheError';
  }
}

/**
 * Extra positions per slot when the capacity grows. Every call attends over the masked tail (on
 * WASM it is also copied into the runtime's heap), and every growth re-lays out the cache once:
 * with ~1.5–7 ms calls at a ~370-token past and ~60–90 tokens decoded per note, 16 balances the
 * two on Node and WASM (about 2–7 ms a note either way; measured differences were within noise).
 */
export const DEFAULT_CAPACITY_CHUNK = 16;

export class KvArena {
  /** One buffer per name; its first rows × heads × capacity × headDim values are the cache. */
  private buffers: Float32Array[] = [];
  private capacity = 0;
  private length = 0;
  /** slotOf[beam] = slot holding that beam. */
  private slotOf: number[] = [0];
  private generation = 0;
  /** Generation whose past was handed out and not yet appended to. */
  private fed = -1;
  /** Copy counters (tests and profiling read them): whole-slot copies and capacity re-layouts. */
  readonly stats = { slotCopies: 0, relayouts: 0 };

  constructor(
    readonly layout: KvLayout,
    private readonly chunk = DEFAULT_CAPACITY_CHUNK,
  ) {}

  /** Forget the previous note's cache and start an empty one (buffers are kept). */
  reset(): ArenaCache {
    this.capacity = 0;
    this.length = 0;
    this.slotOf = [0];
    this.fed = -1;
    return this.handle();
  }

  /** The past to feed for `cache` (the same buffers every call: no copy). */
  past(cache: ArenaCache): SlotPast {
    this.check(cache);
    this.fed = cache.generation;
    const rows = this.slotOf.length;
    const { heads, headDim } = this.layout;
    const n = rows * heads * this.capacity * headDim;
    const data = this.layout.names.map((_, k) => this.buffers[k]?.subarray(0, n) ?? new Float32Array(0));
    return { data, dims: [rows, heads, this.capacity, headDim], length: this.length, slots: this.slotOf };
  }

  /**
   * Write the K/V rows the call fed with `past(cache)` returned, in batch-row (= slot) order:
   * one [rows, heads, tokens, headDim] per name, at positions [length, length + tokens).
   */
  append(cache: ArenaCache, rowsOut: readonly Float32Array[], tokens: number): ArenaCache {
    this.check(cache);
    if (this.fed !== cache.generation) throw new Error('kv arena: append before the past was fed');
    const rows = this.slotOf.length;
    const { heads, headDim } = this.layout;
    const expected = rows * heads * tokens * headDim;
    if (rowsOut.length !== this.layout.names.length || rowsOut.some((d) => d.length !== expected)) {
      throw new Error(`kv arena: expected ${this.layout.names.length} new K/V tensors of ${expected} values`);
    }
    if (this.length + tokens > this.capacity) this.grow(this.length + tokens + this.chunk);
    const cap = this.capacity * headDim;
    const run = tokens * headDim;
    const at = this.length * headDim;
    this.buffers.forEach((buf, k) => {
      const add = rowsOut[k]!;
      for (let i = 0; i < rows * heads; i++) {
        const to = i * cap + at;
        // A step's run is one head's few positions: an element loop beats a subarray per run.
        if (run <= 256) for (let e = 0, from = i * run; e < run; e++) buf[to + e] = add[from + e]!;
        else buf.set(add.subarray(i * run, (i + 1) * run), to);
      }
    });
    this.length += tokens;
    this.fed = -1;
    return this.handle();
  }

  /** Beam j of the next cache = beam indices[j] of this one (reorder, duplicate, drop). */
  selectRows(cache: ArenaCache, indices: readonly number[]): ArenaCache {
    this.check(cache);
    const old = this.slotOf;
    for (const i of indices) if (!(Number.isInteger(i) && i >= 0 && i < old.length)) throw new RangeError(`selectBeams: row ${i} of ${old.length}`);
    const rows = indices.length;
    this.ensureSlots(rows);
    // A parent's first child keeps the parent's slot when it stays below the new row count.
    const next = new Array<number>(rows).fill(-1);
    const taken = new Uint8Array(Math.max(rows, old.length));
    const kept = new Uint8Array(old.length);
    indices.forEach((p, j) => {
      if (!kept[p] && old[p]! < rows) {
        kept[p] = 1;
        next[j] = old[p]!;
        taken[old[p]!] = 1;
      }
    });
    // The other children take the free slots below `rows`: those of parents without children,
    // or never used. A source slot is a kept slot or one at or above `rows`, never overwritten.
    let free = 0;
    indices.forEach((p, j) => {
      if (next[j] !== -1) return;
      while (taken[free]) free++;
      taken[free] = 1;
      next[j] = free;
      this.copySlot(old[p]!, free);
    });
    this.slotOf = next;
    this.fed = -1;
    return this.handle();
  }

  private handle(): ArenaCache {
    this.generation++;
    return { arena: this, generation: this.generation, rows: this.slotOf.length, pastLength: this.length };
  }

  private check(cache: ArenaCache): void {
    if (cache.arena !== this || cache.generation !== this.generation) throw new StaleKvCacheError();
  }

  /** Copy the filled part of slot `from` into slot `to`, every head of every name. */
  private copySlot(from: number, to: number): void {
    if (this.length === 0) return;
    const { heads, headDim } = this.layout;
    const cap = this.capacity * headDim;
    const n = this.length * headDim;
    for (const buf of this.buffers) {
      for (let h = 0; h < heads; h++) buf.copyWithin((to * heads + h) * cap, (from * heads + h) * cap, (from * heads + h) * cap + n);
    }
    this.stats.slotCopies++;
  }

  /** Room for `rows` slots at the current capacity (the slot stride does not change). */
  private ensureSlots(rows: number): void {
    const { heads, headDim } = this.layout;
    const used = Math.max(this.slotOf.length, rows) * heads * this.capacity * headDim;
    this.reserve(used, this.slotOf.length * heads * this.capacity * headDim);
  }

  /** Raise the capacity to `capacity` positions per slot, moving every filled run in place. */
  private grow(capacity: number): void {
    const { heads, headDim } = this.layout;
    const runs = this.slotOf.length * heads;
    this.reserve(runs * capacity * headDim, runs * this.capacity * headDim);
    const oldCap = this.capacity * headDim;
    const newCap = capacity * headDim;
    const n = this.length * headDim;
    // Last run first: every destination lies at or after its source and after earlier sources.
    if (n > 0) for (const buf of this.buffers) for (let i = runs - 1; i >= 0; i--) buf.copyWithin(i * newCap, i * oldCap, i * oldCap + n);
    this.capacity = capacity;
    this.stats.relayouts++;
  }

  /** Every buffer holds at least `floats` values; the first `keep` survive a reallocation. */
  private reserve(floats: number, keep: number): void {
    if ((this.buffers[0]?.length ?? -1) >= floats && this.buffers.length === this.layout.names.length) return;
    // Headroom so the next notes (longer prompts, more beams) do not reallocate.
    const size = Math.ceil(floats * 1.5);
    this.buffers = this.layout.names.map((_, k) => {
      const buf = new Float32Array(size);
      const old = this.buffers[k];
      if (old && keep) buf.set(old.subarray(0, keep));
      return buf;
    });
  }
}
