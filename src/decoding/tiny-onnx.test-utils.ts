/**
 * Test helper: writes a tiny "llama-shaped" causal LM as raw ONNX protobuf (no torch, no onnx
 * package), with exactly the I/O names of a transformers.js llama export:
 *   input_ids, attention_mask, position_ids, past_key_values.0.{key,value}
 *   → logits, present.0.{key,value}
 * Not a transformer: present.key = concat(past.key, embed(ids) + pos(position_ids)) and
 * logits = tanh(cumsum(present.key)[last positions]) · W. Logits depend on every earlier token
 * and on positions, so a wrong KV reorder / position id shows up as a logits mismatch.
 */

class Writer {
  bytes: number[] = [];
  varint(v: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.bytes.push(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.bytes.push(Number(x));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  int(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }
  bytesField(field: number, b: ArrayLike<number>): this {
    this.tag(field, 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }
  msg(field: number, build: (w: Writer) => void): this {
    const w = new Writer();
    build(w);
    return this.bytesField(field, w.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;

type Dim = number | string;

function valueInfo(w: Writer, field: number, name: string, elemType: number, dims: Dim[]): void {
  w.msg(field, (vi) => {
    vi.str(1, name);
    vi.msg(2, (tp) =>
      tp.msg(1, (tt) => {
        tt.int(1, elemType);
        tt.msg(2, (sh) => {
          for (const d of dims) sh.msg(1, (dm) => (typeof d === 'number' ? dm.int(1, d) : dm.str(2, d)));
        });
      }),
    );
  });
}

function initializer(w: Writer, name: string, elemType: number, dims: number[], data: Float32Array | BigInt64Array): void {
  w.msg(5, (t) => {
    for (const d of dims) t.int(1, d);
    t.int(2, elemType);
    t.str(8, name);
    t.bytesField(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
}

function node(w: Writer, op: string, inputs: string[], outputs: string[], attrs: Record<string, number> = {}): void {
  w.msg(1, (n) => {
    for (const i of inputs) n.str(1, i);
    for (const o of outputs) n.str(2, o);
    n.str(3, `${op}_${outputs[0]}`);
    n.str(4, op);
    for (const [k, v] of Object.entries(attrs)) n.msg(5, (a) => a.str(1, k).int(3, v).int(20, 2));
  });
}

export interface TinyLmSpec {
  vocabSize: number;
  hidden: number;
  maxPositions: number;
  seed: number;
}

/** Bytes of the ONNX model. */
export function tinyCausalLmOnnx(spec: TinyLmSpec): Uint8Array {
  const { vocabSize: V, hidden: D, maxPositions: P } = spec;
  let s = spec.seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const model = new Writer();
  model.int(1, 8); // ir_version
  model.str(2, 'dischargerx-tiny-test');
  model.msg(7, (g) => {
    node(g, 'Gather', ['embed', 'input_ids'], ['e']);
    node(g, 'Gather', ['pos', 'position_ids'], ['p']);
    node(g, 'Add', ['e', 'p'], ['x']);
    node(g, 'Unsqueeze', ['x', 'axes1'], ['xk']);
    node(g, 'Concat', ['past_key_values.0.key', 'xk'], ['present.0.key'], { axis: 2 });
    node(g, 'Concat', ['past_key_values.0.value', 'xk'], ['present.0.value'], { axis: 2 });
    node(g, 'CumSum', ['present.0.key', 'axis2'], ['cs']);
    node(g, 'Shape', ['input_ids'], ['ids_shape']);
    node(g, 'Gather', ['ids_shape', 'one'], ['seq']);
    node(g, 'Neg', ['seq'], ['negseq']);
    node(g, 'Slice', ['cs', 'negseq', 'big', 'axes2'], ['tail']);
    node(g, 'Squeeze', ['tail', 'axes1'], ['h0']);
    node(g, 'Tanh', ['h0'], ['h']);
    node(g, 'MatMul', ['h', 'W'], ['logits']);
    g.str(2, 'tiny');
    initializer(g, 'embed', FLOAT, [V, D], Float32Array.from({ length: V * D }, () => rand() * 2));
    initializer(g, 'pos', FLOAT, [P, D], Float32Array.from({ length: P * D }, () => rand() * 0.5));
    initializer(g, 'W', FLOAT, [D, V], Float32Array.from({ length: D * V }, () => rand() * 6));
    initializer(g, 'axes1', INT64, [1], BigInt64Array.from([1n]));
    initializer(g, 'axes2', INT64, [1], BigInt64Array.from([2n]));
    initializer(g, 'axis2', INT64, [], BigInt64Array.from([2n]));
    initializer(g, 'one', INT64, [1], BigInt64Array.from([1n]));
    initializer(g, 'big', INT64, [1], BigInt64Array.from([1n << 40n]));
    valueInfo(g, 11, 'input_ids', INT64, ['batch_size', 'sequence_length']);
    valueInfo(g, 11, 'attention_mask', INT64, ['batch_size', 'total_sequence_length']);
    valueInfo(g, 11, 'position_ids', INT64, ['batch_size', 'sequence_length']);
    valueInfo(g, 11, 'past_key_values.0.key', FLOAT, ['batch_size', 1, 'past_sequence_length', D]);
    valueInfo(g, 11, 'past_key_values.0.value', FLOAT, ['batch_size', 1, 'past_sequence_length', D]);
    valueInfo(g, 12, 'logits', FLOAT, ['batch_size', 'sequence_length', V]);
    valueInfo(g, 12, 'present.0.key', FLOAT, ['batch_size', 1, 'total_sequence_length', D]);
    valueInfo(g, 12, 'present.0.value', FLOAT, ['batch_size', 1, 'total_sequence_length', D]);
  });
  model.msg(8, (o) => o.str(1, '').int(2, 14));
  return Uint8Array.from(model.bytes);
}

/** config.json for the tiny model (model_type llama, 1 layer, 1 kv head). */
export function tinyCausalLmConfig(spec: TinyLmSpec, eosId: number): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: spec.vocabSize,
    hidden_size: spec.hidden,
    intermediate_size: spec.hidden,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    num_key_value_heads: 1,
    head_dim: spec.hidden,
    max_position_embeddings: spec.maxPositions,
    eos_token_id: eosId,
    bos_token_id: 0,
    pad_token_id: 0,
  };
}

/**
 * tokenizer.json + tokenizer_config.json in the format the training pipeline writes
 * (training/dischargerx_train/tokenizer.py): char-level WordPiece, <s> prepended.
 * Ids: <pad> 0, <unk> 1, <s> 2, </s> 3, <sep> 4, then `chars`.
 */
export function tinyTokenizerFiles(chars: readonly string[]): { tokenizer: unknown; config: unknown; vocabSize: number } {
  const specials = ['<pad>', '<unk>', '<s>', '</s>', '<sep>'];
  const vocab = [...specials, ...chars];
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((t, id) => ({
      id,
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'Split', pattern: { Regex: '[\\s\\S]' }, behavior: 'Isolated', invert: false },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [2], tokens: ['<s>'] } },
    },
    decoder: { type: 'Fuse' },
    model: {
      type: 'WordPiece',
      unk_token: '<unk>',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
  const config = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: '<pad>',
    sep_token: '<sep>',
    add_bos_token: true,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: 128,
  };
  return { tokenizer, config, vocabSize: vocab.length };
}
