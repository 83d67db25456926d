# -*- coding: utf-8 -*-
"""Serialise the hand-written hd5 records into records.jsonl, styles.json, ruled-out.json.

Run with: /usr/bin/python3 build.py   (stdlib only)
"""
import json
import os
import random

import build_part1
import build_part2
import build_part3
import build_part4

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间',
          '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']

PARTS = [
    (build_part1.RECORDS, 'long-course'),
    (build_part2.RECORDS, 'terse'),
    (build_part3.RECORDS, 'trade-names'),
    (build_part4.RECORDS, 'stop-switch-allergy'),
]


def main():
    allrecs = []
    for recs, style in PARTS:
        for r in recs:
            allrecs.append((r, style))
    # fictitious patient numbers: random unique 6-digit strings (fixed seed for reproducibility)
    rng = random.Random(5150)
    pids = rng.sample(range(100000, 1000000), len(allrecs))

    records, styles, ruled = [], {}, {}
    for (r, style), pid in zip(allrecs, pids):
        rec = {
            '患者序号': str(pid),
            '就诊标识': r['id'],
            '性别': r['sex'],
            '出生日期': r['dob'],
            '民族': r['eth'],
            'BMI': r['bmi'],
            '就诊时间': r['date'],
            '诊疗过程描述': r['course'],
            '入院情况': r['adm'],
            '现病史': r['hpi'],
            '既往史': r['pmh'],
            '主诉': r['cc'],
            '出院诊断': list(r['dx']),
            '出院带药列表': list(r['label']),
        }
        assert list(rec) == FIELDS
        records.append(rec)
        styles[r['id']] = style
        if r['ruled']:
            ruled[r['id']] = [{'drug': d, 'reason': why, 'evidence': ev} for d, why, ev in r['ruled']]

    with open(os.path.join(HERE, 'records.jsonl'), 'w', encoding='utf-8') as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    with open(os.path.join(HERE, 'styles.json'), 'w', encoding='utf-8') as f:
        json.dump(styles, f, ensure_ascii=False, indent=1)
        f.write('\n')
    with open(os.path.join(HERE, 'ruled-out.json'), 'w', encoding='utf-8') as f:
        json.dump(ruled, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print('wrote %d records, %d with ruled-out entries' % (len(records), len(ruled)))


if __name__ == '__main__':
    main()
