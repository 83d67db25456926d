# -*- coding: utf-8 -*-
"""Validate the part-B data files (stdlib only).

Usage:  /usr/bin/python3 validate.py [path/to/formulary.json]
Default formulary: /tmp/hw7-brief/formulary.json (or $FORMULARY).
"""
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
IDS = ['hd7-%03d' % i for i in range(31, 61)]
STYLES = {'class-plan': IDS[:15], 'stop-switch-allergy': IDS[15:]}

errors = []


def err(msg):
    errors.append(msg)


def main():
    fpath = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('FORMULARY', '/tmp/hw7-brief/formulary.json')
    with open(fpath, encoding='utf-8') as f:
        names = {d['name'] for d in json.load(f)['drugs']}

    # records.jsonl
    with open(os.path.join(HERE, 'records.jsonl'), encoding='utf-8') as f:
        raw = f.read()
    lines = raw.split('\n')
    if lines and lines[-1] == '':
        lines = lines[:-1]
    if len(lines) != 30:
        err('records.jsonl: %d lines, expected 30' % len(lines))
    recs = []
    for i, line in enumerate(lines, 1):
        try:
            r = json.loads(line)
        except ValueError as e:
            err('line %d: invalid JSON (%s)' % (i, e))
            continue
        if not isinstance(r, dict):
            err('line %d: not an object' % i)
            continue
        if list(r.keys()) != FIELDS:
            err('line %d: keys/order differ from record.ts: %s' % (i, list(r.keys())))
        if '\\u' in line:
            err('line %d: ASCII-escaped text (ensure_ascii must be False)' % i)
        recs.append(r)

    ids = [r.get('就诊标识') for r in recs]
    if ids != IDS:
        err('就诊标识 not hd7-031..hd7-060 in order: %s' % ids)
    if len(set(ids)) != len(ids):
        err('duplicate 就诊标识')
    pids = [r.get('患者序号') for r in recs]
    if len(set(pids)) != len(pids):
        err('duplicate 患者序号')
    for r in recs:
        rid = r.get('就诊标识')
        pid = r.get('患者序号')
        if not (isinstance(pid, str) and re.fullmatch(r'[1-9][0-9]{5}', pid)):
            err('%s: 患者序号 not a 6-digit string: %r' % (rid, pid))
        for k in FIELDS:
            if k in ('BMI', '出院诊断', '出院带药列表'):
                continue
            if not isinstance(r.get(k), str):
                err('%s: %s is not a string' % (rid, k))
        if r.get('BMI') is not None and not isinstance(r.get('BMI'), (int, float)):
            err('%s: BMI not number/null' % rid)
        dx = r.get('出院诊断')
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
            err('%s: 出院诊断 must be a non-empty list of strings' % rid)
        lab = r.get('出院带药列表')
        if not (isinstance(lab, list) and lab):
            err('%s: label empty or not a list' % rid)
            continue
        if len(set(lab)) != len(lab):
            err('%s: duplicate label entries' % rid)
        for d in lab:
            if d not in names:
                err('%s: label %r is not a canonical formulary name' % (rid, d))
        if not any(r.get(k) for k in TEXT_FIELDS):
            err('%s: all free-text fields empty' % rid)

    # styles.json
    with open(os.path.join(HERE, 'styles.json'), encoding='utf-8') as f:
        styles = json.load(f)
    if sorted(styles) != IDS:
        err('styles.json keys differ from the 30 ids')
    for s, want in STYLES.items():
        got = sorted(k for k, v in styles.items() if v == s)
        if got != want:
            err('style %s: %d records %s, expected %s' % (s, len(got), got, want))
    if set(styles.values()) - set(STYLES):
        err('unknown styles: %s' % (set(styles.values()) - set(STYLES)))

    # ruled-out.json
    with open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8') as f:
        ruled = json.load(f)
    if sorted(ruled) != IDS:
        err('ruled-out.json keys differ from the 30 ids')
    by_id = {r.get('就诊标识'): r for r in recs}
    for rid, entries in ruled.items():
        r = by_id.get(rid)
        if r is None:
            continue
        if not isinstance(entries, list):
            err('%s: ruled-out value not a list' % rid)
            continue
        seen = set()
        for e in entries:
            if set(e) != {'drug', 'reason', 'evidence'}:
                err('%s: ruled-out entry keys %s' % (rid, sorted(e)))
                continue
            d = e['drug']
            if d in seen:
                err('%s: ruled-out drug %s listed twice' % (rid, d))
            seen.add(d)
            if d not in names:
                err('%s: ruled-out %r is not a canonical formulary name' % (rid, d))
            if d in (r.get('出院带药列表') or []):
                err('%s: ruled-out %s is in the label' % (rid, d))
            if not (isinstance(e['reason'], str) and e['reason'].strip()):
                err('%s: ruled-out %s has empty reason' % (rid, d))
            ev = e['evidence']
            if not (isinstance(ev, str) and ev.strip()):
                err('%s: ruled-out %s has empty evidence' % (rid, d))
            elif not any(ev in (r.get(k) or '') for k in TEXT_FIELDS):
                err('%s: evidence for %s not a verbatim substring of a free-text field: %r' % (rid, d, ev))
        if styles.get(rid) == 'stop-switch-allergy' and not entries:
            err('%s: stop-switch-allergy record without ruled-out entries' % rid)

    # README hashes (if present)
    readme = os.path.join(HERE, 'README.md')
    if os.path.exists(readme):
        with open(readme, encoding='utf-8') as f:
            txt = f.read()
        for name in ('records.jsonl', 'styles.json', 'ruled-out.json'):
            with open(os.path.join(HERE, name), 'rb') as f:
                h = hashlib.sha256(f.read()).hexdigest()
            if '%s  %s' % (h, name) not in txt:
                err('README.md: SHA-256 of %s missing or stale' % name)

    n_lab = sum(len(r.get('出院带药列表') or []) for r in recs)
    n_dist = len({d for r in recs for d in (r.get('出院带药列表') or [])})
    n_ro = sum(len(v) for v in ruled.values())
    if errors:
        for e in errors:
            print('FAIL:', e)
        print('%d error(s)' % len(errors))
        sys.exit(1)
    print('OK: %d records, %d label entries (%d distinct), %d ruled-out entries, styles %s' % (
        len(recs), n_lab, n_dist, n_ro,
        {s: sum(1 for v in styles.values() if v == s) for s in STYLES}))


if __name__ == '__main__':
    main()
