"""Data loading: CDrugRed JSONL, candidate list, label canonicalisation, examples, batching."""
import collections
import json
import os
import random

from . import REPO_ROOT
from .prompt import build_prompts, format_target

DEFAULT_CANDIDATES = os.path.join(REPO_ROOT, "src", "clinical", "data", "formulary.json")


def read_jsonl(path, limit=None):
    out = []
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            out.append(json.loads(line))
            if limit is not None and len(out) >= limit:
                break
    return out


def read_records(path, limit=None):
    """JSONL (one record per line) or a JSON array file."""
    with open(path, "r", encoding="utf-8") as f:
        head = f.read(1)
        while head and head.isspace():
            head = f.read(1)
    if head == "[":
        with open(path, "r", encoding="utf-8") as f:
            recs = json.load(f)
        return recs[:limit] if limit is not None else recs
    return read_jsonl(path, limit)


class Candidates:
    """Canonical drug names (+ alias -> canonical map). Accepts a FormularyFile
    ({"version", "drugs": [{"name", "aliases"}]}) or a plain JSON array of names."""

    def __init__(self, names, aliases=None, version="unknown", source=""):
        self.names = []
        for n in names:
            if isinstance(n, str) and n and n not in self.names:
                self.names.append(n)
        self.alias = {n: n for n in self.names}
        for a, n in (aliases or {}).items():
            if n in self.alias and a not in self.alias:
                self.alias[a] = n
        self.version = version
        self.source = source

    @classmethod
    def load(cls, path):
        with open(path, "r", encoding="utf-8") as f:
            obj = json.load(f)
        if isinstance(obj, list):
            names = [x if isinstance(x, str) else x.get("name") for x in obj]
            return cls(names, version="list:%d" % len(names), source=path)
        drugs = obj.get("drugs", [])
        names, aliases = [], {}
        for d in drugs:
            names.append(d["name"])
            for a in d.get("aliases", []) or []:
                aliases[a] = d["name"]
        return cls(names, aliases, version=str(obj.get("version", "unknown")), source=path)

    def canonical(self, label):
        if not isinstance(label, str):
            return None
        s = label.strip()
        return self.alias.get(s)


def drug_order(train_labels, candidates):
    """Frequency rank in the training labels (desc), ties and unseen names by candidate order."""
    counts = collections.Counter(d for labels in train_labels for d in set(labels))
    idx = {n: i for i, n in enumerate(candidates.names)}
    return sorted(candidates.names, key=lambda n: (-counts.get(n, 0), idx[n]))


def canonical_labels(record, candidates, stats=None):
    out = []
    for d in record.get("出院带药列表") or []:
        c = candidates.canonical(d)
        if c is None:
            if stats is not None:
                stats["unknown_label"] += 1
            continue
        if c not in out:
            out.append(c)
    return out


class Example:
    __slots__ = ("ids", "prompt_len", "labels", "vid")

    def __init__(self, ids, prompt_len, labels, vid):
        self.ids = ids
        self.prompt_len = prompt_len
        self.labels = labels
        self.vid = vid


def make_examples(records, tok, candidates, order, max_target_tokens, stats=None, prompts=None):
    out = []
    prompts = build_prompts(records) if prompts is None else prompts
    for r, prompt in zip(records, prompts):
        labels = canonical_labels(r, candidates, stats)
        p_ids = tok.encode(prompt)
        drugs = [d for d in order if d in labels]
        # drop trailing drugs (least frequent) if the target is too long
        while True:
            t_ids = tok.encode(format_target(drugs), add_bos=False)
            if len(t_ids) <= max_target_tokens or not drugs:
                break
            drugs = drugs[:-1]
            if stats is not None:
                stats["target_truncated"] += 1
        out.append(Example(p_ids + t_ids, len(p_ids), labels, r.get("就诊标识", "")))
    return out


def make_batches(examples, batch_tokens, max_batch, rng):
    """Length-bucketed batches under a padded-token budget; shuffled order."""
    idx = sorted(range(len(examples)), key=lambda i: (len(examples[i].ids), rng.random()))
    batches, cur, cur_max = [], [], 0
    for i in idx:
        L = len(examples[i].ids)
        new_max = max(cur_max, L)
        if cur and (new_max * (len(cur) + 1) > batch_tokens or len(cur) >= max_batch):
            batches.append(cur)
            cur, new_max = [], L
        cur.append(i)
        cur_max = new_max
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(examples, pad_id):
    import torch

    T = max(len(e.ids) for e in examples)
    B = len(examples)
    ids = torch.full((B, T), pad_id, dtype=torch.long)
    tgt_mask = torch.zeros((B, T), dtype=torch.bool)  # position p predicts ids[p+1]
    for b, e in enumerate(examples):
        ids[b, : len(e.ids)] = torch.tensor(e.ids, dtype=torch.long)
        tgt_mask[b, e.prompt_len - 1 : len(e.ids) - 1] = True
    return ids, tgt_mask
