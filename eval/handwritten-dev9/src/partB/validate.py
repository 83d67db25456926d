#!/usr/bin/python3
"""Validate records.jsonl / styles.json / ruled-out.json for hd9-031 … hd9-060 (stdlib only)."""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = os.environ.get('FORMULARY', '/tmp/hw7-brief/formulary.json')
FIELDS = [
    '患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
    '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表',
]
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STR_FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间'] + TEXT_FIELDS
EXPECTED_IDS = ['hd9-%03d' % i for i in range(31, 61)]


def expected_style(i):
    n = int(EXPECTED_IDS[i][4:])
    if n <= 40:
        return 'class-plan'
    if n <= 50:
        return 'trade-names'
    return 'stop-switch-allergy'


def main():
    errs = []
    names = {d['name'] for d in json.load(open(FORMULARY, encoding='utf-8'))['drugs']}
    recs = []
    with open(os.path.join(HERE, 'records.jsonl'), encoding='utf-8') as fh:
        lines = fh.read().split('\n')
    if lines and lines[-1] == '':
        lines = lines[:-1]
    if len(lines) != 30:
        errs.append('expected 30 lines, got %d' % len(lines))
    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            errs.append('line %d: invalid JSON (%s)' % (n, e))
            continue
        if not isinstance(obj, dict):
            errs.append('line %d: not an object' % n)
            continue
        if list(obj.keys()) != FIELDS:
            errs.append('line %d: keys/order mismatch: %s' % (n, list(obj.keys())))
        recs.append(obj)
    ids = [r.get('就诊标识') for r in recs]
    if ids != EXPECTED_IDS:
        errs.append('ids not hd9-031…hd9-060 in order: %s' % ids)
    if len(set(ids)) != len(ids):
        errs.append('duplicate 就诊标识')
    pids = [r.get('患者序号') for r in recs]
    if len(set(pids)) != len(pids):
        errs.append('duplicate 患者序号')
    for r in recs:
        rid = r.get('就诊标识')
        for f in STR_FIELDS:
            if not isinstance(r.get(f), str):
                errs.append('%s: %s is not a string' % (rid, f))
        if not re.fullmatch(r'\d{6}', str(r.get('患者序号'))) or str(r.get('患者序号')).startswith('0'):
            errs.append('%s: 患者序号 not a 6-digit string: %r' % (rid, r.get('患者序号')))
        bmi = r.get('BMI')
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            errs.append('%s: BMI must be number or null' % rid)
        dx = r.get('出院诊断')
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
            errs.append('%s: 出院诊断 must be a non-empty list of strings' % rid)
        lab = r.get('出院带药列表')
        if not (isinstance(lab, list) and lab):
            errs.append('%s: label empty or not a list' % rid)
            lab = []
        if len(set(lab)) != len(lab):
            errs.append('%s: duplicate label entries' % rid)
        for d in lab:
            if d not in names:
                errs.append('%s: label drug not canonical: %r' % (rid, d))
    # styles
    styles = json.load(open(os.path.join(HERE, 'styles.json'), encoding='utf-8'))
    if list(styles.keys()) != EXPECTED_IDS:
        errs.append('styles.json keys mismatch')
    for i, rid in enumerate(EXPECTED_IDS):
        if styles.get(rid) != expected_style(i):
            errs.append('%s: style %r, expected %r' % (rid, styles.get(rid), expected_style(i)))
    counts = {}
    for s in styles.values():
        counts[s] = counts.get(s, 0) + 1
    for s in ('class-plan', 'trade-names', 'stop-switch-allergy'):
        if counts.get(s) != 10:
            errs.append('style %s has %s records, expected 10' % (s, counts.get(s)))
    # ruled-out
    ruled = json.load(open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8'))
    if list(ruled.keys()) != EXPECTED_IDS:
        errs.append('ruled-out.json keys mismatch')
    by_id = {r.get('就诊标识'): r for r in recs}
    for rid, entries in ruled.items():
        r = by_id.get(rid)
        if r is None:
            continue
        if not isinstance(entries, list):
            errs.append('%s: ruled-out not a list' % rid)
            continue
        if styles.get(rid) == 'stop-switch-allergy' and not entries:
            errs.append('%s: stop-switch-allergy record without ruled-out entries' % rid)
        seen = set()
        for e in entries:
            if set(e.keys()) != {'drug', 'reason', 'evidence'}:
                errs.append('%s: ruled-out entry keys %s' % (rid, sorted(e.keys())))
                continue
            d = e['drug']
            if d in seen:
                errs.append('%s: duplicate ruled-out drug %s' % (rid, d))
            seen.add(d)
            if d not in names:
                errs.append('%s: ruled-out drug not canonical: %r' % (rid, d))
            if d in r['出院带药列表']:
                errs.append('%s: ruled-out drug %s is in the label' % (rid, d))
            if not e['reason']:
                errs.append('%s: empty reason for %s' % (rid, d))
            ev = e['evidence']
            if not ev or not any(ev in r[f] for f in TEXT_FIELDS):
                errs.append('%s: evidence for %s not a verbatim substring: %r' % (rid, d, ev))
    if errs:
        print('FAILED: %d problem(s)' % len(errs))
        for e in errs:
            print('  - ' + e)
        sys.exit(1)
    print('OK: all checks passed')


if __name__ == '__main__':
    main()
