# -*- coding: utf-8 -*-
"""Build records.jsonl, styles.json and ruled-out.json from the hand-written rec_*.py files.

Run:  /usr/bin/python3 build.py
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_001_010  # noqa: E402
import rec_011_020  # noqa: E402
import rec_021_030  # noqa: E402

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

SEED = 14011
OUT_RECORDS = os.path.join(HERE, 'records.jsonl')
OUT_STYLES = os.path.join(HERE, 'styles.json')
OUT_RULED = os.path.join(HERE, 'ruled-out.json')


def source_records():
    """The hand-written records, in file order (with their _style/_ruled_out metadata)."""
    return list(rec_001_010.RECORDS) + list(rec_011_020.RECORDS) + list(rec_021_030.RECORDS)


def draw_patient_ids(n, seed=SEED):
    rng = random.Random(seed)
    seen = set()
    ids = []
    while len(ids) < n:
        s = str(rng.randint(100000, 999999))
        if s in seen:
            continue
        seen.add(s)
        ids.append(s)
    return ids


def build():
    """Return (records_jsonl_text, styles_json_text, ruled_out_json_text)."""
    src = source_records()
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
        rec['出院诊断'] = list(rec['出院诊断'])
        rec['出院带药列表'] = list(rec['出院带药列表'])
        lines.append(json.dumps(rec, ensure_ascii=False))
        rid = r['就诊标识']
        styles[rid] = r['_style']
        ruled[rid] = [
            {'drug': e['drug'], 'reason': e['reason'], 'evidence': e['evidence']}
            for e in r['_ruled_out']
        ]
    records_text = '\n'.join(lines) + '\n'
    styles_text = json.dumps(styles, ensure_ascii=False, indent=2) + '\n'
    ruled_text = json.dumps(ruled, ensure_ascii=False, indent=2) + '\n'
    return records_text, styles_text, ruled_text


def main():
    records_text, styles_text, ruled_text = build()
    for path, text in ((OUT_RECORDS, records_text), (OUT_STYLES, styles_text), (OUT_RULED, ruled_text)):
        with open(path, 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    n = records_text.count('\n')
    print(f'wrote {n} records -> {os.path.basename(OUT_RECORDS)}, '
          f'{os.path.basename(OUT_STYLES)}, {os.path.basename(OUT_RULED)}')


if __name__ == '__main__':
    main()
