"""Prompts come from the one implementation in src/clinical/prompt.ts (via
training/node/build-prompts.ts), so what the model is trained on is exactly what the app and the
CLI send it. The target format is simple enough to live here too; fixtures pin both.
"""
import gzip
import hashlib
import json
import os
import subprocess
import tempfile

from . import PROMPT_SPEC_PATH, REPO_ROOT

BUILD_PROMPTS = os.path.join(REPO_ROOT, "training", "node", "build-prompts.ts")

_SPEC_CACHE = {}

# A folder of prompts already built (content-addressed), for a machine without Node (a lent GPU
# machine): `train.py --prepare-prompts` fills it where Node runs, and `--prompt-cache DIR` (or
# this variable) reads it there. Also saves the Node call when a run is repeated.
PROMPT_CACHE_ENV = "DISCHARGERX_PROMPT_CACHE"
# What the prompts depend on: the TypeScript that builds and augments them and its data files.
_SOURCE_ROOTS = ("src", os.path.join("training", "node"))
_fingerprint = None


class PromptBuilderError(RuntimeError):
    pass


def load_spec(path=None):
    path = path or PROMPT_SPEC_PATH
    if path not in _SPEC_CACHE:
        with open(path, "r", encoding="utf-8") as f:
            _SPEC_CACHE[path] = json.load(f)
    return _SPEC_CACHE[path]


def source_fingerprint():
    """sha256 over every non-test .ts/.json file under src/ and training/node/: a cached prompt is
    reused only while the code that built it is unchanged."""
    global _fingerprint
    if _fingerprint is None:
        h = hashlib.sha256()
        for root in _SOURCE_ROOTS:
            for dirpath, dirnames, filenames in os.walk(os.path.join(REPO_ROOT, root)):
                dirnames.sort()
                for name in sorted(filenames):
                    if not name.endswith((".ts", ".json")) or ".test." in name:
                        continue
                    path = os.path.join(dirpath, name)
                    h.update(os.path.relpath(path, REPO_ROOT).encode("utf-8") + b"\0")
                    with open(path, "rb") as f:
                        h.update(hashlib.sha256(f.read()).digest())
        _fingerprint = h.hexdigest()
    return _fingerprint


def _cache_path(cache_dir, payload, augment_seed, augment_rate):
    h = hashlib.sha256(source_fingerprint().encode("ascii"))
    h.update(json.dumps([augment_seed, float(augment_rate) if augment_seed is not None else None]).encode("ascii"))
    h.update(payload)
    return os.path.join(cache_dir, h.hexdigest() + ".json.gz")


def build_prompts(records, augment_seed=None, augment_rate=0.5, cache_dir=None):
    """One prompt per record, same order, built by src/clinical/prompt.ts under Node. With
    `augment_seed`, each record is first augmented by training/node/augment.ts (training data only).
    With a prompt cache (`cache_dir`, else $DISCHARGERX_PROMPT_CACHE), prompts built before for the
    same records, augmentation and code are read from it, and new ones are written to it."""
    records = list(records)
    if not records:
        return []
    cache_dir = cache_dir or os.environ.get(PROMPT_CACHE_ENV) or None
    cached = None
    if cache_dir:
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
        cached = _cache_path(cache_dir, payload, augment_seed, augment_rate)
        if os.path.isfile(cached):
            with gzip.open(cached, "rt", encoding="utf-8") as f:
                prompts = json.load(f)
            if len(prompts) == len(records):
                return prompts
    prompts = _build_with_node(records, augment_seed, augment_rate, cache_dir)
    if cached:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = cached + ".tmp"
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump(prompts, f, ensure_ascii=False)
        os.replace(tmp, cached)
    return prompts


def _build_with_node(records, augment_seed, augment_rate, cache_dir):
    miss = (" (and the prompt cache %s has no prompts for these records and this code: build them with "
            "`train.py --prepare-prompts` where Node runs)" % cache_dir) if cache_dir else ""
    if not os.path.isdir(os.path.join(REPO_ROOT, "node_modules", "tsx")):
        raise PromptBuilderError("node_modules/tsx is missing: run `npm ci` (or scripts/setup.sh) in %s first%s" % (REPO_ROOT, miss))
    with tempfile.TemporaryDirectory() as td:
        ip, op = os.path.join(td, "records.jsonl"), os.path.join(td, "prompts.json")
        with open(ip, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        try:
            cmd = ["node", "--import", "tsx", BUILD_PROMPTS, ip, op]
            if augment_seed is not None:
                cmd += ["--augment", str(int(augment_seed)), "--rate", str(float(augment_rate))]
            subprocess.run(cmd, check=True, cwd=REPO_ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError as e:
            raise PromptBuilderError("node is not on PATH (prompts are built by src/clinical/prompt.ts)%s" % miss) from e
        except subprocess.CalledProcessError as e:
            raise PromptBuilderError("build-prompts.ts failed: %s" % e.stderr.decode("utf-8", "replace")[-2000:]) from e
        with open(op, encoding="utf-8") as f:
            prompts = json.load(f)
    if len(prompts) != len(records):
        raise PromptBuilderError("build-prompts.ts returned %d prompts for %d records" % (len(prompts), len(records)))
    return prompts


def build_prompt(record):
    return build_prompts([record])[0]


def format_target(drugs, order=None, spec=None):
    """Deduplicate, sort by position in `order` (unknown names keep input order, after known ones),
    join with the separator token and append the end token. Mirror of formatTarget in prompt.ts."""
    spec = spec or load_spec()
    seen = []
    for d in drugs or []:
        if isinstance(d, str) and d and d not in seen:
            seen.append(d)
    if order is not None:
        rank = {}
        for i, name in enumerate(order):
            rank.setdefault(name, i)
        big = len(rank)
        seen = [d for _, d in sorted(enumerate(seen), key=lambda p: (rank.get(p[1], big), p[0]))]
    t = spec["target"]
    return t["separator"].join(seen) + t["end"]
