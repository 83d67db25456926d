#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Build the Author 14-B part (hd14-031 .. hd14-060) from the hand-written rec_*.py files.

Writes, next to this script:
  records.jsonl    one record per line, fields in CDRUGRED_FIELDS order, ensure_ascii=False
  styles.json      {就诊标识: style}
  ruled-out.json   {就诊标识: [{"drug", "reason", "evidence"}, ...]}

患者序号 are drawn with random.Random(14029) as distinct 6-digit strings, in record order.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import rec_031_040  # noqa: E402
import rec_041_050  # noqa: E402
import rec_051_060  # noqa: E402

# record.ts, CDRUGRED_FIELDS (the dataset's own order)
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

SEED = 14029
OUTPUT_FILES = ("records.jsonl", "styles.json", "ruled-out.json")


def all_entries():
    return list(rec_031_040.ENTRIES) + list(rec_041_050.ENTRIES) + list(rec_051_060.ENTRIES)


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        s = "%06d" % rng.randint(100000, 999999)
        if s in seen:
            continue
        seen.add(s)
        out.append(s)
    return out


def build_outputs():
    """Return {filename: text} for the three output files."""
    entries = all_entries()
    pids = draw_patient_ids(len(entries))
    lines, styles, ruled = [], {}, {}
    for pid, entry in zip(pids, entries):
        src = entry["record"]
        rec = {}
        for field in CDRUGRED_FIELDS:
            if field == "患者序号":
                rec[field] = pid
            elif field in ("出院诊断", "出院带药列表"):
                rec[field] = list(src[field])
            else:
                rec[field] = src[field]
        vid = rec["就诊标识"]
        lines.append(json.dumps(rec, ensure_ascii=False))
        styles[vid] = entry["style"]
        ruled[vid] = [
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
    for name in OUTPUT_FILES:
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(outputs[name])
    n = outputs["records.jsonl"].count("\n")
    print("wrote %d records to %s" % (n, ", ".join(OUTPUT_FILES)))


if __name__ == "__main__":
    main()
