"""Build records.jsonl, styles.json and ruled-out.json for hd15-031 .. hd15-060 (Author 15-B).

Run:  /usr/bin/python3 build.py
The records themselves are hand-written literals in rec_031_040.py, rec_041_050.py and
rec_051_060.py. This script only concatenates them, draws 患者序号 and writes the files.
"""

import json
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# Field order of CDRUGRED_FIELDS in record.ts.
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

REC_MODULES = ["rec_031_040", "rec_041_050", "rec_051_060"]
SEED = 15029
OUTPUTS = ["records.jsonl", "styles.json", "ruled-out.json"]


def load_raw():
    import importlib

    raw = []
    for name in REC_MODULES:
        mod = importlib.import_module(name)
        raw.extend(mod.RECORDS)
    return raw


def draw_patient_ids(n):
    rng = random.Random(SEED)
    ids = rng.sample(range(100000, 1000000), n)  # distinct 6-digit numbers
    return [str(i) for i in ids]


def build():
    """Return {filename: text} for the three output files."""
    raw = load_raw()
    pids = draw_patient_ids(len(raw))
    records, styles, ruled = [], {}, {}
    for pid, r in zip(pids, raw):
        rec = {}
        for f in CDRUGRED_FIELDS:
            rec[f] = pid if f == "患者序号" else r[f]
        records.append(rec)
        vid = r["就诊标识"]
        styles[vid] = r["_style"]
        ruled[vid] = [
            {"drug": x["drug"], "reason": x["reason"], "evidence": x["evidence"]}
            for x in r["_ruled_out"]
        ]
    jsonl = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
    return {
        "records.jsonl": jsonl,
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    out = build()
    for name in OUTPUTS:
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(out[name])
    n = out["records.jsonl"].count("\n")
    print(f"wrote {n} records to records.jsonl, styles.json, ruled-out.json")


if __name__ == "__main__":
    main()
