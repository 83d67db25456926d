# -*- coding: utf-8 -*-
"""Validate the hd5 hand-written evaluation set. Stdlib only.

Usage: /usr/bin/python3 validate.py [--formulary /tmp/hw5-brief/formulary.json]
Exit status 0 when every check passes.
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# In the repository the formulary sits at src/clinical/data/formulary.json (the author's copy was
# /tmp/hw5-brief/formulary.json, the same file).
FORMULARY = os.path.join(HERE, '..', '..', 'src', 'clinical', 'data', 'formulary.json')
if '--formulary' in sys.argv:
    FORMULARY = sys.argv[sys.argv.index('--formulary') + 1]

FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间',
          '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STYLE_RANGES = {
    'long-course': range(1, 16),
    'terse': range(16, 31),
    'trade-names': range(31, 46),
    'stop-switch-allergy': range(46, 61),
}
# Label drugs resolved from class wording or chart abbreviations that are not formulary
# aliases (LABELLING.md §1.1); every other label drug must be named in the note text
# by its canonical name or an alias.
SUPPORT_EXCEPTIONS = {
    'hd5-016': {'西格列汀': 'DPP-4i → 西格列汀 (§1.1 default)'},
    'hd5-025': {'甘精胰岛素': '“甘精14U” chart abbreviation'},
}

errors = []


def err(msg):
    errors.append(msg)


def cjk_count(s):
    return len(re.findall(r'[\u4e00-\u9fff]', s))


def main():
    form = json.load(open(FORMULARY, encoding='utf-8'))
    drugs = {d['name']: d for d in form['drugs']}

    path = os.path.join(HERE, 'records.jsonl')
    lines = open(path, encoding='utf-8').read().splitlines()
    if len(lines) != 60:
        err('expected 60 records, got %d' % len(lines))
    recs = {}
    pids = set()
    for i, line in enumerate(lines, 1):
        try:
            r = json.loads(line)
        except ValueError as e:
            err('line %d: bad JSON: %s' % (i, e))
            continue
        if list(r.keys()) != FIELDS:
            err('line %d: keys/order mismatch: %s' % (i, list(r.keys())))
        rid = r.get('就诊标识')
        if rid in recs:
            err('duplicate id %s' % rid)
        if not re.fullmatch(r'hd5-\d{3}', rid or ''):
            err('bad id %r' % rid)
        recs[rid] = r
        pid = r.get('患者序号')
        if not (isinstance(pid, str) and re.fullmatch(r'\d{6}', pid)):
            err('%s: 患者序号 not a 6-digit string: %r' % (rid, pid))
        if pid in pids:
            err('%s: duplicate 患者序号 %s' % (rid, pid))
        pids.add(pid)
        if not (r['BMI'] is None or isinstance(r['BMI'], (int, float))):
            err('%s: BMI must be number or null' % rid)
        for k in ['性别', '出生日期', '民族', '就诊时间'] + TEXT_FIELDS:
            if not isinstance(r[k], str):
                err('%s: %s must be a string' % (rid, k))
        if not (isinstance(r['出院诊断'], list) and r['出院诊断'] and all(isinstance(x, str) for x in r['出院诊断'])):
            err('%s: 出院诊断 must be a non-empty list of strings' % rid)
        lab = r['出院带药列表']
        if not (isinstance(lab, list) and lab):
            err('%s: empty/invalid label' % rid)
            continue
        if len(set(lab)) != len(lab):
            err('%s: duplicate label drugs' % rid)
        text = '\n'.join(r[k] for k in TEXT_FIELDS)
        for d in lab:
            if d not in drugs:
                err('%s: label drug %r is not a canonical formulary name' % (rid, d))
                continue
            names = [d] + list(drugs[d].get('aliases', []))
            if not any(n in text for n in names) and d not in SUPPORT_EXCEPTIONS.get(rid, {}):
                err('%s: label drug %s not supported by note text (no name/alias found)' % (rid, d))

    want_ids = ['hd5-%03d' % i for i in range(1, 61)]
    if sorted(recs) != want_ids:
        err('ids are not exactly hd5-001..hd5-060')

    styles = json.load(open(os.path.join(HERE, 'styles.json'), encoding='utf-8'))
    if sorted(styles) != want_ids:
        err('styles.json ids mismatch')
    cnt = collections.Counter(styles.values())
    for st, rng in STYLE_RANGES.items():
        if cnt.get(st) != 15:
            err('style %s count %s != 15' % (st, cnt.get(st)))
        for n in rng:
            rid = 'hd5-%03d' % n
            if styles.get(rid) != st:
                err('%s: style %s, expected %s' % (rid, styles.get(rid), st))
    extra = set(cnt) - set(STYLE_RANGES)
    if extra:
        err('unknown styles: %s' % extra)

    ruled = json.load(open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8'))
    n_ruled = 0
    for rid, entries in ruled.items():
        if rid not in recs:
            err('ruled-out id %s not in records' % rid)
            continue
        r = recs[rid]
        seen = set()
        for e in entries:
            n_ruled += 1
            if set(e) != {'drug', 'reason', 'evidence'}:
                err('%s: ruled-out entry keys %s' % (rid, sorted(e)))
                continue
            if e['drug'] not in drugs:
                err('%s: ruled-out drug %r not canonical' % (rid, e['drug']))
            if e['drug'] in seen:
                err('%s: ruled-out drug %s listed twice' % (rid, e['drug']))
            seen.add(e['drug'])
            if e['drug'] in r['出院带药列表']:
                err('%s: ruled-out drug %s is in the label' % (rid, e['drug']))
            if not e['evidence'] or not any(e['evidence'] in r[k] for k in TEXT_FIELDS):
                err('%s: evidence for %s is not a verbatim substring of a free-text field: %r'
                    % (rid, e['drug'], e['evidence']))
            if not e['reason']:
                err('%s: empty reason for %s' % (rid, e['drug']))
    for rid, st in styles.items():
        if st == 'stop-switch-allergy' and not ruled.get(rid):
            err('%s: stop-switch-allergy record without ruled-out entries' % rid)

    # long-course course length (LABELLING.md §3: 360–530 Chinese characters)
    for rid, st in styles.items():
        if st == 'long-course' and rid in recs:
            # counted as characters of the field (Chinese 字数 convention, digits/units included)
            n = len(recs[rid]['诊疗过程描述'])
            if not 360 <= n <= 530:
                err('%s: long-course 诊疗过程描述 has %d characters (want 360–530)' % (rid, n))

    sizes = [len(r['出院带药列表']) for r in recs.values()]
    freq = collections.Counter(d for r in recs.values() for d in r['出院带药列表'])
    print('records: %d  styles: %s' % (len(recs), dict(cnt)))
    if sizes:
        print('label size: mean %.2f  min %d  max %d  total %d  distinct %d'
              % (sum(sizes) / len(sizes), min(sizes), max(sizes), sum(sizes), len(freq)))
    print('ruled-out: %d entries in %d records' % (n_ruled, len(ruled)))
    print('top labels: ' + ', '.join('%s %d' % kv for kv in freq.most_common(12)))
    if errors:
        print('\nFAIL: %d problem(s)' % len(errors))
        for e in errors:
            print('  - ' + e)
        sys.exit(1)
    print('\nPASS')


if __name__ == '__main__':
    main()
