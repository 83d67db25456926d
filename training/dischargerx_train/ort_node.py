"""Run an ONNX file through onnxruntime-node (there is no onnxruntime for this Python)."""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

from . import REPO_ROOT

SCRIPT = os.path.join(REPO_ROOT, "training", "node", "ort-run.mjs")


def node_available():
    return shutil.which("node") is not None and os.path.isdir(os.path.join(REPO_ROOT, "node_modules", "onnxruntime-node"))


def run(model_path, feeds):
    """feeds: name -> numpy array (int64 or float32). Returns name -> numpy float array."""
    with tempfile.TemporaryDirectory() as td:
        ip, op = os.path.join(td, "in.json"), os.path.join(td, "out.json")
        spec = {}
        for k, v in feeds.items():
            v = np.asarray(v)
            dt = "int64" if v.dtype.kind in "iu" else "float32"
            spec[k] = {"dtype": dt, "dims": list(v.shape), "data": v.reshape(-1).tolist()}
        with open(ip, "w") as f:
            json.dump(spec, f)
        subprocess.run(["node", SCRIPT, os.path.abspath(model_path), ip, op], check=True, cwd=REPO_ROOT)
        with open(op) as f:
            res = json.load(f)
    return {k: np.asarray(v["data"], dtype=np.float64).reshape(v["dims"]) for k, v in res.items()}
