# -*- coding: utf-8 -*-
"""Validate records.jsonl / styles.json / ruled-out.json of handwritten-dev14 part A.

Run:  /usr/bin/python3 validate.py [--formulary PATH]
The formulary defaults to the copy handed to the author (/tmp/hw12-brief/formulary.json).
Prints "OK: all checks passed" or the list of failures (exit status 1).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402

N_RECORDS = 30
ID_PREFIX = 'hd14-'
EXPECTED_STYLE_BY_BLOCK = ['class-plan'] * 10 + ['terse'] * 10 + ['long-course'] * 10
VALID_STYLES = {'long-course', 'terse', 'explicit-plan', 'class-plan', 'trade-names', 'stop-switch-allergy'}
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STRING_FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间',
                 '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉']
LONG_MIN, LONG_MAX = 360, 530
DEFAULT_FORMULARY = '/tmp/hw12-brief/formulary.json'


def formulary_path():
    args = sys.argv[1:]
    if '--formulary' in args:
        i = args.index('--formulary')
        return args[i + 1]
    return DEFAULT_FORMULARY


def load_canonical(path):
    with open(path, encoding='utf-8') as fh:
        data = json.load(fh)
    return {d['name'] for d in data['drugs']}


def main():
    fails = []

    def fail(msg):
        fails.append(msg)

    fpath = formulary_path()
    try:
        canonical = load_canonical(fpath)
    except Exception as exc:  # noqa: BLE001
        print(f'FAIL: cannot read formulary {fpath}: {exc}')
        sys.exit(1)

    # --- read written files -------------------------------------------------------------
    paths = {'records': build.OUT_RECORDS, 'styles': build.OUT_STYLES, 'ruled': build.OUT_RULED}
    texts = {}
    for k, p in paths.items():
        if not os.path.exists(p):
            fail(f'missing file {os.path.basename(p)}')
            texts[k] = None
        else:
            with open(p, encoding='utf-8', newline='') as fh:
                texts[k] = fh.read()
    if any(v is None for v in texts.values()):
        report(fails)
        return

    # --- written files equal a fresh build ------------------------------------------------
    fresh = dict(zip(['records', 'styles', 'ruled'], build.build()))
    for k in ['records', 'styles', 'ruled']:
        if texts[k] != fresh[k]:
            fail(f'{os.path.basename(paths[k])} differs from a fresh build (run build.py)')

    # --- records.jsonl --------------------------------------------------------------------
    recs = []
    for i, line in enumerate(texts['records'].split('\n')):
        if line == '':
            continue
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            fail(f'records.jsonl line {i + 1}: invalid JSON ({exc})')
    if len(recs) != N_RECORDS:
        fail(f'expected {N_RECORDS} records, found {len(recs)}')
    expected_ids = [f'{ID_PREFIX}{i:03d}' for i in range(1, N_RECORDS + 1)]
    got_ids = [r.get('就诊标识') for r in recs]
    if got_ids != expected_ids:
        fail(f'ids not {expected_ids[0]}..{expected_ids[-1]} in order: {got_ids}')

    pids = []
    for r in recs:
        rid = r.get('就诊标识', '?')
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fail(f'{rid}: fields/order {list(r.keys())} != CDRUGRED_FIELDS')
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                fail(f'{rid}: {f} is not a string')
        if not r.get('就诊标识'):
            fail(f'{rid}: empty 就诊标识')
        pid = r.get('患者序号')
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fail(f'{rid}: 患者序号 {pid!r} is not a 6-digit string')
        pids.append(pid)
        bmi = r.get('BMI')
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            fail(f'{rid}: BMI {bmi!r} is neither number nor null')
        for f in ['出院诊断', '出院带药列表']:
            v = r.get(f)
            if not (isinstance(v, list) and all(isinstance(x, str) and x for x in v)):
                fail(f'{rid}: {f} is not a list of non-empty strings')
        if not r.get('出院诊断'):
            fail(f'{rid}: 出院诊断 empty')
        label = r.get('出院带药列表') or []
        if not label:
            fail(f'{rid}: 出院带药列表 empty')
        if len(set(label)) != len(label):
            fail(f'{rid}: duplicate label drugs {label}')
        for d in label:
            if d not in canonical:
                fail(f'{rid}: label drug {d!r} is not a canonical formulary name')
    if len(set(pids)) != len(pids):
        fail('患者序号 not distinct')

    byid = {r.get('就诊标识'): r for r in recs}

    # --- styles.json ----------------------------------------------------------------------
    try:
        styles = json.loads(texts['styles'])
    except json.JSONDecodeError as exc:
        styles = {}
        fail(f'styles.json invalid JSON ({exc})')
    if list(styles.keys()) != expected_ids:
        fail('styles.json keys are not the 30 ids in order')
    for rid, exp in zip(expected_ids, EXPECTED_STYLE_BY_BLOCK):
        st = styles.get(rid)
        if st not in VALID_STYLES:
            fail(f'{rid}: style {st!r} not a valid style')
        elif st != exp:
            fail(f'{rid}: style {st!r}, expected {exp!r}')

    # --- long-course length -----------------------------------------------------------------
    for rid in expected_ids:
        if styles.get(rid) == 'long-course' and rid in byid:
            n = len(byid[rid]['诊疗过程描述'])
            if not (LONG_MIN <= n <= LONG_MAX):
                fail(f'{rid}: long-course 诊疗过程描述 has {n} characters (need {LONG_MIN}-{LONG_MAX})')

    # --- ruled-out.json ---------------------------------------------------------------------
    try:
        ruled = json.loads(texts['ruled'])
    except json.JSONDecodeError as exc:
        ruled = {}
        fail(f'ruled-out.json invalid JSON ({exc})')
    if list(ruled.keys()) != expected_ids:
        fail('ruled-out.json keys are not the 30 ids in order')
    for rid, entries in ruled.items():
        if not isinstance(entries, list):
            fail(f'{rid}: ruled-out value is not a list')
            continue
        r = byid.get(rid)
        if r is None:
            fail(f'{rid}: ruled-out id not in records')
            continue
        label = set(r.get('出院带药列表') or [])
        seen = set()
        for e in entries:
            if not (isinstance(e, dict) and set(e.keys()) == {'drug', 'reason', 'evidence'}):
                fail(f'{rid}: ruled-out entry {e!r} must have exactly drug/reason/evidence')
                continue
            d, reason, ev = e['drug'], e['reason'], e['evidence']
            if d not in canonical:
                fail(f'{rid}: ruled-out drug {d!r} is not a canonical formulary name')
            if d in label:
                fail(f'{rid}: ruled-out drug {d!r} is in its own label')
            if d in seen:
                fail(f'{rid}: ruled-out drug {d!r} listed twice')
            seen.add(d)
            if not (isinstance(reason, str) and reason):
                fail(f'{rid}: ruled-out {d!r} has empty reason')
            if not (isinstance(ev, str) and ev and any(ev in r.get(f, '') for f in TEXT_FIELDS)):
                fail(f'{rid}: evidence for {d!r} not a verbatim substring of a text field: {ev!r}')

    report(fails)


def report(fails):
    if fails:
        print(f'FAILED: {len(fails)} problem(s)')
        for f in fails:
            print(' -', f)
        sys.exit(1)
    print('OK: all checks passed')


if __name__ == '__main__':
    main()
