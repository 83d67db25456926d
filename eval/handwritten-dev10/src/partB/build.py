#!/usr/bin/env python3
"""Build handwritten-dev10 part B (hd10-031 .. hd10-060).

Deterministic: concatenates the three hand-written record lists in order, assigns
患者序号 as distinct random 6-digit strings drawn from random.Random(20241207), and
writes records.jsonl, styles.json and ruled-out.json next to this script.
Python 3 standard library only.
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_31_40  # noqa: E402
import rec_41_50  # noqa: E402
import rec_51_60  # noqa: E402

# CDRUGRED_FIELDS order of record.ts
CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
SEED = 20241207


def main():
    records = rec_31_40.RECORDS + rec_41_50.RECORDS + rec_51_60.RECORDS
    rng = random.Random(SEED)
    used = set()
    out_lines, styles, ruled = [], {}, {}
    for rec in records:
        while True:
            pid = str(rng.randint(100000, 999999))
            if pid not in used:
                used.add(pid)
                break
        row = {}
        for f in CDRUGRED_FIELDS:
            row[f] = pid if f == "患者序号" else rec[f]
        out_lines.append(json.dumps(row, ensure_ascii=False))
        rid = rec["就诊标识"]
        styles[rid] = rec["style"]
        ruled[rid] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in rec["ruled_out"]
        ]
    with open(os.path.join(HERE, "records.jsonl"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out_lines) + "\n")
    with open(os.path.join(HERE, "styles.json"), "w", encoding="utf-8") as fh:
        json.dump(styles, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    with open(os.path.join(HERE, "ruled-out.json"), "w", encoding="utf-8") as fh:
        json.dump(ruled, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print("wrote %d records, %d styles, %d ruled-out keys" % (len(out_lines), len(styles), len(ruled)))


if __name__ == "__main__":
    main()
