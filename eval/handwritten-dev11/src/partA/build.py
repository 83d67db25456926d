#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Build handwritten-dev11 part A (hd11-001 .. hd11-030).

Deterministic: concatenates RECORDS of rec_01_10, rec_11_20, rec_21_30 (in that order),
assigns 患者序号 as distinct random 6-digit strings drawn with random.Random(20241211),
and writes, next to this file:

  records.jsonl    one JSON object per line, the 14 CDrugRed fields in CDRUGRED_FIELDS order
  styles.json      {就诊标识: style}
  ruled-out.json   {就诊标识: [{"drug", "reason", "evidence"}, ...]}  (every id present)

Python 3 standard library only.
"""

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_01_10  # noqa: E402
import rec_11_20  # noqa: E402
import rec_21_30  # noqa: E402

SEED = 20241211

# record.ts: CDRUGRED_FIELDS, in the dataset's own order.
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


def all_source_records():
    return list(rec_01_10.RECORDS) + list(rec_11_20.RECORDS) + list(rec_21_30.RECORDS)


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    seen = set()
    out = []
    while len(out) < n:
        pid = str(rng.randint(100000, 999999))
        if pid in seen:
            continue
        seen.add(pid)
        out.append(pid)
    return out


def build():
    """Return (records, styles, ruled_out) exactly as they are written to disk."""
    src = all_source_records()
    pids = draw_patient_ids(len(src))
    records, styles, ruled_out = [], {}, {}
    for pid, r in zip(pids, src):
        rid = r["就诊标识"]
        rec = {}
        for f in CDRUGRED_FIELDS:
            if f == "患者序号":
                rec[f] = pid
            else:
                rec[f] = r[f]
        records.append(rec)
        styles[rid] = r["style"]
        ruled_out[rid] = [
            {"drug": e["drug"], "reason": e["reason"], "evidence": e["evidence"]}
            for e in r.get("ruled_out", [])
        ]
    return records, styles, ruled_out


def main():
    records, styles, ruled_out = build()
    with open(os.path.join(HERE, "records.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "styles.json"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(styles, ensure_ascii=False, indent=2) + "\n")
    with open(os.path.join(HERE, "ruled-out.json"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(ruled_out, ensure_ascii=False, indent=2) + "\n")
    n_lab = sum(len(r["出院带药列表"]) for r in records)
    n_ro = sum(len(v) for v in ruled_out.values())
    print("wrote %d records (%d label entries, %d ruled-out entries) to %s"
          % (len(records), n_lab, n_ro, HERE))


if __name__ == "__main__":
    main()
