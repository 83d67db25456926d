"""ONNX export in the layout transformers.js loads for model_type "llama" (+ HF config files)."""
import json
import os

import torch

from .model import OnnxWrapper

OPSET = 14


def new_kv_name(layer, kv):
    """The call's own K/V rows (the last sequence_length positions of present.N.*): what a
    decoder that keeps the cache itself fetches instead of the whole present (src/decoding/kv-arena.ts).
    Same numbers as the present's tail, so predictions do not change."""
    return "new_key_values.%d.%s" % (layer, kv)


def prefix_kv_name(layer, kv):
    """K/V of positions shared by every row (the prompt, once for all beams): [1, kv_heads,
    prefix_length, head_dim], broadcast inside the graph (model.py Attention.forward_shared_prefix).
    Length 0 gives the graph without a shared prefix (what transformers.js runs)."""
    return "prefix_key_values.%d.%s" % (layer, kv)


def io_names(n_layers):
    """Graph I/O. attention_mask covers prefix + past + new positions; position_ids are absolute
    (prefix_length + past position). present.N.* = past + new (the prefix is not repeated)."""
    inputs = ["input_ids", "attention_mask", "position_ids"]
    outputs = ["logits"]
    dyn = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "attention_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(n_layers):
        for kv in ("key", "value"):
            inputs.append("past_key_values.%d.%s" % (i, kv))
            outputs.append("present.%d.%s" % (i, kv))
            dyn[inputs[-1]] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[outputs[-1]] = {0: "batch_size", 2: "total_sequence_length"}
    for i in range(n_layers):
        for kv in ("key", "value"):
            inputs.append(prefix_kv_name(i, kv))
            dyn[inputs[-1]] = {2: "prefix_length"}
    for i in range(n_layers):
        for kv in ("key", "value"):
            outputs.append(new_kv_name(i, kv))
            dyn[outputs[-1]] = {0: "batch_size", 2: "sequence_length"}
    return inputs, outputs, dyn


def export_onnx(model, path, opset=OPSET):
    model = model.cpu().eval()
    cfg = model.cfg
    n_layers = cfg["num_hidden_layers"]
    n_kv = cfg["num_key_value_heads"]
    hd = cfg["hidden_size"] // cfg["num_attention_heads"]
    B, T, S, P = 2, 3, 4, 5
    input_ids = torch.randint(0, cfg["vocab_size"], (B, T), dtype=torch.long)
    attention_mask = torch.ones(B, P + S + T, dtype=torch.long)
    position_ids = torch.arange(P + S, P + S + T, dtype=torch.long).unsqueeze(0).expand(B, T).contiguous()
    past, prefix = [], []
    for _ in range(n_layers):
        past += [torch.randn(B, n_kv, S, hd), torch.randn(B, n_kv, S, hd)]
        prefix += [torch.randn(1, n_kv, P, hd), torch.randn(1, n_kv, P, hd)]
    inputs, outputs, dyn = io_names(n_layers)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            OnnxWrapper(model), (input_ids, attention_mask, position_ids, *past, *prefix), path,
            input_names=inputs, output_names=outputs, dynamic_axes=dyn, opset_version=opset,
            do_constant_folding=True,
        )
    import onnx

    m = onnx.load(path)
    onnx.checker.check_model(m)
    return path


def hf_config(model_cfg, tok, extra):
    hd = model_cfg["hidden_size"] // model_cfg["num_attention_heads"]
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": len(tok),
        "hidden_size": model_cfg["hidden_size"],
        "intermediate_size": model_cfg["intermediate_size"],
        "num_hidden_layers": model_cfg["num_hidden_layers"],
        "num_attention_heads": model_cfg["num_attention_heads"],
        "num_key_value_heads": model_cfg["num_key_value_heads"],
        "head_dim": hd,
        "max_position_embeddings": model_cfg["max_position_embeddings"],
        "rope_theta": model_cfg["rope_theta"],
        "rope_scaling": None,
        "rms_norm_eps": model_cfg["rms_norm_eps"],
        "hidden_act": "silu",
        "attention_bias": False,
        "mlp_bias": False,
        "tie_word_embeddings": bool(model_cfg.get("tie_word_embeddings", True)),
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "pad_token_id": tok.pad_id,
        "torch_dtype": "float32",
        "use_cache": True,
        "transformers.js_config": {"use_external_data_format": False, "kv_cache_dtype": "float32",
                                   "dtype": "q8"},
        "dischargerx": extra,
    }


def generation_config(tok, max_new_tokens=160):
    return {"bos_token_id": tok.bos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.pad_id,
            "do_sample": False, "max_new_tokens": max_new_tokens}


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
