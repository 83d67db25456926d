#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Build the Author 17-A part-A hand-written dev records.

Concatenates the hand-written literals in rec_001_010.py, rec_011_020.py and
rec_021_030.py, draws 患者序号 with random.Random(17011) (distinct 6-digit
strings, in record order) and writes, next to this file:

  records.jsonl   one record per line, fields in CDRUGRED_FIELDS order
  styles.json     {就诊标识: style}
  ruled-out.json  {就诊标识: [{"drug", "reason", "evidence"}, ...]}

Usage: /usr/bin/python3 build.py
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

CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STYLES = ["long-course", "stop-switch-allergy", "terse"]
SEED = 17011
OUTPUTS = ("records.jsonl", "styles.json", "ruled-out.json")


def source_records():
    """The hand-written literals, in file order (metadata keys still attached)."""
    return list(rec_001_010.RECORDS) + list(rec_011_020.RECORDS) + list(rec_021_030.RECORDS)


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    seen, out = set(), []
    while len(out) < n:
        pid = "%06d" % rng.randrange(100000, 1000000)
        if pid in seen:
            continue
        seen.add(pid)
        out.append(pid)
    return out


def build():
    """Return {filename: text} for the three output files."""
    src = source_records()
    pids = draw_patient_ids(len(src))
    lines, styles, ruled = [], {}, {}
    for pid, rec in zip(pids, src):
        out = {}
        for f in CDRUGRED_FIELDS:
            out[f] = pid if f == "患者序号" else rec[f]
        lines.append(json.dumps(out, ensure_ascii=False))
        styles[rec["就诊标识"]] = rec["style"]
        ruled[rec["就诊标识"]] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in rec["ruled_out"]
        ]
    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    files = build()
    for name in OUTPUTS:
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(files[name])
        print("wrote", name)


if __name__ == "__main__":
    main()
