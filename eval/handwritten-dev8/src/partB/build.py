#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Assemble the 30 hand-written records (hd8-031 … hd8-060) into the data files.

Reads only the three rec_*.py source files in this folder. Orders fields exactly as
record.ts CDRUGRED_FIELDS, assigns unique random 6-digit 患者序号 (fixed seed), and
writes records.jsonl, styles.json and ruled-out.json (rule 8 uses are printed).
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
META = ("_style", "_ruled_out", "_rule8")


def load():
    import rec_31_40
    import rec_41_50
    import rec_51_60
    return rec_31_40.RECORDS + rec_41_50.RECORDS + rec_51_60.RECORDS


def main():
    import sys
    sys.path.insert(0, HERE)
    recs = load()
    rng = random.Random(20240831)
    ids = set()
    pids = []
    while len(pids) < len(recs):
        p = str(rng.randint(100000, 999999))
        if p not in ids:
            ids.add(p)
            pids.append(p)

    out, styles, ruled, rule8 = [], {}, {}, {}
    for rec, pid in zip(recs, pids):
        vid = rec["就诊标识"]
        row = {"患者序号": pid}
        for k in FIELDS[1:]:
            row[k] = rec[k]
        extra = set(rec) - set(FIELDS) - set(META)
        assert not extra, (vid, extra)
        out.append(row)
        styles[vid] = rec["_style"]
        ruled[vid] = rec["_ruled_out"]
        if rec["_rule8"]:
            rule8[vid] = rec["_rule8"]

    with open(os.path.join(HERE, "records.jsonl"), "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "styles.json"), "w", encoding="utf-8") as f:
        json.dump(styles, f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(os.path.join(HERE, "ruled-out.json"), "w", encoding="utf-8") as f:
        json.dump(ruled, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("wrote %d records" % len(out))
    for vid, uses in rule8.items():
        for u in uses:
            print("rule 8: %s %s | %s" % (vid, u["drug"], u["basis"]))


if __name__ == "__main__":
    main()
