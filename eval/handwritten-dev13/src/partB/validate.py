#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Validate the part-B files (hd13-031 .. hd13-060). Prints "OK: all checks passed" or the failures."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402

FORMULARY = os.environ.get('FORMULARY_JSON', '/tmp/hw12-brief/formulary.json')
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STR_FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间',
              '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉']
VALID_STYLES = {'long-course', 'terse', 'explicit-plan', 'class-plan', 'trade-names',
                'stop-switch-allergy'}
EXPECTED_IDS = ['hd13-%03d' % i for i in range(31, 61)]
EXPECTED_STYLE = {}
for _i, _id in enumerate(EXPECTED_IDS):
    EXPECTED_STYLE[_id] = ['long-course', 'explicit-plan', 'trade-names'][_i // 10]
COURSE_MIN, COURSE_MAX = 360, 530


def main():
    errs = []

    def err(msg):
        errs.append(msg)

    with open(FORMULARY, encoding='utf-8') as fh:
        canon = {d['name'] for d in json.load(fh)['drugs']}

    # files on disk
    disk = {}
    for name in build.OUT_FILES:
        p = os.path.join(HERE, name)
        if not os.path.exists(p):
            err('missing file %s' % name)
            disk[name] = None
        else:
            with open(p, encoding='utf-8', newline='') as fh:
                disk[name] = fh.read()
    if any(v is None for v in disk.values()):
        report(errs)
        return

    # fresh build equals written files
    fresh = build.build()
    for name in build.OUT_FILES:
        if fresh[name] != disk[name]:
            err('%s differs from a fresh build (run build.py)' % name)

    recs = []
    for ln, line in enumerate(disk['records.jsonl'].split('\n'), 1):
        if not line.strip():
            continue
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            err('records.jsonl line %d: bad JSON (%s)' % (ln, e))
    styles = json.loads(disk['styles.json'])
    ruled = json.loads(disk['ruled-out.json'])

    if len(recs) != 30:
        err('expected 30 records, found %d' % len(recs))
    ids = [r.get('就诊标识') for r in recs]
    if ids != EXPECTED_IDS:
        err('ids not hd13-031..hd13-060 in order: %s' % ids)

    pids = [r.get('患者序号') for r in recs]
    if len(set(pids)) != len(pids):
        err('患者序号 not distinct')

    for r in recs:
        rid = r.get('就诊标识')
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            err('%s: fields/order differ from CDRUGRED_FIELDS: %s' % (rid, list(r.keys())))
        for f in STR_FIELDS:
            if not isinstance(r.get(f), str):
                err('%s: %s not a string' % (rid, f))
        pid = r.get('患者序号')
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            err('%s: 患者序号 not a 6-digit string: %r' % (rid, pid))
        bmi = r.get('BMI')
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            err('%s: BMI not number|null' % rid)
        for f in ('出院诊断', '出院带药列表'):
            v = r.get(f)
            if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                err('%s: %s not a list of strings' % (rid, f))
        if not r.get('出院诊断'):
            err('%s: 出院诊断 empty' % rid)
        label = r.get('出院带药列表') or []
        if not label:
            err('%s: empty label' % rid)
        if len(set(label)) != len(label):
            err('%s: duplicate label drugs' % rid)
        for d in label:
            if d not in canon:
                err('%s: label drug not canonical: %s' % (rid, d))
        # style
        st = styles.get(rid)
        if st not in VALID_STYLES:
            err('%s: invalid style %r' % (rid, st))
        elif st != EXPECTED_STYLE.get(rid):
            err('%s: style %s, expected %s' % (rid, st, EXPECTED_STYLE.get(rid)))
        if st == 'long-course':
            n = len(r.get('诊疗过程描述', ''))
            if not (COURSE_MIN <= n <= COURSE_MAX):
                err('%s: long-course 诊疗过程描述 has %d characters (need %d-%d)'
                    % (rid, n, COURSE_MIN, COURSE_MAX))
        # ruled-out
        if rid not in ruled:
            err('%s: missing from ruled-out.json' % rid)
            continue
        entries = ruled[rid]
        if not isinstance(entries, list):
            err('%s: ruled-out entry not a list' % rid)
            continue
        seen = set()
        for e in entries:
            if not (isinstance(e, dict) and set(e.keys()) == {'drug', 'reason', 'evidence'}):
                err('%s: ruled-out item malformed: %r' % (rid, e))
                continue
            d = e['drug']
            if d not in canon:
                err('%s: ruled-out drug not canonical: %s' % (rid, d))
            if d in label:
                err('%s: ruled-out drug in own label: %s' % (rid, d))
            if d in seen:
                err('%s: ruled-out drug listed twice: %s' % (rid, d))
            seen.add(d)
            if not (isinstance(e['reason'], str) and e['reason'].strip()):
                err('%s: empty reason for %s' % (rid, d))
            ev = e['evidence']
            if not (isinstance(ev, str) and ev and any(ev in r.get(f, '') for f in TEXT_FIELDS)):
                err('%s: evidence not verbatim in a text field: %r' % (rid, ev))

    if set(styles.keys()) != set(EXPECTED_IDS):
        err('styles.json ids differ from the record ids')
    if set(ruled.keys()) != set(EXPECTED_IDS):
        err('ruled-out.json ids differ from the record ids')

    report(errs)


def report(errs):
    if errs:
        print('FAILED: %d problem(s)' % len(errs))
        for e in errs:
            print(' - ' + e)
        sys.exit(1)
    print('OK: all checks passed')


if __name__ == '__main__':
    main()
