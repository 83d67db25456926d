# -*- coding: utf-8 -*-
"""Build part A of the hand-written dev-12 evaluation set.

Concatenates the hand-written records in rec_001_010.py, rec_011_020.py and rec_021_030.py,
draws the 患者序号 (distinct 6-digit strings) with random.Random(20261205), and writes, next
to this file:

  records.jsonl    one JSON object per line, fields in CDRUGRED_FIELDS order
  styles.json      {就诊标识: style}
  ruled-out.json   {就诊标识: [{"drug", "reason", "evidence"}]}

Run with /usr/bin/python3 build.py. The output is deterministic; validate.py rebuilds it in
memory and compares byte for byte.
"""

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_001_010  # noqa: E402
import rec_011_020  # noqa: E402
import rec_021_030  # noqa: E402

SEED = 20261205

# The 14 CDrugRed fields, in the dataset's own order (record.ts, CDRUGRED_FIELDS).
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

MODULES = [rec_001_010, rec_011_020, rec_021_030]

OUTPUT_FILES = ["records.jsonl", "styles.json", "ruled-out.json"]


def collect():
    """Return (records, styles, ruled_out) exactly as written in the rec_* files."""
    records, styles, ruled_out = [], {}, {}
    for mod in MODULES:
        records.extend(mod.RECORDS)
        styles.update(mod.STYLES)
        ruled_out.update(mod.RULED_OUT)
    return records, styles, ruled_out


def draw_patient_ids(n):
    rng = random.Random(SEED)
    return [str(x) for x in rng.sample(range(100000, 1000000), n)]


def build():
    """Return {filename: text} for every output file."""
    records, styles, ruled_out = collect()
    pids = draw_patient_ids(len(records))
    lines = []
    for pid, rec in zip(pids, records):
        full = dict(rec)
        full["患者序号"] = pid
        ordered = {k: full[k] for k in CDRUGRED_FIELDS}
        lines.append(json.dumps(ordered, ensure_ascii=False))
    ids = [r["就诊标识"] for r in records]
    styles_out = {i: styles[i] for i in ids}
    ruled_out_out = {i: ruled_out.get(i, []) for i in ids}
    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles_out, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled_out_out, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    out = build()
    for name in OUTPUT_FILES:
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(out[name])
    print("wrote " + ", ".join(OUTPUT_FILES) + " (%d records)" % len(collect()[0]))


if __name__ == "__main__":
    main()
