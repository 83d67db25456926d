# -*- coding: utf-8 -*-
"""Validate records.jsonl / styles.json / ruled-out.json against record.ts and formulary.json.

stdlib only. Exit status 0 when every check passes.
Usage: python3 validate.py [--formulary PATH]
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = '/tmp/hw7-brief/formulary.json'
if '--formulary' in sys.argv:
    FORMULARY = sys.argv[sys.argv.index('--formulary') + 1]

FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STYLES = ['long-course', 'terse', 'explicit-plan']
N = 30

errors = []


def err(msg):
    errors.append(msg)


names = {d['name'] for d in json.load(open(FORMULARY, encoding='utf-8'))['drugs']}

# records.jsonl
records = []
with open(os.path.join(HERE, 'records.jsonl'), encoding='utf-8') as f:
    lines = f.read().split('\n')
if lines and lines[-1] == '':
    lines = lines[:-1]
if len(lines) != N:
    err('records.jsonl has %d lines, expected %d' % (len(lines), N))
for i, line in enumerate(lines, 1):
    try:
        rec = json.loads(line)
    except ValueError as e:
        err('line %d: invalid JSON (%s)' % (i, e))
        continue
    if not isinstance(rec, dict):
        err('line %d: not an object' % i)
        continue
    if list(rec.keys()) != FIELDS:
        err('line %d: keys/order differ from record.ts: %s' % (i, list(rec.keys())))
    records.append(rec)

expected_ids = ['hd8-%03d' % k for k in range(1, N + 1)]
ids = [r.get('就诊标识') for r in records]
if ids != expected_ids:
    err('就诊标识 not hd8-001..hd8-030 in order: %s' % ids)
if len(set(ids)) != len(ids):
    err('duplicate 就诊标识')
pids = [r.get('患者序号') for r in records]
if len(set(pids)) != len(pids):
    err('duplicate 患者序号')
for r in records:
    vid = r.get('就诊标识')
    pid = r.get('患者序号')
    if not (isinstance(pid, str) and re.fullmatch(r'\d{6}', pid)):
        err('%s: 患者序号 not a 6-digit string: %r' % (vid, pid))
    for k in ['性别', '出生日期', '民族', '就诊时间'] + TEXT_FIELDS:
        if not isinstance(r.get(k), str):
            err('%s: %s not a string' % (vid, k))
    if not (r.get('BMI') is None or isinstance(r.get('BMI'), (int, float))):
        err('%s: BMI not number/null' % vid)
    dx = r.get('出院诊断')
    if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
        err('%s: 出院诊断 must be a non-empty list of strings' % vid)
    lab = r.get('出院带药列表')
    if not (isinstance(lab, list) and lab):
        err('%s: label empty or not a list' % vid)
        continue
    if len(set(lab)) != len(lab):
        err('%s: duplicate label entries %s' % (vid, lab))
    for d in lab:
        if d not in names:
            err('%s: label %r is not a canonical formulary name' % (vid, d))

by_id = {r.get('就诊标识'): r for r in records}

# styles.json
styles = json.load(open(os.path.join(HERE, 'styles.json'), encoding='utf-8'))
if sorted(styles) != expected_ids:
    err('styles.json ids differ from records')
for s in STYLES:
    c = sum(1 for v in styles.values() if v == s)
    if c != 10:
        err('style %s has %d records, expected 10' % (s, c))
for v in styles.values():
    if v not in STYLES:
        err('unknown style %r' % v)
exp_style = {}
for k in range(1, N + 1):
    exp_style['hd8-%03d' % k] = STYLES[(k - 1) // 10]
if styles != exp_style:
    err('styles not in the briefed blocks (001-010 long-course, 011-020 terse, 021-030 explicit-plan)')

# LABELLING.md §3: long-course courses are 360-530 Chinese characters.
for vid, s in styles.items():
    if s == 'long-course' and vid in by_id:
        n = len(re.findall(r'[\u4e00-\u9fff]', by_id[vid]['诊疗过程描述']))
        if not 360 <= n <= 530:
            err('%s: long-course 诊疗过程描述 has %d Chinese characters (360-530)' % (vid, n))

# ruled-out.json
ruled = json.load(open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8'))
if sorted(ruled) != expected_ids:
    err('ruled-out.json must have all 30 ids')
n_ruled = 0
for vid, entries in ruled.items():
    r = by_id.get(vid)
    if r is None or not isinstance(entries, list):
        err('%s: bad ruled-out entry' % vid)
        continue
    seen = set()
    for e in entries:
        n_ruled += 1
        if set(e) != {'drug', 'reason', 'evidence'}:
            err('%s: ruled-out entry keys %s' % (vid, sorted(e)))
            continue
        d = e['drug']
        if d not in names:
            err('%s: ruled-out %r not canonical' % (vid, d))
        if d in seen:
            err('%s: ruled-out %r listed twice' % (vid, d))
        seen.add(d)
        if d in (r.get('出院带药列表') or []):
            err('%s: ruled-out %r is in the label' % (vid, d))
        if not (isinstance(e['reason'], str) and e['reason']):
            err('%s: empty reason for %r' % (vid, d))
        ev = e['evidence']
        if not (isinstance(ev, str) and ev and any(ev in r[t] for t in TEXT_FIELDS)):
            err('%s: evidence for %r is not a verbatim substring of a free-text field: %r' % (vid, d, ev))

n_labels = sum(len(r.get('出院带药列表') or []) for r in records)
distinct = {d for r in records for d in (r.get('出院带药列表') or [])}
print('records: %d' % len(records))
print('label entries: %d (distinct names: %d)' % (n_labels, len(distinct)))
print('ruled-out entries: %d in %d records' % (n_ruled, sum(1 for v in ruled.values() if v)))
print('styles: ' + ', '.join('%s=%d' % (s, sum(1 for v in styles.values() if v == s)) for s in STYLES))
if errors:
    print('FAIL (%d errors)' % len(errors))
    for e in errors:
        print('  - ' + e)
    sys.exit(1)
print('OK: all checks passed')
