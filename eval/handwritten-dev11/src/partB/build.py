#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Build handwritten-dev11 part B (hd11-031 .. hd11-060).

Deterministic: concatenates the three hand-written record lists in order, draws 患者序号 as
distinct random 6-digit strings with random.Random(20241213), and writes
  records.jsonl   one JSON object per line, fields in the CDRUGRED_FIELDS order of record.ts
  styles.json     {就诊标识: style}
  ruled-out.json  {就诊标识: [{"drug","reason","evidence"}, ...]} (every id present)
Python 3 standard library only.
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from rec_31_40 import RECORDS as R1  # noqa: E402
from rec_41_50 import RECORDS as R2  # noqa: E402
from rec_51_60 import RECORDS as R3  # noqa: E402

# Same order as CDRUGRED_FIELDS in src/clinical/record.ts
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

SEED = 20241213


def main():
    records = list(R1) + list(R2) + list(R3)
    rng = random.Random(SEED)
    seen = set()
    out_lines = []
    styles = {}
    ruled = {}
    for rec in records:
        while True:
            pid = "%06d" % rng.randint(100000, 999999)
            if pid not in seen:
                seen.add(pid)
                break
        row = {}
        for f in CDRUGRED_FIELDS:
            if f == "患者序号":
                row[f] = pid
            else:
                row[f] = rec[f]
        out_lines.append(json.dumps(row, ensure_ascii=False))
        rid = rec["就诊标识"]
        styles[rid] = rec["style"]
        ruled[rid] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in rec.get("ruled_out", [])
        ]

    with open(os.path.join(HERE, "records.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(out_lines) + "\n")
    with open(os.path.join(HERE, "styles.json"), "w", encoding="utf-8", newline="\n") as fh:
        json.dump(styles, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    with open(os.path.join(HERE, "ruled-out.json"), "w", encoding="utf-8", newline="\n") as fh:
        json.dump(ruled, fh, ensure_ascii=False, indent=2)
        fh.write("\n")

    # summary counts per style
    counts = {}
    for rec in records:
        c = counts.setdefault(rec["style"], [0, 0, 0])
        c[0] += 1
        c[1] += len(rec["出院带药列表"])
        c[2] += len(rec.get("ruled_out", []))
    print("wrote %d records -> records.jsonl, styles.json, ruled-out.json" % len(records))
    print("style\trecords\tlabel_entries\truled_out_entries")
    tot = [0, 0, 0]
    for s, c in counts.items():
        print("%s\t%d\t%d\t%d" % (s, c[0], c[1], c[2]))
        tot = [a + b for a, b in zip(tot, c)]
    print("total\t%d\t%d\t%d" % tuple(tot))


if __name__ == "__main__":
    main()
