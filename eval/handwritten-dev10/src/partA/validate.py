#!/usr/bin/env python3
"""Validate handwritten-dev10 part A (records.jsonl, styles.json, ruled-out.json).

Checks: 30 records with ids hd10-001..hd10-030 in order; all 14 record.ts fields present
(in CDRUGRED_FIELDS order) and typed as record.ts says; distinct 6-digit 患者序号; every label
drug and ruled-out drug is a canonical formulary `name`; no duplicate label drugs; no ruled-out
drug in its record's label; every evidence is a verbatim substring of one of the record's
free-text fields; styles valid and matching the planned id ranges; ruled-out.json has every id;
long-course courses are 360-530 characters; the written files equal a fresh in-memory build.
Prints `OK: all checks passed` or the failures (exit status 1).

Formulary: $FORMULARY, else /tmp/hw7-brief/formulary.json, else the project's
src/clinical/data/formulary.json.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402

FIELDS = build.CDRUGRED_FIELDS
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STRING_FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间'] + TEXT_FIELDS
STYLES = {'long-course', 'terse', 'explicit-plan', 'class-plan', 'trade-names', 'stop-switch-allergy'}
EXPECTED_STYLE = {}
for i in range(1, 31):
    EXPECTED_STYLE['hd10-%03d' % i] = 'long-course' if i <= 10 else ('terse' if i <= 20 else 'explicit-plan')


def formulary_path():
    cands = [os.environ.get('FORMULARY'), '/tmp/hw7-brief/formulary.json',
             os.path.normpath(os.path.join(HERE, '..', '..', '..', '..', 'src', 'clinical', 'data', 'formulary.json'))]
    for c in cands:
        if c and os.path.isfile(c):
            return c
    return None


def main():
    fails = []
    fp = formulary_path()
    if fp is None:
        print('FAIL: formulary.json not found (set FORMULARY=...)')
        sys.exit(1)
    with open(fp, encoding='utf-8') as f:
        names = {d['name'] for d in json.load(f)['drugs']}

    def read(name):
        with open(os.path.join(HERE, name), encoding='utf-8') as f:
            return f.read()

    try:
        jsonl = read('records.jsonl')
        styles_txt = read('styles.json')
        ruled_txt = read('ruled-out.json')
    except OSError as e:
        print(f'FAIL: {e} (run build.py first)')
        sys.exit(1)

    records = []
    for n, line in enumerate(jsonl.splitlines(), 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            fails.append(f'records.jsonl line {n}: bad JSON ({e})')
    styles = json.loads(styles_txt)
    ruled = json.loads(ruled_txt)

    # determinism / consistency with the sources
    fresh = build.render(*build.build())
    if fresh['records.jsonl'] != jsonl or fresh['styles.json'] != styles_txt or fresh['ruled-out.json'] != ruled_txt:
        fails.append('written files differ from a fresh build (rerun build.py)')

    ids = ['hd10-%03d' % i for i in range(1, 31)]
    if len(records) != 30:
        fails.append(f'expected 30 records, got {len(records)}')
    got_ids = [r.get('就诊标识') for r in records]
    if got_ids != ids[:len(got_ids)] or len(got_ids) != 30:
        fails.append(f'ids not hd10-001..hd10-030 in order: {got_ids}')

    pids = []
    for r in records:
        rid = r.get('就诊标识', '?')
        if list(r.keys()) != FIELDS:
            fails.append(f'{rid}: fields {list(r.keys())} != CDRUGRED_FIELDS')
        for k in STRING_FIELDS:
            if not isinstance(r.get(k), str):
                fails.append(f'{rid}: {k} is not a string')
        if not re.fullmatch(r'\d{6}', str(r.get('患者序号', ''))):
            fails.append(f'{rid}: 患者序号 not a 6-digit string')
        pids.append(r.get('患者序号'))
        bmi = r.get('BMI')
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            fails.append(f'{rid}: BMI must be number or null')
        for k in ('出院诊断', '出院带药列表'):
            v = r.get(k)
            if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
                fails.append(f'{rid}: {k} must be a non-empty list of strings')
        for k in ('主诉', '现病史', '诊疗过程描述'):
            if not (r.get(k) or '').strip():
                fails.append(f'{rid}: {k} is empty')
        label = r.get('出院带药列表') or []
        if len(set(label)) != len(label):
            fails.append(f'{rid}: duplicate label drugs')
        for d in label:
            if d not in names:
                fails.append(f'{rid}: label drug {d!r} is not a canonical formulary name')
        st = styles.get(rid)
        if st not in STYLES:
            fails.append(f'{rid}: style {st!r} invalid')
        elif st != EXPECTED_STYLE.get(rid):
            fails.append(f'{rid}: style {st!r}, planned {EXPECTED_STYLE.get(rid)!r}')
        if st == 'long-course':
            n = len(r.get('诊疗过程描述', ''))
            if not 360 <= n <= 530:
                fails.append(f'{rid}: long-course 诊疗过程描述 has {n} characters (want 360-530)')
        if rid not in ruled:
            fails.append(f'{rid}: missing from ruled-out.json')
            continue
        entries = ruled[rid]
        if not isinstance(entries, list):
            fails.append(f'{rid}: ruled-out entry is not a list')
            continue
        texts = [r.get(k) or '' for k in TEXT_FIELDS]
        seen = set()
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {'drug', 'reason', 'evidence'}:
                fails.append(f'{rid}: ruled-out entry {e!r} must have exactly drug/reason/evidence')
                continue
            d, why, ev = e['drug'], e['reason'], e['evidence']
            if d not in names:
                fails.append(f'{rid}: ruled-out drug {d!r} is not a canonical formulary name')
            if d in label:
                fails.append(f'{rid}: ruled-out drug {d!r} is in the label')
            if d in seen:
                fails.append(f'{rid}: ruled-out drug {d!r} listed twice')
            seen.add(d)
            if not isinstance(why, str) or not why.strip():
                fails.append(f'{rid}: ruled-out {d!r} has no reason')
            if not isinstance(ev, str) or not ev or not any(ev in t for t in texts):
                fails.append(f'{rid}: evidence for {d!r} is not a verbatim substring of a free-text field: {ev!r}')

    if len(set(pids)) != len(pids):
        fails.append('患者序号 not distinct')
    extra = set(styles) - set(ids)
    if extra:
        fails.append(f'styles.json has unknown ids {sorted(extra)}')
    extra = set(ruled) - set(ids)
    if extra:
        fails.append(f'ruled-out.json has unknown ids {sorted(extra)}')

    if fails:
        for f in fails:
            print('FAIL:', f)
        print(f'{len(fails)} failure(s)')
        sys.exit(1)
    print('OK: all checks passed')


if __name__ == '__main__':
    main()
