#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Build records.jsonl, styles.json and ruled-out.json from the hand-written rec_*.py files.

Usage:  /usr/bin/python3 build.py        (writes the three files next to this script)

The records themselves are literals in rec_031_040.py, rec_041_050.py, rec_051_060.py.
This script only concatenates them, draws the 患者序号 and serialises.
"""
import importlib.util
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Field order of record.ts (CDRUGRED_FIELDS).
CDRUGRED_FIELDS = [
    "患者序号",
    "就诊标识",
    "性别",
    "出生日期",
    "民族",
    "BMI",
    "就诊时间",
    "诊疗过程描述",
    "入院情况",
    "现病史",
    "既往史",
    "主诉",
    "出院诊断",
    "出院带药列表",
]

REC_FILES = ["rec_031_040.py", "rec_041_050.py", "rec_051_060.py"]
SEED = 51202612
OUT_RECORDS = "records.jsonl"
OUT_STYLES = "styles.json"
OUT_RULED_OUT = "ruled-out.json"


def load_raw():
    """Concatenate RECORDS from the rec_*.py files, in file order."""
    raw = []
    for fn in REC_FILES:
        path = os.path.join(HERE, fn)
        spec = importlib.util.spec_from_file_location(fn[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        raw.extend(mod.RECORDS)
    return raw


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    ids = []
    while len(ids) < n:
        s = str(rng.randint(100000, 999999))
        if s not in ids:
            ids.append(s)
    return ids


def build():
    """Return {filename: text} for the three output files."""
    raw = load_raw()
    pids = draw_patient_ids(len(raw))
    lines = []
    styles = {}
    ruled_out = {}
    for pid, r in zip(pids, raw):
        rec = {}
        for f in CDRUGRED_FIELDS:
            if f == "患者序号":
                rec[f] = pid
            else:
                v = r[f]
                rec[f] = list(v) if isinstance(v, (list, tuple)) else v
        lines.append(json.dumps(rec, ensure_ascii=False))
        vid = r["就诊标识"]
        styles[vid] = r["_style"]
        ruled_out[vid] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in r["_ruled_out"]
        ]
    return {
        OUT_RECORDS: "\n".join(lines) + "\n",
        OUT_STYLES: json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        OUT_RULED_OUT: json.dumps(ruled_out, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    out = build()
    for fn, text in out.items():
        with open(os.path.join(HERE, fn), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    n = out[OUT_RECORDS].count("\n")
    print(f"wrote {n} records -> {OUT_RECORDS}, {OUT_STYLES}, {OUT_RULED_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
