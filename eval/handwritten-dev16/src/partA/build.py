#!/usr/bin/python3
"""Build records.jsonl, styles.json and ruled-out.json from the hand-written rec_*.py files.

Usage: /usr/bin/python3 build.py        (writes the three files next to this script)

build_outputs() returns {filename: text} without writing, so validate.py can compare a fresh
build with the files on disk.
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import rec_001_010  # noqa: E402
import rec_011_020  # noqa: E402
import rec_021_030  # noqa: E402

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

SEED = 16011
OUTPUT_FILES = ("records.jsonl", "styles.json", "ruled-out.json")


def source_records():
    """All hand-written records, in file order."""
    return list(rec_001_010.RECORDS) + list(rec_011_020.RECORDS) + list(rec_021_030.RECORDS)


def draw_patient_ids(n, seed=SEED):
    """n distinct 6-digit strings drawn with random.Random(seed)."""
    rng = random.Random(seed)
    ids = []
    seen = set()
    while len(ids) < n:
        s = str(rng.randint(100000, 999999))
        if s in seen:
            continue
        seen.add(s)
        ids.append(s)
    return ids


def build_outputs():
    src = source_records()
    pids = draw_patient_ids(len(src))
    lines = []
    styles = {}
    ruled = {}
    for pid, rec in zip(pids, src):
        row = {}
        for f in CDRUGRED_FIELDS:
            if f == "患者序号":
                row[f] = pid
            elif f in ("出院诊断", "出院带药列表"):
                row[f] = list(rec[f])
            else:
                row[f] = rec[f]
        lines.append(json.dumps(row, ensure_ascii=False))
        vid = rec["就诊标识"]
        styles[vid] = rec["style"]
        ruled[vid] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in rec["ruled_out"]
        ]
    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    outs = build_outputs()
    for name in OUTPUT_FILES:
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(outs[name])
    n = outs["records.jsonl"].count("\n")
    print("wrote %d records to %s" % (n, ", ".join(OUTPUT_FILES)))


if __name__ == "__main__":
    main()
