#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Build the Author 13-A part-A files from the hand-written rec_*.py literals.

Writes, next to this script:
  records.jsonl   one JSON object per line, fields in CDRUGRED_FIELDS order
  styles.json     {就诊标识: style}
  ruled-out.json  {就诊标识: [{"drug", "reason", "evidence"}]}
患者序号 are drawn with random.Random(13011) as distinct 6-digit strings, in id order.
"""
import importlib.util
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REC_FILES = ["rec_001_010.py", "rec_011_020.py", "rec_021_030.py"]
SEED = 13011

CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]


def load_raw():
    """All records, in file order, as written (with _style/_ruled_out)."""
    out = []
    for fn in REC_FILES:
        path = os.path.join(HERE, fn)
        spec = importlib.util.spec_from_file_location(fn[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out.extend(mod.RECORDS)
    return out


def draw_ids(n, seed=SEED):
    rng = random.Random(seed)
    seen, ids = set(), []
    while len(ids) < n:
        s = str(rng.randint(100000, 999999))
        if s not in seen:
            seen.add(s)
            ids.append(s)
    return ids


def build():
    """Return {filename: text} for the three output files."""
    raw = load_raw()
    pids = draw_ids(len(raw))
    lines, styles, ruled = [], {}, {}
    for pid, r in zip(pids, raw):
        rec = {}
        for f in CDRUGRED_FIELDS:
            if f == "患者序号":
                rec[f] = pid
            else:
                v = r[f]
                rec[f] = list(v) if isinstance(v, (list, tuple)) else v
        lines.append(json.dumps(rec, ensure_ascii=False))
        rid = r["就诊标识"]
        styles[rid] = r["_style"]
        ruled[rid] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in r["_ruled_out"]
        ]
    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    files = build()
    for name, text in files.items():
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    n = files["records.jsonl"].count("\n")
    print(f"wrote {n} records: " + ", ".join(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
