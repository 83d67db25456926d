#!/usr/bin/python3
"""Build records.jsonl, styles.json and ruled-out.json from the hand-written record sources.

Deterministic: record order is the order in the source files; 患者序号 are drawn with a fixed seed.
Python 3 standard library only.
"""
import json
import os
import random

from rec_01_10 import RECORDS as R1
from rec_11_20 import RECORDS as R2
from rec_21_30 import RECORDS as R3

HERE = os.path.dirname(os.path.abspath(__file__))

# Same order as CDRUGRED_FIELDS in record.ts.
CDRUGRED_FIELDS = [
    '患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
    '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表',
]
SEED = 20240909


def main():
    records = R1 + R2 + R3
    rng = random.Random(SEED)
    ids = set()
    patient_ids = []
    while len(patient_ids) < len(records):
        pid = '%06d' % rng.randint(100000, 999999)
        if pid not in ids:
            ids.add(pid)
            patient_ids.append(pid)

    styles, ruled = {}, {}
    lines = []
    for rec, pid in zip(records, patient_ids):
        out = {}
        for f in CDRUGRED_FIELDS:
            if f == '患者序号':
                out[f] = rec.get(f) or pid
            else:
                out[f] = rec[f]
        key = out['就诊标识']
        lines.append(json.dumps(out, ensure_ascii=False))
        styles[key] = rec['style']
        ruled[key] = [{'drug': r['drug'], 'reason': r['reason'], 'evidence': r['evidence']}
                      for r in rec.get('ruled_out', [])]

    with open(os.path.join(HERE, 'records.jsonl'), 'w', encoding='utf-8') as fh:
        fh.write('\n'.join(lines) + '\n')
    with open(os.path.join(HERE, 'styles.json'), 'w', encoding='utf-8') as fh:
        json.dump(styles, fh, ensure_ascii=False, indent=2)
        fh.write('\n')
    with open(os.path.join(HERE, 'ruled-out.json'), 'w', encoding='utf-8') as fh:
        json.dump(ruled, fh, ensure_ascii=False, indent=2)
        fh.write('\n')
    print('wrote %d records' % len(lines))


if __name__ == '__main__':
    main()
