"""Re-export a trained model into its folder with the current graph code, without retraining:
onnx/model.onnx, then q8 and q4 (quantize.py), then manifest.json. Every other file (config,
tokenizer, drug order, calibration, model card) is kept. Used when the export graph changes but
the weights do not (the grouped-query attention and the shared-prefix inputs of issue #10): the
weights, and so every prediction, stay what training produced.

The weights come from the run's best.pt (--run-dir) or, when that is gone, from the folder's own
fp32 graph (--from-onnx): its initializers are mapped back onto the PyTorch parameter names
(`state_dict_from_onnx`). Either way the new graph is checked against the old one before anything
is replaced: the same logits on fixed token sequences (prompt call, then a cached step), and the
requantised weight initializers byte-identical to the old q8 / q4 files' wherever a node of the
same name exists in both.

    cd training && /usr/bin/python3 -m dischargerx_train.reexport --model ../models/NAME --from-onnx
    cd training && /usr/bin/python3 -m dischargerx_train.reexport --model ../models/NAME --run-dir ../runs/NAME
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch

from .export_onnx import export_onnx
from .manifest import write_manifest
from .model import LlamaLM
from .quantize import FILES, quantize_file

MODEL_KEYS = ("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
              "num_key_value_heads", "max_position_embeddings", "rope_theta", "rms_norm_eps", "tie_word_embeddings")
# Linear layers of a block, as torch.onnx names their MatMul nodes (/layers.N/<module path>/MatMul).
_LINEARS = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")


def _weight_matmul(graph, inits, node_name):
    """The [in, out] weight a MatMul node of that name multiplies by, or None."""
    from onnx import numpy_helper

    for node in graph.node:
        if node.op_type == "MatMul" and node.name.lstrip("/") == node_name and node.input[1] in inits:
            return numpy_helper.to_array(inits[node.input[1]])
    return None


def state_dict_from_onnx(path, model):
    """LlamaLM state dict rebuilt from an fp32 graph this exporter wrote. Embedding and norms keep
    their parameter names (prefixed `model.`); each Linear's weight is the transposed initializer
    of the MatMul node torch.onnx named after the module. Every parameter of `model` must be found
    (KeyError otherwise); a tied head must equal the embedding bit for bit."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(path).graph
    inits = {i.name: i for i in graph.initializer}
    # torch.onnx stores equal parameters once (e.g. untrained norms, all ones) and names the
    # others through Identity nodes.
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            inits.setdefault(node.output[0], inits[node.input[0]])
    out = {}
    for name, param in model.state_dict().items():
        if "model." + name in inits:
            w = numpy_helper.to_array(inits["model." + name])
        else:
            layer, _, rest = name.partition(".")  # "layers", "N.self_attn.q_proj.weight"
            idx, _, module = rest.partition(".")
            module = module[: -len(".weight")] if module.endswith(".weight") else module
            w = None
            if layer == "layers" and module in _LINEARS:
                w = _weight_matmul(graph, inits, "layers.%s/%s/MatMul" % (idx, module.replace(".", "/")))
            elif name == "lm_head.weight":
                w = _weight_matmul(graph, inits, "MatMul")
            if w is None:
                raise KeyError("%s: no initializer for %s" % (path, name))
            w = w.T
        if tuple(w.shape) != tuple(param.shape):
            raise ValueError("%s: %s has shape %s, the model wants %s" % (path, name, w.shape, tuple(param.shape)))
        out[name] = torch.from_numpy(np.array(w, dtype=np.float32))  # a writable copy
    if model.tied:
        head = _weight_matmul(graph, inits, "MatMul")
        if head is None or not np.array_equal(head.T, out["embed_tokens.weight"].numpy()):
            raise ValueError("%s: the logits MatMul is not the tied embedding" % path)
    return out


def _check_feeds(graph_path, vocab, n_layers, kv_heads, head_dim, seed=0):
    """Two calls every graph generation accepts: a 2-row prompt (one row left-padded), then a
    2-token cached step. Prefix inputs, when the graph has them, are fed empty (the old layout)."""
    import onnx

    names = {i.name for i in onnx.load(graph_path).graph.input}
    rng = np.random.default_rng(seed)
    n = 40
    ids = rng.integers(4, vocab, size=(2, n))
    am = np.ones((2, n), np.int64)
    am[1, :5] = 0
    pos = np.clip(np.cumsum(am, 1) - 1, 0, None)
    empty = np.zeros((2, kv_heads, 0, head_dim), np.float32)
    feeds = {"input_ids": ids, "attention_mask": am, "position_ids": pos}
    for i in range(n_layers):
        for kv in ("key", "value"):
            feeds["past_key_values.%d.%s" % (i, kv)] = empty
            if "prefix_key_values.0.key" in names:
                feeds["prefix_key_values.%d.%s" % (i, kv)] = np.zeros((1, kv_heads, 0, head_dim), np.float32)
    return feeds, names


def compare_graphs(old_path, new_path, cfg):
    """Max |logit diff| of two fp32 graphs on the same calls (prompt, then one cached 2-token step
    fed each graph's own present.*), through onnxruntime-node."""
    from . import ort_node

    hd = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    L, H = cfg["num_hidden_layers"], cfg["num_key_value_heads"]
    worst = 0.0
    outs = []
    for path in (old_path, new_path):
        feeds, names = _check_feeds(path, cfg["vocab_size"], L, H, hd)
        first = ort_node.run(path, feeds)
        step = dict(feeds)
        step["input_ids"] = np.array([[5, 6], [7, 8]])
        step["attention_mask"] = np.concatenate([feeds["attention_mask"], np.ones((2, 2), np.int64)], 1)
        step["position_ids"] = feeds["position_ids"][:, -1:] + np.array([[1, 2]])
        for i in range(L):
            for kv in ("key", "value"):
                step["past_key_values.%d.%s" % (i, kv)] = first["present.%d.%s" % (i, kv)].astype(np.float32)
        outs.append((first["logits"], ort_node.run(path, step)["logits"]))
    (a0, a1), (b0, b1) = outs
    keep = feeds["attention_mask"][:, :, None] > 0  # fully padded query rows are undefined
    worst = max(np.abs(np.where(keep, a0 - b0, 0)).max(), np.abs(a1 - b1).max())
    return float(worst)


def changed_weights(old_path, new_path):
    """Weight initializers (≥ 2-D) of the old graph with no byte-identical twin in the new one:
    same name when the node kept its name, else same dims and bytes under any name (torch.onnx
    numbers unnamed initializers, e.g. the float logits weight of q4, by graph position).
    Returns (changed names, how many were checked)."""
    import onnx
    from onnx import numpy_helper

    def weights(path):
        out = {}
        for i in onnx.load(path).graph.initializer:
            if len(i.dims) >= 2:
                a = numpy_helper.to_array(i)
                out[i.name] = (str(a.dtype), tuple(a.shape), a.tobytes())
        return out

    old, new = weights(old_path), weights(new_path)
    anywhere = set(new.values())
    # A same-named twin first; else any twin: torch.onnx's numbered names (onnx::MatMul_643) can
    # shift to another weight when the graph around them changes.
    changed = [n for n, blob in old.items() if (n not in new or new[n] != blob) and blob not in anywhere]
    return changed, len(old)


def reexport(folder, run_dir=None, tolerance=1e-4):
    """Rewrite folder/onnx/* and manifest.json from best.pt (run_dir) or from onnx/model.onnx.
    Returns the manifest plus a report of the checks."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as fh:
        cfg = json.load(fh)
    model = LlamaLM({k: cfg[k] for k in MODEL_KEYS})
    onnx_dir = os.path.join(folder, "onnx")
    fp32 = os.path.join(onnx_dir, "model.onnx")
    if run_dir is not None:
        ckpt = os.path.join(run_dir, "best.pt")
        if not os.path.isfile(ckpt):
            raise FileNotFoundError("%s not found: --run-dir takes the training run folder (with best.pt)" % ckpt)
        state = torch.load(ckpt, map_location="cpu")
    else:
        state = state_dict_from_onnx(fp32, model)
    model.load_state_dict(state)
    model.eval()
    report = {}
    with tempfile.TemporaryDirectory(dir=onnx_dir) as td:
        new_fp32 = os.path.join(td, "model.onnx")
        export_onnx(model, new_fp32)
        if run_dir is None:
            changed, report["fp32_weights_checked"] = changed_weights(fp32, new_fp32)
            if changed:
                raise ValueError("model.onnx: re-exported weights differ from the old file's: %s" % changed[:5])
        if os.path.isfile(fp32):
            from . import ort_node

            if ort_node.node_available():
                report["max_logit_diff_vs_old_fp32"] = compare_graphs(fp32, new_fp32, cfg)
                if report["max_logit_diff_vs_old_fp32"] > tolerance:
                    raise ValueError("re-exported graph differs from the old one: max |logit diff| %.3g > %.3g"
                                     % (report["max_logit_diff_vs_old_fp32"], tolerance))
        for mode, name in FILES.items():
            dst = os.path.join(td, name)
            quantize_file(new_fp32, dst, mode)
            old = os.path.join(onnx_dir, name)
            if os.path.isfile(old) and run_dir is None:
                changed, checked = changed_weights(old, dst)
                report["%s_weights_checked" % mode] = checked
                if changed:
                    raise ValueError("%s: requantised weights differ from the old file's: %s" % (name, changed[:5]))
        # Replace only once every file is written and checked: never a half-written folder.
        for name in ["model.onnx", *FILES.values()]:
            os.replace(os.path.join(td, name), os.path.join(onnx_dir, name))
    manifest = write_manifest(folder)
    return manifest, report


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m dischargerx_train.reexport", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="exported model folder to rewrite (config.json is read from it)")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--run-dir", help="training run folder holding best.pt")
    src.add_argument("--from-onnx", action="store_true", help="take the weights from the folder's onnx/model.onnx")
    args = ap.parse_args(argv)
    m, report = reexport(args.model, None if args.from_onnx else args.run_dir)
    print("re-exported %s (manifest version %s) %s" % (args.model, m["version"], json.dumps(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
