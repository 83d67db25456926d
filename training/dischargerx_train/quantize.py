"""Weight quantization of the exported ONNX graph with the plain `onnx` package.

q8 (transformers.js dtype "q8" -> onnx/model_quantized.onnx): int8 *weight-only* quantization of
every MatMul whose right operand is a 2-D float initializer W[K, N], symmetric per block of
`block_size` (32) rows along K and per column, stored as int8 and turned back into float32 by a
constant subgraph in front of the unchanged float MatMul:
    Wq    int8  [n_blocks, block_size, N]     (K zero-padded to a multiple of block_size)
    Ws    float [n_blocks, 1, N]              (max |w| of the block / 127)
    W     = Reshape(Cast<float>(Wq) * Ws, [n_blocks * block_size, N])  (then Slice to K rows if padded)
    Y     = MatMul(X, W)                      (X stays float32)
The subgraph only reads initializers, so onnxruntime's constant folding (graph optimization level
basic and above, the default) evaluates it once at session creation: the run-time graph is the fp32
graph with the dequantized weights, the file holds 1 byte per weight (+ 1 float per 32).

WHY (issue 4, Node q8 != WASM q8): q8 used to be dynamic quantization,
DynamicQuantizeLinear(X) -> MatMulInteger(Xq uint8, Wq int8) -> Mul(x_scale * w_scale). Measured on
the shipped model (training/README.md, section "Quantization"): the integer kernels of onnxruntime-node (x86
AVX512-VNNI) and onnxruntime-web (WASM SIMD, i16 dot products) are exact and identical, every
MatMulInteger output == (Xq - zp) @ Wq on both, even where a u8*s8 pair sum reached 56,580 > 32,767;
so no int16 saturation, and 7-bit "reduce_range" weights change nothing (Node vs WASM still 0.88).
The divergence comes from quantizing the *activations* at run time: the float ops between the
MatMuls differ between the native and the WASM build by ~1e-6 (fp32 logits agree to 8.6e-6), and
round(X / x_scale) turns such a difference into a whole quantization step whenever a value sits
at a .5 boundary (first flip: 1 of 22,016 activations, layer 2), which cascades to max |logit diff|
0.14 on the e2e notes and 0.78 on dev prompts (top-1 differs at 0.3% of positions). No weight
scale/range/zero-point choice prevents that while X is quantized, so X now stays float and both
runtimes agree to float rounding (3e-5), like fp32 and q4; it is also closer to fp32 (mean |logit
diff| 0.0058 vs 0.082). (The e2e note-3 drug flip had a second, non-numeric cause: see
e2e/engine.spec.ts.)
Alternatives measured and rejected: DequantizeLinear(Wq) -> MatMul is rewritten by onnxruntime into
MatMulNBits with accuracy_level 4 (int8 activations again: Node vs WASM 0.12); MatMulNBits bits=8
keeps parity but re-dequantizes every call on WASM (~3x slower decode steps than this scheme). The
old scheme would also saturate in vpmaddubsw on x86 CPUs without VNNI (AVX2 only).

q4 (dtype "q4" -> onnx/model_q4.onnx): com.microsoft MatMulNBits, bits=4, block_size 32 along K,
asymmetric per block with explicit packed uint8 zero points, no accuracy_level (fp32 compute):
    B      uint8 [N, n_blocks, block_size/2]   (element 2i in the low nibble, 2i+1 in the high one)
    scales float [N * n_blocks]
    zero_points uint8 [N * ceil(n_blocks/2)]    (per row; block 2i low nibble, 2i+1 high nibble)
    Y = X @ dequant(B)^T, dequant = (q - zp) * scale, shape [..., N]
The embedding Gather stays float32 in both. The tied lm_head MatMul (the logits) is quantized in q8
and stays float32 in q4 (see quantize_q4).

Re-quantize an exported folder without retraining (rewrites both files from onnx/model.onnx):
    cd training && /usr/bin/python3 -m dischargerx_train.quantize --model ../models/NAME
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BLOCK_SIZE = 32
Q8_MAX = 127  # symmetric int8 codes in [-127, 127]


def _weight_matmuls(model, exclude=()):
    inits = {i.name: i for i in model.graph.initializer}
    out = []
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits or node.name in exclude:
            continue
        w = numpy_helper.to_array(inits[node.input[1]])
        if w.ndim == 2 and w.dtype == np.float32:
            out.append((node, w))
    return out


def _replace(model, node, new_nodes, new_inits, drop_init):
    g = model.graph
    idx = list(g.node).index(node)
    g.node.remove(node)
    for j, n in enumerate(new_nodes):
        g.node.insert(idx + j, n)
    g.initializer.extend(new_inits)
    if drop_init is not None:
        still_used = any(drop_init in n.input for n in g.node)
        if not still_used:
            for i in list(g.initializer):
                if i.name == drop_init:
                    g.initializer.remove(i)


# ---------------------------------------------------------------------------------------- int8
def quantize_int8_weight(w, block_size=BLOCK_SIZE):
    """Symmetric int8 per (block of block_size rows along K) x (column). w: float [K, N].
    Returns (q int8 [n_blocks, block_size, N], scale float32 [n_blocks, 1, N], dequant float32 [K, N]);
    dequant is exactly what the graph computes (float32 Cast(q) * scale)."""
    K, N = w.shape
    nb = (K + block_size - 1) // block_size
    wp = np.zeros((nb * block_size, N), dtype=np.float32)
    wp[:K] = w
    blocks = wp.reshape(nb, block_size, N)
    amax = np.abs(blocks).max(axis=1, keepdims=True)
    scale = np.where(amax > 0, amax / np.float32(Q8_MAX), np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(blocks / scale), -Q8_MAX, Q8_MAX).astype(np.int8)
    deq = (q.astype(np.float32) * scale).reshape(nb * block_size, N)[:K]
    return q, scale, np.ascontiguousarray(deq)


def quantize_q8(model, exclude=(), block_size=BLOCK_SIZE):
    model = _copy(model)
    for k, (node, w) in enumerate(_weight_matmuls(model, exclude)):
        base = (node.name or "matmul%d" % k).replace("/", "_").strip("_") + "_q8"
        K, N = w.shape
        q, scale, _ = quantize_int8_weight(w, block_size)
        rows = q.shape[0] * q.shape[1]
        inits = [numpy_helper.from_array(q, base + "_Wq"), numpy_helper.from_array(scale, base + "_Ws"),
                 numpy_helper.from_array(np.array([rows, N], np.int64), base + "_shape")]
        w_float = base + "_W" if rows == K else base + "_Wpad"
        nodes = [
            helper.make_node("Cast", [base + "_Wq"], [base + "_Wqf"], to=TensorProto.FLOAT, name=base + "_cast"),
            helper.make_node("Mul", [base + "_Wqf", base + "_Ws"], [base + "_Wb"], name=base + "_scale"),
            helper.make_node("Reshape", [base + "_Wb", base + "_shape"], [w_float], name=base + "_reshape"),
        ]
        if rows != K:  # drop the zero padding rows
            inits += [numpy_helper.from_array(np.array([0], np.int64), base + "_starts"),
                      numpy_helper.from_array(np.array([K], np.int64), base + "_ends"),
                      numpy_helper.from_array(np.array([0], np.int64), base + "_axes")]
            nodes.append(helper.make_node("Slice", [w_float, base + "_starts", base + "_ends", base + "_axes"],
                                          [base + "_W"], name=base + "_slice"))
        nodes.append(helper.make_node("MatMul", [node.input[0], base + "_W"], [node.output[0]], name=node.name or base))
        _replace(model, node, nodes, inits, node.input[1])
    return model


# ---------------------------------------------------------------------------------------- int4
def quantize_q4_weight(w, block_size=BLOCK_SIZE):
    """w: float [K, N] (MatMul right operand). Returns dict with packed tensors and dequantized
    float [K, N] reference."""
    K, N = w.shape
    nb = (K + block_size - 1) // block_size
    wt = np.zeros((N, nb * block_size), dtype=np.float32)
    wt[:, :K] = w.T
    blocks = wt.reshape(N, nb, block_size)
    vmin = np.minimum(blocks.min(axis=2), 0.0)
    vmax = np.maximum(blocks.max(axis=2), 0.0)
    scale = ((vmax - vmin) / 15.0).astype(np.float32)
    scale = np.where(scale > 0, scale, np.float32(1.0)).astype(np.float32)
    zp = np.clip(np.rint(-vmin / scale), 0, 15).astype(np.uint8)
    q = np.clip(np.rint(blocks / scale[:, :, None]) + zp[:, :, None], 0, 15).astype(np.uint8)
    packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)  # [N, nb, bs/2]
    zp_pad = np.zeros((N, nb + (nb % 2)), dtype=np.uint8)
    zp_pad[:, :nb] = zp
    zp_packed = (zp_pad[:, 0::2] | (zp_pad[:, 1::2] << 4)).astype(np.uint8)  # [N, ceil(nb/2)]
    deq = ((q.astype(np.float32) - zp[:, :, None].astype(np.float32)) * scale[:, :, None]).reshape(N, -1)[:, :K].T
    return {"B": packed, "scales": scale.reshape(-1), "zero_points": zp_packed.reshape(-1),
            "K": K, "N": N, "n_blocks": nb, "dequant": np.ascontiguousarray(deq)}


def output_projections(model):
    """Names of the weight MatMuls that write a graph output directly: the (tied) lm_head that
    makes the logits."""
    outs = {o.name for o in model.graph.output}
    return tuple(n.name for n in model.graph.node if n.op_type == "MatMul" and n.output[0] in outs)


def quantize_q4(model, block_size=BLOCK_SIZE, exclude=(), accuracy_level=None, float_logits=True):
    """Leave accuracy_level unset (fp32 compute): 4 would quantize X to int8 at run time, which
    breaks native/web parity for the reason given in the module docstring.

    float_logits keeps the lm_head in fp32 (a plain MatMul, which WebGPU runs natively): the
    candidate ranking is read straight off these logits, and on the shipped model 4-bit lm_head
    weights alone doubled the largest logit error against fp32 (0.70 vs 0.31 with it in fp32) for
    +0.95 MB (3.1 -> 4.1 MB)."""
    model = _copy(model)
    if float_logits:
        exclude = tuple(exclude) + output_projections(model)
    for k, (node, w) in enumerate(_weight_matmuls(model, exclude)):
        base = (node.name or "matmul%d" % k).replace("/", "_").strip("_") + "_q4"
        r = quantize_q4_weight(w, block_size)
        inits = [numpy_helper.from_array(r["B"], base + "_B"), numpy_helper.from_array(r["scales"], base + "_scales"),
                 numpy_helper.from_array(r["zero_points"], base + "_zp")]
        attrs = {"K": r["K"], "N": r["N"], "bits": 4, "block_size": block_size}
        if accuracy_level is not None:
            attrs["accuracy_level"] = accuracy_level
        n = helper.make_node("MatMulNBits", [node.input[0], base + "_B", base + "_scales", base + "_zp"],
                             [node.output[0]], name=base, domain="com.microsoft", **attrs)
        _replace(model, node, [n], inits, node.input[1])
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model


def _copy(model):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    return m


def quantize_file(src, dst, mode, **kw):
    model = onnx.load(src)
    q = quantize_q8(model, **kw) if mode == "q8" else quantize_q4(model, **kw)
    if mode == "q8":
        onnx.checker.check_model(q)
    onnx.save(q, dst)
    return dst


def dequantized_weights(model_path, mode, block_size=BLOCK_SIZE):
    """For tests/measurement: {initializer name of the original W: dequantized float W}."""
    model = onnx.load(model_path)
    out = {}
    for node, w in _weight_matmuls(model):
        if mode == "q8":
            out[node.input[1]] = quantize_int8_weight(w, block_size)[2]
        else:
            out[node.input[1]] = quantize_q4_weight(w, block_size)["dequant"]
    return out


# ------------------------------------------------------------------------- re-quantize a folder
FILES = {"q8": "model_quantized.onnx", "q4": "model_q4.onnx"}


def requantize_folder(folder, modes=("q8", "q4")):
    """Rewrite onnx/model_quantized.onnx and/or onnx/model_q4.onnx of an exported model folder
    from its onnx/model.onnx (no retraining). Returns {mode: (path, size in bytes)}."""
    src = os.path.join(folder, "onnx", "model.onnx")
    if not os.path.isfile(src):
        raise FileNotFoundError("%s not found: --model takes an exported folder (with onnx/model.onnx)" % src)
    out = {}
    for mode in modes:
        dst = os.path.join(folder, "onnx", FILES[mode])
        tmp = dst + ".tmp"
        quantize_file(src, tmp, mode)
        os.replace(tmp, dst)  # no half-written weights file if interrupted
        out[mode] = (dst, os.path.getsize(dst))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m dischargerx_train.quantize",
                                 description="Rewrite the q8/q4 files of an exported model folder from its onnx/model.onnx.")
    ap.add_argument("--model", required=True, help="exported model folder, e.g. ../models/dischargerx-small")
    ap.add_argument("--only", choices=sorted(FILES), help="rewrite just this dtype (default: q8 and q4)")
    args = ap.parse_args(argv)
    for mode, (path, size) in requantize_folder(args.model, (args.only,) if args.only else ("q8", "q4")).items():
        print("%s -> %s (%d bytes)" % (mode, path, size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
