# -*- coding: utf-8 -*-
"""Assemble hd6-001..030 from the hand-written record modules into the data files.

Records are composed one by one in rec_*.py; this script only orders the fields,
assigns 患者序号 (random 6-digit strings, fixed seed) and writes records.jsonl,
styles.json and ruled-out.json.  Run with /usr/bin/python3 (stdlib only).
"""
import importlib
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = ["rec_01_05", "rec_06_10", "rec_11_15", "rec_16_23", "rec_24_30"]
FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
          "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表"]
SEED = 20240611


def load_all():
    recs = []
    for name in MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        recs.extend(mod.RECORDS)
    return recs


def main():
    recs = load_all()
    rng = random.Random(SEED)
    pids = ["%06d" % n for n in rng.sample(range(100000, 1000000), 30)]
    out, styles, ruled = [], {}, {}
    for i, r in enumerate(recs):
        row = dict(r)
        row["患者序号"] = pids[i]
        row["就诊标识"] = r["id"]
        out.append({k: row[k] for k in FIELDS})
        styles[r["id"]] = r["style"]
        ruled[r["id"]] = r["ruled_out"]
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


if __name__ == "__main__":
    main()
