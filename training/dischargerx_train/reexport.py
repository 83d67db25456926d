"""Re-export a trained checkpoint into its model folder with the current graph code, without
retraining: onnx/model.onnx from the run's best.pt, then q8 and q4 (quantize.py), then
manifest.json. Every other file (config, tokenizer, drug order, calibration, model card) is
kept. Used when the export graph changes but the weights do not (e.g. the grouped-query
attention of issue #10): the weights, and so every prediction, stay what training produced.

    cd training && /usr/bin/python3 -m dischargerx_train.reexport --run-dir ../runs/NAME --model ../models/NAME
"""
import argparse
import json
import os
import sys

import torch

from .export_onnx import export_onnx
from .manifest import write_manifest
from .model import LlamaLM
from .quantize import FILES, quantize_file

MODEL_KEYS = ("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
              "num_key_value_heads", "max_position_embeddings", "rope_theta", "rms_norm_eps", "tie_word_embeddings")


def reexport(run_dir, folder):
    ckpt = os.path.join(run_dir, "best.pt")
    if not os.path.isfile(ckpt):
        raise FileNotFoundError("%s not found: --run-dir takes the training run folder (with best.pt)" % ckpt)
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as fh:
        cfg = json.load(fh)
    model = LlamaLM({k: cfg[k] for k in MODEL_KEYS})
    model.load_state_dict(torch.load(ckpt, map_location="cpu"))
    model.eval()
    onnx_dir = os.path.join(folder, "onnx")
    fp32 = os.path.join(onnx_dir, "model.onnx")
    tmp = fp32 + ".tmp"
    export_onnx(model, tmp)
    os.replace(tmp, fp32)  # never a half-written weights file
    for mode, name in FILES.items():
        dst = os.path.join(onnx_dir, name)
        quantize_file(fp32, dst + ".tmp", mode)
        os.replace(dst + ".tmp", dst)
    return write_manifest(folder)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m dischargerx_train.reexport", description=__doc__.split("\n\n")[0])
    ap.add_argument("--run-dir", required=True, help="training run folder holding best.pt")
    ap.add_argument("--model", required=True, help="exported model folder to rewrite (config.json is read from it)")
    args = ap.parse_args(argv)
    m = reexport(args.run_dir, args.model)
    print("re-exported %s (manifest version %s)" % (args.model, m["version"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
