#!/usr/bin/python3
"""Build records.jsonl, styles.json and ruled-out.json for hd9-031 … hd9-060 (stdlib only, deterministic)."""
import json
import os
import random
import sys
sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_31_40  # noqa: E402
import rec_41_50  # noqa: E402
import rec_51_60  # noqa: E402

# Order exactly as CDRUGRED_FIELDS in record.ts
FIELDS = [
    '患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
    '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表',
]
SEED = 20240931


def main():
    src = rec_31_40.RECORDS + rec_41_50.RECORDS + rec_51_60.RECORDS
    rng = random.Random(SEED)
    ids = rng.sample(range(100000, 1000000), len(src))
    out_records, styles, ruled = [], {}, {}
    for rec, pid in zip(src, ids):
        extra = set(rec) - set(FIELDS) - {'style', 'ruled_out'}
        if extra:
            raise SystemExit('unexpected keys in %s: %s' % (rec.get('就诊标识'), sorted(extra)))
        row = {}
        for f in FIELDS:
            if f == '患者序号':
                row[f] = rec.get(f) or str(pid)
            else:
                row[f] = rec[f]
        out_records.append(row)
        styles[rec['就诊标识']] = rec['style']
        ruled[rec['就诊标识']] = [
            {'drug': r['drug'], 'reason': r['reason'], 'evidence': r['evidence']} for r in rec['ruled_out']
        ]
    with open(os.path.join(HERE, 'records.jsonl'), 'w', encoding='utf-8') as fh:
        for row in out_records:
            fh.write(json.dumps(row, ensure_ascii=False) + '\n')
    with open(os.path.join(HERE, 'styles.json'), 'w', encoding='utf-8') as fh:
        json.dump(styles, fh, ensure_ascii=False, indent=2)
        fh.write('\n')
    with open(os.path.join(HERE, 'ruled-out.json'), 'w', encoding='utf-8') as fh:
        json.dump(ruled, fh, ensure_ascii=False, indent=2)
        fh.write('\n')
    # summary
    by_style = {}
    for rec in src:
        s = by_style.setdefault(rec['style'], [0, 0, 0])
        s[0] += 1
        s[1] += len(rec['出院带药列表'])
        s[2] += len(rec['ruled_out'])
    print('wrote %d records' % len(out_records))
    for k, (n, lab, ro) in by_style.items():
        print('  %-20s records=%d label_entries=%d ruled_out_entries=%d' % (k, n, lab, ro))


if __name__ == '__main__':
    main()
