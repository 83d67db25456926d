#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Build the hd15 part-A files from the hand-written literals in rec_*.py.

Writes (next to this file):
  records.jsonl    one JSON object per line, fields in CDRUGRED_FIELDS order
  styles.json      {就诊标识: style}
  ruled-out.json   {就诊标识: [{"drug", "reason", "evidence"}]}

患者序号 are drawn with random.Random(15011) as distinct 6-digit strings, in record order.
"""
import json
import sys as _sys
_sys.dont_write_bytecode = True
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_001_010  # noqa: E402
import rec_011_020  # noqa: E402
import rec_021_030  # noqa: E402

CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
SEED = 15011
OUT_FILES = ("records.jsonl", "styles.json", "ruled-out.json")


def all_entries():
    return list(rec_001_010.RECORDS) + list(rec_011_020.RECORDS) + list(rec_021_030.RECORDS)


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    seen, out = set(), []
    while len(out) < n:
        s = str(rng.randint(100000, 999999))
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def build_outputs():
    """Return {filename: text} for the three output files (no writing)."""
    entries = all_entries()
    pids = draw_patient_ids(len(entries))
    lines, styles, ruled = [], {}, {}
    for entry, pid in zip(entries, pids):
        src = dict(entry["record"])
        src["患者序号"] = pid
        rec = {k: src[k] for k in CDRUGRED_FIELDS}
        extra = set(src) - set(CDRUGRED_FIELDS)
        if extra:
            raise ValueError("%s: unexpected fields %s" % (entry["id"], sorted(extra)))
        lines.append(json.dumps(rec, ensure_ascii=False))
        styles[entry["id"]] = entry["style"]
        ruled[entry["id"]] = [
            {"drug": r["drug"], "reason": r["reason"], "evidence": r["evidence"]}
            for r in entry["ruled_out"]
        ]
    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    outputs = build_outputs()
    for name in OUT_FILES:
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(outputs[name])
    print("wrote %s (%d records)" % (", ".join(OUT_FILES), outputs["records.jsonl"].count("\n")))


if __name__ == "__main__":
    main()
