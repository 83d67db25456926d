#!/usr/bin/python3
"""Validate records.jsonl, styles.json and ruled-out.json (Python 3 standard library only)."""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = '/tmp/hw7-brief/formulary.json'
FIELDS = [
    '患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
    '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表',
]
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STR_FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间'] + TEXT_FIELDS
STYLE_BLOCKS = [('long-course', 1, 10), ('terse', 11, 20), ('explicit-plan', 21, 30)]


def main():
    errors = []
    err = errors.append
    with open(FORMULARY, encoding='utf-8') as fh:
        names = {d['name'] for d in json.load(fh)['drugs']}

    with open(os.path.join(HERE, 'records.jsonl'), encoding='utf-8') as fh:
        raw = [ln for ln in fh.read().split('\n') if ln.strip()]
    if len(raw) != 30:
        err('expected 30 lines, got %d' % len(raw))
    recs = []
    for i, ln in enumerate(raw, 1):
        try:
            recs.append(json.loads(ln))
        except ValueError as e:
            err('line %d: invalid JSON (%s)' % (i, e))
    with open(os.path.join(HERE, 'styles.json'), encoding='utf-8') as fh:
        styles = json.load(fh)
    with open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8') as fh:
        ruled = json.load(fh)

    expected_ids = ['hd9-%03d' % n for n in range(1, 31)]
    ids = [r.get('就诊标识') for r in recs]
    if ids != expected_ids:
        err('ids not hd9-001…hd9-030 in order: %s' % ids)
    if len(set(ids)) != len(ids):
        err('duplicate 就诊标识')
    pids = [r.get('患者序号') for r in recs]
    if len(set(pids)) != len(pids):
        err('duplicate 患者序号')

    for r in recs:
        key = r.get('就诊标识')
        if list(r.keys()) != FIELDS:
            err('%s: keys/order mismatch %s' % (key, list(r.keys())))
            continue
        if not (isinstance(r['患者序号'], str) and re.fullmatch(r'\d{6}', r['患者序号'])):
            err('%s: 患者序号 not a 6-digit string' % key)
        for f in STR_FIELDS:
            if not isinstance(r[f], str):
                err('%s: %s not a string' % (key, f))
        if r['BMI'] is not None and not isinstance(r['BMI'], (int, float)):
            err('%s: BMI not number|null' % key)
        if not (isinstance(r['出院诊断'], list) and r['出院诊断']
                and all(isinstance(x, str) for x in r['出院诊断'])):
            err('%s: 出院诊断 not a non-empty string list' % key)
        label = r['出院带药列表']
        if not (isinstance(label, list) and label):
            err('%s: empty or non-list label' % key)
            label = []
        if len(set(label)) != len(label):
            err('%s: duplicate label entries' % key)
        for d in label:
            if d not in names:
                err('%s: label drug not canonical: %s' % (key, d))
        if key not in styles:
            err('%s: missing in styles.json' % key)
        if key not in ruled:
            err('%s: missing in ruled-out.json' % key)
            continue
        texts = [r[f] for f in TEXT_FIELDS]
        for ro in ruled[key]:
            if set(ro.keys()) != {'drug', 'reason', 'evidence'}:
                err('%s: ruled-out entry keys %s' % (key, list(ro.keys())))
                continue
            if ro['drug'] not in names:
                err('%s: ruled-out drug not canonical: %s' % (key, ro['drug']))
            if ro['drug'] in label:
                err('%s: ruled-out drug in label: %s' % (key, ro['drug']))
            if not ro['reason']:
                err('%s: empty reason for %s' % (key, ro['drug']))
            if not any(ro['evidence'] and ro['evidence'] in t for t in texts):
                err('%s: evidence not verbatim: %s' % (key, ro['evidence']))
        ro_drugs = [ro.get('drug') for ro in ruled[key]]
        if len(set(ro_drugs)) != len(ro_drugs):
            err('%s: duplicate ruled-out drugs' % key)

    if set(styles) != set(expected_ids):
        err('styles.json keys mismatch')
    if set(ruled) != set(expected_ids):
        err('ruled-out.json keys mismatch')
    for style, lo, hi in STYLE_BLOCKS:
        for n in range(lo, hi + 1):
            k = 'hd9-%03d' % n
            if styles.get(k) != style:
                err('%s: style %s, expected %s' % (k, styles.get(k), style))
    for r in recs:
        if styles.get(r.get('就诊标识')) == 'long-course':
            n = len(r.get('诊疗过程描述', ''))
            if not 360 <= n <= 530:
                err('%s: long-course 诊疗过程描述 length %d outside 360–530' % (r['就诊标识'], n))

    if errors:
        for e in errors:
            print('FAIL:', e)
        sys.exit(1)
    print('OK: all checks passed')


if __name__ == '__main__':
    main()
