"""End-to-end: tokenizer -> train -> export ONNX -> quantize -> Hugging Face folder in --out."""
import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import REPO_ROOT
from .configs import get_config
from .data import (DEFAULT_CANDIDATES, Candidates, canonical_labels, collate, drug_order, make_batches,
                   make_examples, read_records)
from .decode import CandidateTrie, evaluate
from .export_onnx import export_onnx, generation_config, hf_config, write_json
from .manifest import sha256, write_manifest
from .model import LlamaLM
from .prompt import PROMPT_CACHE_ENV, build_prompt, build_prompts, load_spec
from .tokenizer import CharTokenizer


def log(fh, **kw):
    line = json.dumps(kw, ensure_ascii=False)
    print(line, flush=True)
    if fh is not None:
        fh.write(line + "\n")
        fh.flush()


CHECKPOINT_FILE = "checkpoint.pt"


def _tuple_state(x):
    """random.Random state as setstate needs it (a checkpoint may hand back lists)."""
    return tuple(_tuple_state(v) for v in x) if isinstance(x, (list, tuple)) else x


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def find_split(data_dir, name):
    for ext in (".jsonl", ".json"):
        p = os.path.join(data_dir, name + ext)
        if os.path.exists(p):
            return p
    return None


def lr_at(step, total, peak, warmup):
    """Linear warmup then cosine to 10% of peak, by step only, so a rerun with the same seed
    follows the same schedule whatever the machine's speed."""
    if step < warmup:
        return peak * (step + 1) / warmup
    prog = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * prog)))


def cpu_has_bf16():
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def choose_precision(requested, device):
    """bf16 autocast where the hardware runs it natively (about 2x faster on AVX512-BF16 CPUs);
    weights, optimizer state, loss and evaluation stay fp32."""
    if requested != "auto":
        return requested
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    return "bf16" if cpu_has_bf16() else "fp32"


def loss_on_batch(model, ids, tgt_mask, precision="fp32"):
    with torch.autocast(ids.device.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
        hidden, _ = model(ids, return_hidden=True)
        h = hidden[tgt_mask]  # positions that predict target tokens only
        labels = ids[:, 1:][tgt_mask[:, :-1]]
        logits = F.linear(h, model.head_weight())
    return F.cross_entropy(logits.float(), labels)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, help="folder with train.jsonl and dev.jsonl (test.jsonl unused)")
    ap.add_argument("--out", required=True, help="output model folder, e.g. models/dischargerx-small")
    ap.add_argument("--config", default="small")
    ap.add_argument("--candidates", default=None, help="formulary.json (FormularyFile) or JSON array of names")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--max-train", type=int, default=None)
    ap.add_argument("--augment-rate", type=float, default=None, help="share of training visits whose prompt is augmented "
                    "(default: config's augment_rate)")
    ap.add_argument("--max-dev", type=int, default=None, help="dev records scored per epoch (default: config)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--run-dir", default=None, help="scratch dir (default runs/<out basename>)")
    ap.add_argument("--time-budget", type=float, default=None, help="wall-clock minutes after which training stops early (default: config's "
                    "time_budget_min); a safety cap, logged when it fires, since the schedule is by step")
    ap.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto",
                    help="training compute precision (auto: bf16 autocast on CUDA/AVX512-BF16 CPUs, else fp32)")
    ap.add_argument("--no-node-check", action="store_true", help="skip onnxruntime-node verification")
    ap.add_argument("--prompt-cache", default=None, help="folder of prompts built before (content-addressed): read there, "
                    "new ones written; lets a machine without Node train (training/README.md, GPU)")
    ap.add_argument("--prepare-prompts", action="store_true", help="only build every prompt this run needs into "
                    "--prompt-cache, then exit (run where Node is, before training where it is not)")
    ap.add_argument("--resume", action="store_true", help="continue the run in --run-dir from its checkpoint.pt (written "
                    "every --checkpoint-min minutes, after every epoch and when a run pauses)")
    ap.add_argument("--checkpoint-min", type=float, default=10.0, help="minutes between mid-epoch checkpoints (default 10)")
    ap.add_argument("--no-export", action="store_true", help="train only: keep best.pt and checkpoint.pt in --run-dir "
                    "and stop before the ONNX export (a lent GPU whose PyTorch exports another graph); pack the run with "
                    "training/carry_run.py, then export where the Debian torch runs, with the same command and --resume")
    ap.add_argument("--stop-at-step", type=int, default=None, help="checkpoint and pause once this many steps are done "
                    "(to split a run on purpose; continue with --resume)")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.prepare_prompts and not args.prompt_cache:
        raise SystemExit("--prepare-prompts needs --prompt-cache DIR")
    if not args.prompt_cache:
        return _run(args)
    # data.py and decode.py build prompts too: they read the cache from the environment, which is
    # put back afterwards so a later run in the same process does not inherit this one's cache.
    before = os.environ.get(PROMPT_CACHE_ENV)
    os.environ[PROMPT_CACHE_ENV] = os.path.abspath(args.prompt_cache)
    try:
        return _run(args)
    finally:
        if before is None:
            os.environ.pop(PROMPT_CACHE_ENV, None)
        else:
            os.environ[PROMPT_CACHE_ENV] = before


def _run(args):
    t_start = time.time()
    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    cfg = get_config(args.config)
    tcfg = cfg["train"]
    if args.epochs is not None:
        tcfg["epochs"] = max(1, args.epochs)
    if args.max_dev is not None:
        tcfg["dev_subset"] = args.max_dev
    if args.augment_rate is not None:
        tcfg["augment_rate"] = min(1.0, max(0.0, args.augment_rate))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    precision = choose_precision(args.precision, device)
    out_dir = os.path.abspath(args.out)
    run_dir = os.path.abspath(args.run_dir or os.path.join(REPO_ROOT, "runs", os.path.basename(out_dir.rstrip("/"))))
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, CHECKPOINT_FILE)
    if args.resume and not os.path.isfile(ckpt_path):
        raise SystemExit("--resume: no %s in %s; start the run without --resume (same --run-dir)" % (CHECKPOINT_FILE, run_dir))
    fh = open(os.path.join(run_dir, "log.jsonl"), "a" if args.resume else "w", encoding="utf-8")

    # ---- data
    train_path, dev_path = find_split(args.data, "train"), find_split(args.data, "dev")
    if train_path is None:
        raise SystemExit("no train.jsonl in %s" % args.data)
    train_recs = read_records(train_path, args.max_train)
    dev_recs = read_records(dev_path) if dev_path else []
    if not dev_recs:  # carve a dev split from train
        cut = max(1, len(train_recs) // 10)
        dev_recs, train_recs = train_recs[-cut:], train_recs[:-cut]
    cand_path = args.candidates or (DEFAULT_CANDIDATES if os.path.exists(DEFAULT_CANDIDATES) else None)
    if cand_path:
        cands = Candidates.load(cand_path)
    else:
        names = []
        for r in train_recs:
            for d in r.get("出院带药列表") or []:
                if isinstance(d, str) and d.strip() and d.strip() not in names:
                    names.append(d.strip())
        cands = Candidates(names, version="derived-from-train:%d" % len(names), source="train labels")
        log(fh, event="warning", msg="no candidate list; using %d names from training labels" % len(names))
    stats = {"unknown_label": 0, "target_truncated": 0}
    train_labels = [canonical_labels(r, cands) for r in train_recs]
    order = drug_order(train_labels, cands)
    # Augmented prompts (aliases, diagnosis synonyms, dropped cue-free sentences, noise) for
    # training only; dev and the tokenizer's special tokens see notes as written.
    aug_rate = tcfg.get("augment_rate", 0.0)
    prompts = build_prompts(train_recs, augment_seed=args.seed if aug_rate > 0 else None, augment_rate=aug_rate)
    tok = CharTokenizer.build(prompts, cands.names, min_count=tcfg["min_char_count"])
    mcfg = dict(cfg["model"], vocab_size=len(tok))
    ctx = mcfg["max_position_embeddings"]
    train_ex = make_examples(train_recs, tok, cands, order, tcfg["max_target_tokens"], stats, prompts=prompts)
    dev_ex = make_examples(dev_recs, tok, cands, order, tcfg["max_target_tokens"])
    too_long = [e for e in train_ex if len(e.ids) > ctx]
    train_ex = [e for e in train_ex if len(e.ids) <= ctx]
    n_tokens = sum(len(e.ids) for e in train_ex)
    n_target = sum(len(e.ids) - e.prompt_len for e in train_ex)
    log(fh, event="data", train=len(train_ex), dev=len(dev_ex), vocab=len(tok), candidates=len(cands.names),
        train_tokens=n_tokens, target_tokens=n_target, dropped_too_long=len(too_long), **stats,
        mean_len=round(n_tokens / max(1, len(train_ex)), 1), device=str(device), precision=precision)

    ref_rec = dev_recs[0] if dev_recs else train_recs[0]
    if args.prepare_prompts:
        build_prompt(ref_rec)  # the export's parity reference
        log(fh, event="prompts_prepared", cache=os.environ[PROMPT_CACHE_ENV], train=len(train_recs), dev=len(dev_recs))
        fh.close()
        return os.environ[PROMPT_CACHE_ENV]

    # ---- model
    model = LlamaLM(mcfg).to(device)
    log(fh, event="model", config=args.config, params=model.num_params(), **mcfg)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tcfg["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=tcfg["lr"], betas=(0.9, 0.98))
    rng = random.Random(args.seed)
    batches_per_epoch = len(make_batches(train_ex, tcfg["batch_tokens"], tcfg["max_batch"], random.Random(0)))
    total_steps = batches_per_epoch * tcfg["epochs"]
    trie = CandidateTrie(cands.names, tok)
    dev_sub = dev_ex[: tcfg["dev_subset"]]
    best_path = os.path.join(run_dir, "best.pt")
    # Everything a resumed run must agree on, so a checkpoint is never continued on other data.
    fingerprint = {"config": args.config, "seed": args.seed, "augment_rate": aug_rate, "epochs": tcfg["epochs"], "max_train": args.max_train,
                   "train_sha256": sha256(train_path), "dev_sha256": sha256(dev_path) if dev_path else None,
                   "candidates": cands.version,
                   "vocab_sha256": hashlib.sha256("\n".join(tok.vocab).encode("utf-8")).hexdigest(), "train_examples": len(train_ex),
                   "total_steps": total_steps, "precision": precision}
    st = {"epoch": 0, "batches_done": 0, "epoch_rng": rng.getstate(), "step": 0, "best": -1.0, "best_epoch": -1,
          "bad": 0, "epochs_run": 0, "tok_seen": 0, "train_time": 0.0, "losses": [], "ep_tokens": 0, "ep_time": 0.0}
    if args.resume:
        ckpt = torch.load(ckpt_path, map_location=device)
        diff = {k: (ckpt["fingerprint"].get(k), v) for k, v in fingerprint.items() if ckpt["fingerprint"].get(k) != v}
        if diff:
            fh.close()
            raise SystemExit("--resume: the checkpoint in %s is from another run (%s); start afresh without --resume"
                             % (run_dir, ", ".join("%s %r != %r" % (k, a, b) for k, (a, b) in sorted(diff.items()))))
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        torch.set_rng_state(ckpt["torch_rng"])
        st.update(ckpt["state"])
        st["epoch_rng"] = _tuple_state(st["epoch_rng"])
        log(fh, event="resume", step=st["step"], planned_steps=total_steps, epoch=st["epoch"], batches_done=st["batches_done"])

    def save_checkpoint():
        tmp = ckpt_path + ".tmp"
        torch.save({"fingerprint": fingerprint, "model": model.state_dict(), "optimizer": opt.state_dict(),
                    "torch_rng": torch.get_rng_state(), "state": st}, tmp)
        os.replace(tmp, ckpt_path)  # never a half-written checkpoint

    budget_min = args.time_budget if args.time_budget is not None else tcfg.get("time_budget_min")
    budget_s = budget_min * 60 if budget_min else None
    deadline = None if not budget_s else t_start + budget_s
    next_ckpt = time.time() + args.checkpoint_min * 60
    paused = None
    for epoch in range(st["epoch"], tcfg["epochs"]):
        model.train()
        # The epoch's batch order comes from the run's RNG as it stood at the epoch's start, so a
        # resumed epoch redraws the same batches and skips the ones already trained on.
        rng.setstate(st["epoch_rng"])
        batches = make_batches(train_ex, tcfg["batch_tokens"], tcfg["max_batch"], rng)
        t0 = time.time() - st["ep_time"]
        for bi, batch in enumerate(batches):
            if bi < st["batches_done"]:
                continue
            ids, tgt = collate([train_ex[i] for i in batch], tok.pad_id)
            ids, tgt = ids.to(device), tgt.to(device)
            lr = lr_at(st["step"], total_steps, tcfg["lr"], tcfg["warmup_steps"])
            for g in opt.param_groups:
                g["lr"] = lr
            loss = loss_on_batch(model, ids, tgt, precision)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), tcfg["grad_clip"])
            opt.step()
            st["step"] += 1
            st["batches_done"] = bi + 1
            st["losses"].append(loss.item())
            st["ep_tokens"] += int(ids.numel())
            st["ep_time"] = time.time() - t0
            if bi % 50 == 0:
                log(fh, event="step", epoch=epoch, step=st["step"], loss=round(loss.item(), 4), lr=round(lr, 6),
                    tokens_per_s=round(st["ep_tokens"] / max(st["ep_time"], 1e-6), 1))
            if deadline and time.time() > deadline:
                paused = "the time budget (%.1f min) ran out" % budget_min
            elif args.stop_at_step is not None and st["step"] >= args.stop_at_step:
                paused = "--stop-at-step %d" % args.stop_at_step
            if paused or time.time() > next_ckpt:
                save_checkpoint()
                next_ckpt = time.time() + args.checkpoint_min * 60
            if paused:
                break
        if paused and st["batches_done"] < len(batches):
            break
        ep_time = st["ep_time"]
        st["train_time"] += ep_time
        st["tok_seen"] += st["ep_tokens"]
        t1 = time.time()
        metrics, _ = evaluate(model, tok, dev_sub, trie)
        st["epochs_run"] += 1
        if metrics["score"] > st["best"]:
            st["best"], st["best_epoch"], st["bad"] = metrics["score"], epoch, 0
            torch.save(model.state_dict(), best_path)
        else:
            st["bad"] += 1
        log(fh, event="epoch", epoch=epoch, train_loss=round(float(np.mean(st["losses"])), 4),
            tokens_per_s=round(st["ep_tokens"] / max(ep_time, 1e-6), 1), epoch_s=round(ep_time, 1), eval_s=round(time.time() - t1, 1),
            dev_n=len(dev_sub), **{k: round(v, 4) for k, v in metrics.items()}, best=round(st["best"], 4))
        st.update(epoch=epoch + 1, batches_done=0, epoch_rng=rng.getstate(), losses=[], ep_tokens=0, ep_time=0.0)
        stop_early = st["bad"] >= tcfg["patience"]
        if stop_early:
            st["epoch"] = tcfg["epochs"]  # a resumed run goes straight to the export
        save_checkpoint()
        if stop_early or paused:
            break
    if paused and st["epoch"] < tcfg["epochs"]:
        # A paused run never replaces the model folder with half-trained weights.
        log(fh, event="paused", step=st["step"], planned_steps=total_steps, reason=paused, checkpoint=ckpt_path,
            next="run the same command with --resume to continue")
        fh.close()
        return None
    if args.no_export:
        log(fh, event="trained", step=st["step"], planned_steps=total_steps, best_score=round(st["best"], 4),
            next="training/carry_run.py pack, then the same command with --resume (without --no-export) to export")
        fh.close()
        return run_dir
    best, best_epoch, step, epochs_run = st["best"], st["best_epoch"], st["step"], st["epochs_run"]
    train_time, tok_seen = st["train_time"], st["tok_seen"]
    model.load_state_dict(torch.load(best_path, map_location=device))
    model = model.cpu().eval()

    # ---- export
    hf = os.path.join(run_dir, "hf")
    if os.path.exists(hf):
        shutil.rmtree(hf)
    os.makedirs(os.path.join(hf, "onnx"))
    tok.save(hf, model_max_length=ctx)
    spec = load_spec()
    extra = {
        "prompt_spec_version": spec["version"],
        "candidates": {"version": cands.version, "source": os.path.relpath(os.path.abspath(cands.source), REPO_ROOT)
                       if os.path.exists(cands.source) else cands.source,
                       "count": len(cands.names)},
        "tokenizer": {"type": "char-wordpiece", "vocab_size": len(tok), "min_char_count": tcfg["min_char_count"]},
        "target": {"separator": spec["target"]["separator"], "end": spec["target"]["end"],
                   "order": "drug_order.json (training-label frequency rank)"},
        "training": {"config": args.config, "seed": args.seed, "epochs_run": epochs_run, "best_epoch": best_epoch,
                     "steps": step, "planned_steps": total_steps, "precision": precision, "train_seconds": round(train_time, 1),
                     "tokens_per_s": round(tok_seen / max(train_time, 1e-6), 1), "params": model.num_params(),
                     "device": str(device), "torch": torch.__version__},
        "data": {"dir": os.path.relpath(os.path.abspath(args.data), REPO_ROOT), "train_file_sha256": fingerprint["train_sha256"],
                 "dev_file_sha256": fingerprint["dev_sha256"], "train_records": len(train_ex),
                 "dev_records": len(dev_ex), "max_train": args.max_train},
        "dev_metrics": {"n": len(dev_sub), "score": round(best, 4)},
    }
    write_json(os.path.join(hf, "config.json"), hf_config(mcfg, tok, extra))
    write_json(os.path.join(hf, "generation_config.json"), generation_config(tok, tcfg["max_target_tokens"]))
    write_json(os.path.join(hf, "drug_order.json"), order)
    fp32 = os.path.join(hf, "onnx", "model.onnx")
    export_onnx(model, fp32)
    from .quantize import quantize_file

    quantize_file(fp32, os.path.join(hf, "onnx", "model_quantized.onnx"), "q8")
    quantize_file(fp32, os.path.join(hf, "onnx", "model_q4.onnx"), "q4")
    sizes = {f: os.path.getsize(os.path.join(hf, "onnx", f)) for f in sorted(os.listdir(os.path.join(hf, "onnx")))}
    log(fh, event="export", files=sizes)
    # Integrity manifest LAST, over everything the export wrote (training/dischargerx_train/manifest.py).
    log(fh, event="manifest", version=write_manifest(hf)["version"])

    # ---- reference logits (for training/node/parity.mjs) and onnxruntime-node check
    prompt = build_prompt(ref_rec)
    ids = tok.encode(prompt)
    with torch.no_grad():
        logits, _ = model(torch.tensor([ids]))
    K = 4
    ref = {"prompt": prompt, "input_ids": ids, "last_positions": K,
           "logits": logits[0, -K:].numpy().astype(float).round(6).tolist()}
    ref_path = os.path.join(run_dir, "parity_reference.json")
    write_json(ref_path, ref)
    report = {"sizes": sizes}
    if not args.no_node_check:
        from . import ort_node

        if ort_node.node_available():
            report.update(check_with_node(hf, model, ids))
            log(fh, event="onnx_check", **report)
    write_json(os.path.join(run_dir, "export_report.json"), report)

    replace_model_folder(hf, out_dir, fh)
    log(fh, event="done", out=out_dir, total_s=round(time.time() - t_start, 1), best_score=round(best, 4),
        next="npm run calibrate -- --model %s --dev DEV.jsonl, then npm run model-report" % os.path.relpath(out_dir, REPO_ROOT))
    fh.close()
    return out_dir


KEPT_FILES = ("README.md",)  # the model card is written by people, not by training


def replace_model_folder(hf, out_dir, fh=None):
    """Swap in the new export. The model card survives (its numbers must be re-measured); a
    decoding.json calibrated for the old weights does not, so the decoder falls back to its
    uncalibrated defaults until `npm run calibrate` is run again."""
    kept = {}
    for name in KEPT_FILES:
        path = os.path.join(out_dir, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                kept[name] = f.read()
    if os.path.exists(out_dir):
        if os.path.exists(os.path.join(out_dir, "decoding.json")):
            log(fh, event="warning", msg="decoding.json was calibrated for the previous weights and is removed; "
                                          "run npm run calibrate")
        shutil.rmtree(out_dir)
    shutil.copytree(hf, out_dir)
    for name, data in kept.items():
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)


def check_with_node(hf, model, ids):
    """Run fp32/q8/q4 ONNX files with onnxruntime-node on the reference prompt; max |logit diff|
    vs PyTorch (all positions) and top-1 agreement on the last position."""
    from . import ort_node

    n_layers = model.cfg["num_hidden_layers"]
    n_kv = model.cfg["num_key_value_heads"]
    hd = model.cfg["hidden_size"] // model.cfg["num_attention_heads"]
    T = len(ids)
    feeds = {"input_ids": np.array([ids], np.int64), "attention_mask": np.ones((1, T), np.int64),
             "position_ids": np.arange(T, dtype=np.int64)[None]}
    for i in range(n_layers):
        for kv in ("key", "value"):
            feeds["past_key_values.%d.%s" % (i, kv)] = np.zeros((1, n_kv, 0, hd), np.float32)
            feeds["prefix_key_values.%d.%s" % (i, kv)] = np.zeros((1, n_kv, 0, hd), np.float32)  # no shared prefix
    with torch.no_grad():
        ref = model(torch.tensor([ids]))[0][0].numpy()
    out = {}
    for name, f in (("fp32", "model.onnx"), ("q8", "model_quantized.onnx"), ("q4", "model_q4.onnx")):
        try:
            lg = ort_node.run(os.path.join(hf, "onnx", f), feeds)["logits"][0]
        except subprocess.CalledProcessError as e:  # pragma: no cover
            out[name] = {"error": str(e)}
            continue
        out[name] = {"max_abs_diff": float(np.abs(lg - ref).max()),
                     "mean_abs_diff": float(np.abs(lg - ref).mean()),
                     "top1_agree": float(np.mean(lg.argmax(-1) == ref.argmax(-1)))}
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
