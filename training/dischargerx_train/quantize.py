"""Weight quantization of the exported ONNX graph with the plain `onnx` package.

q8 (transformers.js dtype "q8" -> onnx/model_quantized.onnx): dynamic quantization of every
MatMul whose right operand is a 2-D float initializer W[K, N]:
    Xq, xs, xzp = DynamicQuantizeLinear(X)                 (uint8, per tensor)
    Y = Cast<float>(MatMulInteger(Xq, Wq, xzp)) * (xs * ws) (Wq int8 symmetric per column, ws[N])

q4 (dtype "q4" -> onnx/model_q4.onnx): com.microsoft MatMulNBits, bits=4, block_size 32 along K,
asymmetric per block with explicit packed uint8 zero points:
    B      uint8 [N, n_blocks, block_size/2]   (element 2i in the low nibble, 2i+1 in the high one)
    scales float [N * n_blocks]
    zero_points uint8 [N * ceil(n_blocks/2)]    (per row; block 2i low nibble, 2i+1 high nibble)
    Y = X @ dequant(B)^T, dequant = (q - zp) * scale, shape [..., N]
The embedding Gather stays float32 in both (tied lm_head MatMul is quantized unless excluded).
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


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
def quantize_int8_weight(w):
    """Symmetric int8 per output column. Returns (q int8 [K,N], scale float32 [N])."""
    amax = np.abs(w).max(axis=0)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def quantize_q8(model, exclude=()):
    model = _copy(model)
    for k, (node, w) in enumerate(_weight_matmuls(model, exclude)):
        base = (node.name or "matmul%d" % k).replace("/", "_").strip("_") + "_q8"
        q, scale = quantize_int8_weight(w)
        x = node.input[0]
        inits = [numpy_helper.from_array(q, base + "_W"), numpy_helper.from_array(scale, base + "_Wscale")]
        nodes = [
            helper.make_node("DynamicQuantizeLinear", [x], [base + "_Xq", base + "_Xs", base + "_Xzp"], name=base + "_dql"),
            helper.make_node("MatMulInteger", [base + "_Xq", base + "_W", base + "_Xzp"], [base + "_Yi"], name=base + "_mmi"),
            helper.make_node("Cast", [base + "_Yi"], [base + "_Yf"], to=TensorProto.FLOAT, name=base + "_cast"),
            helper.make_node("Mul", [base + "_Xs", base + "_Wscale"], [base + "_S"], name=base + "_smul"),
            helper.make_node("Mul", [base + "_Yf", base + "_S"], [node.output[0]], name=base + "_ymul"),
        ]
        _replace(model, node, nodes, inits, node.input[1])
    return model


# ---------------------------------------------------------------------------------------- int4
def quantize_q4_weight(w, block_size=32):
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


def quantize_q4(model, block_size=32, exclude=(), accuracy_level=None):
    model = _copy(model)
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


def dequantized_weights(model_path, mode, block_size=32):
    """For tests/measurement: {initializer name of the original W: dequantized float W}."""
    model = onnx.load(model_path)
    out = {}
    for node, w in _weight_matmuls(model):
        if mode == "q8":
            q, s = quantize_int8_weight(w)
            out[node.input[1]] = q.astype(np.float32) * s
        else:
            out[node.input[1]] = quantize_q4_weight(w, block_size)["dequant"]
    return out
