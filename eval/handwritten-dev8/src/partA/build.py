# -*- coding: utf-8 -*-
"""Assemble the hand-written records (rec_*.py) into the evaluation files.

Writes records.jsonl, styles.json and ruled-out.json; prints the §1 rule-8 uses (authoring
notes, tabulated in README.md). Keys are ordered exactly as CDRUGRED_FIELDS in record.ts; 患者序号 are unique random
6-digit strings drawn with a fixed seed. stdlib only.
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True

import rec_01_05  # noqa: E402
import rec_06_10  # noqa: E402
import rec_11_20  # noqa: E402
import rec_21_30  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Order copied from record.ts (CDRUGRED_FIELDS).
FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']

SEED = 20240817


def main():
    src = rec_01_05.RECORDS + rec_06_10.RECORDS + rec_11_20.RECORDS + rec_21_30.RECORDS
    rng = random.Random(SEED)
    ids = set()
    patient_ids = []
    while len(patient_ids) < len(src):
        pid = '%06d' % rng.randint(100000, 999999)
        if pid not in ids:
            ids.add(pid)
            patient_ids.append(pid)

    records, styles, ruled, rule8 = [], {}, {}, {}
    for pid, r in zip(patient_ids, src):
        rec = {'患者序号': pid}
        for k in FIELDS[1:]:
            rec[k] = r[k]
        extra = set(r) - set(FIELDS) - {'_style', '_ruled_out', '_rule8'}
        assert not extra, (r['就诊标识'], extra)
        vid = rec['就诊标识']
        records.append(rec)
        styles[vid] = r['_style']
        ruled[vid] = r['_ruled_out']
        rule8[vid] = [{'drug': d, 'basis': b} for d, b in r['_rule8']]

    with open(os.path.join(HERE, 'records.jsonl'), 'w', encoding='utf-8', newline='\n') as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    with open(os.path.join(HERE, 'styles.json'), 'w', encoding='utf-8', newline='\n') as f:
        json.dump(styles, f, ensure_ascii=False, indent=1)
        f.write('\n')
    with open(os.path.join(HERE, 'ruled-out.json'), 'w', encoding='utf-8', newline='\n') as f:
        json.dump(ruled, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print('wrote %d records' % len(records))
    for vid, uses in rule8.items():
        for u in uses:
            print('rule 8: %s %s | %s' % (vid, u['drug'], u['basis']))


if __name__ == '__main__':
    main()
