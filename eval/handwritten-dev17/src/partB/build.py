#!/usr/bin/python3
"""Build part B (hd17-031 .. hd17-060) of the hand-written dev set.

Concatenates the hand-written record literals in rec_*.py, draws 患者序号 with
random.Random(17029), and writes records.jsonl, styles.json and ruled-out.json next to
this file.  Run:  /usr/bin/python3 build.py
"""
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# record.ts, CDRUGRED_FIELDS (dataset order)
CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]

REC_FILES = ["rec_031_040.py", "rec_041_050.py", "rec_051_060.py"]
SEED = 17029
OUTPUTS = ["records.jsonl", "styles.json", "ruled-out.json"]


def load_literals():
    """Concatenate RECORDS from the rec_*.py files, in file order."""
    out = []
    for name in REC_FILES:
        path = HERE / name
        ns = {}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), ns)
        out.extend(ns["RECORDS"])
    return out


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    ids, seen = [], set()
    while len(ids) < n:
        s = str(rng.randint(100000, 999999))
        if s not in seen:
            seen.add(s)
            ids.append(s)
    return ids


def build():
    """Return {filename: text} for the three output files."""
    lits = load_literals()
    pids = draw_patient_ids(len(lits))
    lines, styles, ruled = [], {}, {}
    for lit, pid in zip(lits, pids):
        rec = {}
        for f in CDRUGRED_FIELDS:
            rec[f] = pid if f == "患者序号" else lit[f]
        rec["出院诊断"] = list(rec["出院诊断"])
        rec["出院带药列表"] = list(rec["出院带药列表"])
        lines.append(json.dumps(rec, ensure_ascii=False))
        vid = lit["就诊标识"]
        styles[vid] = lit["style"]
        ruled[vid] = [
            {"drug": r["drug"], "reason": r["reason"], "evidence": r["evidence"]}
            for r in lit.get("ruled_out", [])
        ]
    return {
        "records.jsonl": "\n".join(lines) + "\n",
        "styles.json": json.dumps(styles, ensure_ascii=False, indent=2) + "\n",
        "ruled-out.json": json.dumps(ruled, ensure_ascii=False, indent=2) + "\n",
    }


def main():
    outs = build()
    for name, text in outs.items():
        (HERE / name).write_text(text, encoding="utf-8")
    n = outs["records.jsonl"].count("\n")
    print(f"wrote {n} records -> " + ", ".join(OUTPUTS))


if __name__ == "__main__":
    main()
