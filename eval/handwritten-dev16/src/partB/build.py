#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Build part B (hd16-031 .. hd16-060) of the hand-written dev16 set.

Concatenates the hand-written record literals in rec_*.py, draws 患者序号 with
random.Random(16029) and writes records.jsonl, styles.json and ruled-out.json
next to this file.
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_031_040  # noqa: E402
import rec_041_050  # noqa: E402
import rec_051_060  # noqa: E402

CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
SEED = 16029
OUTPUTS = ("records.jsonl", "styles.json", "ruled-out.json")


def source_records():
    return rec_031_040.RECORDS + rec_041_050.RECORDS + rec_051_060.RECORDS


def build():
    """Return {filename: text} for the three output files."""
    src = source_records()
    rng = random.Random(SEED)
    pids = ["%06d" % n for n in rng.sample(range(100000, 1000000), len(src))]

    lines, styles, ruled = [], {}, {}
    for pid, r in zip(pids, src):
        rec = {}
        for f in CDRUGRED_FIELDS:
            rec[f] = pid if f == "患者序号" else r[f]
        rec["出院诊断"] = list(rec["出院诊断"])
        rec["出院带药列表"] = list(rec["出院带药列表"])
        lines.append(json.dumps(rec, ensure_ascii=False))
        vid = r["就诊标识"]
        styles[vid] = r["style"]
        ruled[vid] = [{"drug": d, "reason": why, "evidence": ev} for (d, why, ev) in r["ruled_out"]]

    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    out = build()
    for name in OUTPUTS:
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as fh:
            fh.write(out[name])
    print("wrote %s (%d records)" % (", ".join(OUTPUTS), out["records.jsonl"].count("\n")))


if __name__ == "__main__":
    main()
