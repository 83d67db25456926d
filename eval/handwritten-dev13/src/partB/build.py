#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Build records.jsonl, styles.json and ruled-out.json from the hand-written rec_*.py files.

Author 13-B, part B (hd13-031 .. hd13-060). No templates: every record is a literal in
rec_031_040.py, rec_041_050.py or rec_051_060.py. This script only concatenates them and
draws 患者序号 with random.Random(13029).
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_031_040  # noqa: E402
import rec_041_050  # noqa: E402
import rec_051_060  # noqa: E402

# Field order of record.ts CDRUGRED_FIELDS.
CDRUGRED_FIELDS = [
    '患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间',
    '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表',
]
SEED = 13029
OUT_FILES = ['records.jsonl', 'styles.json', 'ruled-out.json']


def all_source_records():
    return list(rec_031_040.RECORDS) + list(rec_041_050.RECORDS) + list(rec_051_060.RECORDS)


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    seen = set()
    out = []
    while len(out) < n:
        s = str(rng.randint(100000, 999999))
        if s in seen:
            continue
        seen.add(s)
        out.append(s)
    return out


def build():
    """Return {filename: text} for the three output files."""
    src = all_source_records()
    pids = draw_patient_ids(len(src))
    lines = []
    styles = {}
    ruled = {}
    for pid, r in zip(pids, src):
        rec = {}
        for f in CDRUGRED_FIELDS:
            if f == '患者序号':
                rec[f] = pid
            else:
                rec[f] = r[f]
        lines.append(json.dumps(rec, ensure_ascii=False))
        styles[r['就诊标识']] = r['_style']
        ruled[r['就诊标识']] = [
            {'drug': x['drug'], 'reason': x['reason'], 'evidence': x['evidence']}
            for x in r['_ruled_out']
        ]
    return {
        'records.jsonl': '\n'.join(lines) + '\n',
        'styles.json': json.dumps(styles, ensure_ascii=False, indent=2) + '\n',
        'ruled-out.json': json.dumps(ruled, ensure_ascii=False, indent=2) + '\n',
    }


def main():
    files = build()
    for name in OUT_FILES:
        with open(os.path.join(HERE, name), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(files[name])
    n = files['records.jsonl'].count('\n')
    print('wrote %d records to records.jsonl, styles.json, ruled-out.json' % n)


if __name__ == '__main__':
    main()
