"""Prompts come from the one implementation in src/clinical/prompt.ts (via
training/node/build-prompts.ts), so what the model is trained on is exactly what the app and the
CLI send it. The target format is simple enough to live here too; fixtures pin both.
"""
import json
import os
import subprocess
import tempfile

from . import PROMPT_SPEC_PATH, REPO_ROOT

BUILD_PROMPTS = os.path.join(REPO_ROOT, "training", "node", "build-prompts.ts")

_SPEC_CACHE = {}


class PromptBuilderError(RuntimeError):
    pass


def load_spec(path=None):
    path = path or PROMPT_SPEC_PATH
    if path not in _SPEC_CACHE:
        with open(path, "r", encoding="utf-8") as f:
            _SPEC_CACHE[path] = json.load(f)
    return _SPEC_CACHE[path]


def build_prompts(records, augment_seed=None, augment_rate=0.5):
    """One prompt per record, same order, built by src/clinical/prompt.ts under Node. With
    `augment_seed`, each record is first augmented by training/node/augment.ts (training data only)."""
    records = list(records)
    if not records:
        return []
    if not os.path.isdir(os.path.join(REPO_ROOT, "node_modules", "tsx")):
        raise PromptBuilderError("node_modules/tsx is missing: run `npm ci` (or scripts/setup.sh) in %s first" % REPO_ROOT)
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
            raise PromptBuilderError("node is not on PATH (prompts are built by src/clinical/prompt.ts)") from e
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
