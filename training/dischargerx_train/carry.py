"""Carry a trained run between machines whose PyTorch versions differ (a lent GPU's torch 2.x and the
Debian torch 1.13 that exports the shipped graph). A run trained with `--no-export` is packed into one
tar of plain formats: the best weights as .npz, the resume state as JSON, the log. Unpacked on the
other machine it is a run folder that `train.py ... --resume` continues straight to the export.
The optimizer's moments are not carried (they are three times the weights and the export never
steps), so an unpacked run can be exported, not trained further."""
import io
import json
import os
import tarfile

import numpy as np
import torch

from .train import CHECKPOINT_FILE

WEIGHTS, STATE, LOG = "best.npz", "resume.json", "log.jsonl"


def _jsonable(x):
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, torch.Tensor):
        return x.tolist()
    return x


def pack(run_dir, out_path):
    """run_dir (trained to the end with --no-export) -> one tar at out_path."""
    ckpt_path, best_path = os.path.join(run_dir, CHECKPOINT_FILE), os.path.join(run_dir, "best.pt")
    if not os.path.isfile(ckpt_path):
        raise SystemExit("pack: %s is missing; train to the end with --no-export first" % ckpt_path)
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=False)  # holds the RNG state and fingerprint, not only tensors
    if ckpt["state"]["epoch"] < ckpt["fingerprint"]["epochs"]:
        # a paused run still needs its optimizer moments, which are not carried: finish it where it is
        raise SystemExit("pack: the run in %s paused at step %d of %d; finish it with --resume before packing"
                         % (run_dir, ckpt["state"]["step"], ckpt["fingerprint"]["total_steps"]))
    if not os.path.isfile(best_path):
        raise SystemExit("pack: %s is missing; train to the end with --no-export first" % best_path)
    best = torch.load(best_path, map_location="cpu")
    buf = io.BytesIO()
    np.savez(buf, **{k: v.float().numpy() for k, v in best.items()})
    state = {"fingerprint": ckpt["fingerprint"], "state": _jsonable(ckpt["state"]),
             "param_groups": _jsonable(ckpt["optimizer"]["param_groups"]), "torch": torch.__version__}
    if os.path.abspath(out_path) in (os.path.abspath(ckpt_path), os.path.abspath(best_path)):
        raise SystemExit("pack: will not overwrite the run's own files")
    with tarfile.open(out_path, "w") as tar:
        for name, data in ((WEIGHTS, buf.getvalue()), (STATE, json.dumps(state, ensure_ascii=False).encode("utf-8"))):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        log_path = os.path.join(run_dir, LOG)
        if os.path.isfile(log_path):
            tar.add(log_path, arcname=LOG)
    return out_path


def unpack(tar_path, run_dir):
    """The tar from pack() -> a run folder (best.pt, checkpoint.pt, log.jsonl) ready for --resume."""
    os.makedirs(run_dir, exist_ok=True)
    if os.path.exists(os.path.join(run_dir, CHECKPOINT_FILE)):
        raise SystemExit("unpack: %s already holds a checkpoint; unpack into an empty run folder" % run_dir)
    with tarfile.open(tar_path) as tar:
        weights = np.load(io.BytesIO(tar.extractfile(WEIGHTS).read()))
        state = json.loads(tar.extractfile(STATE).read().decode("utf-8"))
        log = tar.extractfile(LOG).read() if LOG in tar.getnames() else b""
    best = {k: torch.from_numpy(np.array(weights[k], dtype=np.float32)) for k in weights.files}
    torch.save(best, os.path.join(run_dir, "best.pt"))
    ckpt = {"fingerprint": state["fingerprint"], "model": best,
            "optimizer": {"state": {}, "param_groups": state["param_groups"]},
            "torch_rng": torch.get_rng_state(), "state": state["state"]}
    torch.save(ckpt, os.path.join(run_dir, CHECKPOINT_FILE))
    with open(os.path.join(run_dir, LOG), "wb") as f:
        f.write(log)
    return run_dir
