#!/usr/bin/env python3
"""Build handwritten-dev10 part A.

Concatenates the hand-written record lists (rec_01_10, rec_11_20, rec_21_30) in order,
assigns 患者序号 as distinct random 6-digit strings drawn with random.Random(20241203),
and writes:
  records.jsonl   one record per line, fields in the CDRUGRED_FIELDS order of record.ts
  styles.json     {就诊标识: style}
  ruled-out.json  {就诊标识: [{"drug", "reason", "evidence"}, ...]} (every id present)
Python 3 standard library only; deterministic.
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

# Copied from record.ts (CDRUGRED_FIELDS), same order.
CDRUGRED_FIELDS = [
    '患者序号',
    '就诊标识',
    '性别',
    '出生日期',
    '民族',
    'BMI',
    '就诊时间',
    '诊疗过程描述',
    '入院情况',
    '现病史',
    '既往史',
    '主诉',
    '出院诊断',
    '出院带药列表',
]

SEED = 20241203


def all_records():
    return list(rec_01_10.RECORDS) + list(rec_11_20.RECORDS) + list(rec_21_30.RECORDS)


def patient_ids(n, seed=SEED):
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
    recs = all_records()
    pids = patient_ids(len(recs))
    records, styles, ruled = [], {}, {}
    for rec, pid in zip(recs, pids):
        full = dict(rec)
        full['患者序号'] = pid
        records.append({k: full[k] for k in CDRUGRED_FIELDS})
        rid = rec['就诊标识']
        styles[rid] = rec['style']
        ruled[rid] = [
            {'drug': e['drug'], 'reason': e['reason'], 'evidence': e['evidence']}
            for e in rec['ruled_out']
        ]
    return records, styles, ruled


def render(records, styles, ruled):
    jsonl = ''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in records)
    styles_txt = json.dumps(styles, ensure_ascii=False, indent=2) + '\n'
    ruled_txt = json.dumps(ruled, ensure_ascii=False, indent=2) + '\n'
    return {'records.jsonl': jsonl, 'styles.json': styles_txt, 'ruled-out.json': ruled_txt}


def main():
    records, styles, ruled = build()
    for name, text in render(records, styles, ruled).items():
        with open(os.path.join(HERE, name), 'w', encoding='utf-8', newline='\n') as f:
            f.write(text)
    n_label = sum(len(r['出院带药列表']) for r in records)
    n_ruled = sum(len(v) for v in ruled.values())
    print(f'wrote {len(records)} records ({n_label} label entries, {n_ruled} ruled-out entries)')


if __name__ == '__main__':
    main()
