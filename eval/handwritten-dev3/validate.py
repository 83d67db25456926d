#!/usr/bin/env python3
"""Validate the hd3 hand-written evaluation set (stdlib only).

Usage:
    python3 validate.py [FORMULARY_JSON] [--dir DATA_DIR]

FORMULARY_JSON defaults to /tmp/hw3-brief/formulary.json; DATA_DIR (holding records.jsonl,
styles.json, ruled-out.json) defaults to the directory of this script. Exits 0 when every check
passes, 1 otherwise; prints one line per failed check.
"""
import json
import os
import re
import sys

FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
STRING_FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间'] + TEXT_FIELDS
STYLES = ['long-course', 'terse', 'explicit-plan', 'class-plan', 'trade-names', 'stop-switch-allergy']
PER_STYLE = 10
EXPECTED_IDS = ['hd3-%03d' % i for i in range(1, 61)]


def main(argv):
    args = list(argv[1:])
    data_dir = os.path.dirname(os.path.abspath(__file__))
    if '--dir' in args:
        i = args.index('--dir')
        data_dir = args[i + 1]
        del args[i:i + 2]
    formulary_path = args[0] if args else '/tmp/hw3-brief/formulary.json'

    errors = []
    err = errors.append

    with open(formulary_path, encoding='utf-8') as f:
        formulary = json.load(f)
    canonical = {d['name'] for d in formulary['drugs']}

    # ---- records.jsonl -------------------------------------------------------------------
    records = {}
    ids_in_order = []
    patient_ids = []
    with open(os.path.join(data_dir, 'records.jsonl'), encoding='utf-8') as f:
        raw_lines = f.read().split('\n')
    if raw_lines and raw_lines[-1] == '':
        raw_lines.pop()
    for ln, line in enumerate(raw_lines, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            err('records.jsonl line %d: does not parse (%s)' % (ln, e))
            continue
        if '\\u' in line:
            err('records.jsonl line %d: contains \\u escapes (must be written as UTF-8)' % ln)
        if not isinstance(obj, dict):
            err('records.jsonl line %d: not a JSON object' % ln)
            continue
        if list(obj.keys()) != FIELDS:
            err('records.jsonl line %d: keys %r differ from record.ts order' % (ln, list(obj.keys())))
        rid = obj.get('就诊标识')
        tag = '%s (line %d)' % (rid, ln)
        for k in STRING_FIELDS:
            if k in obj and not isinstance(obj[k], str):
                err('%s: %s must be a string' % (tag, k))
        bmi = obj.get('BMI')
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            err('%s: BMI must be a number or null' % tag)
        for k in ('出院诊断', '出院带药列表'):
            v = obj.get(k)
            if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                err('%s: %s must be a list of strings' % (tag, k))
        if not obj.get('出院诊断'):
            err('%s: 出院诊断 is empty' % tag)
        pid = obj.get('患者序号')
        if not (isinstance(pid, str) and re.fullmatch(r'\d{6}', pid)):
            err('%s: 患者序号 must be a 6-digit string' % tag)
        for k in ('出生日期', '就诊时间'):
            if not (isinstance(obj.get(k), str) and re.fullmatch(r'\d{4}-\d{2}-\d{2}', obj[k])):
                err('%s: %s must be YYYY-MM-DD' % (tag, k))
        patient_ids.append(pid)
        ids_in_order.append(rid)
        if rid in records:
            err('%s: duplicate 就诊标识' % tag)
        records[rid] = obj

    if sorted(ids_in_order) != EXPECTED_IDS or len(ids_in_order) != len(EXPECTED_IDS):
        missing = sorted(set(EXPECTED_IDS) - set(ids_in_order))
        extra = sorted(set(ids_in_order) - set(EXPECTED_IDS))
        err('ids are not exactly hd3-001..hd3-060 (missing %s, extra %s, count %d)'
            % (missing, extra, len(ids_in_order)))
    if len(set(patient_ids)) != len(patient_ids):
        err('患者序号 values are not unique')

    # ---- ruled-out.json ------------------------------------------------------------------
    with open(os.path.join(data_dir, 'ruled-out.json'), encoding='utf-8') as f:
        ruled = json.load(f)
    if not isinstance(ruled, dict):
        err('ruled-out.json must be an object')
        ruled = {}
    ruled_drugs = {}
    for rid, entries in ruled.items():
        if rid not in records:
            err('ruled-out.json: unknown id %s' % rid)
            continue
        if not isinstance(entries, list) or not entries:
            err('ruled-out.json %s: must be a non-empty list' % rid)
            continue
        texts = [records[rid].get(k, '') for k in TEXT_FIELDS]
        seen = set()
        for j, e in enumerate(entries):
            where = 'ruled-out.json %s[%d]' % (rid, j)
            if not isinstance(e, dict) or set(e.keys()) != {'drug', 'reason', 'evidence'}:
                err('%s: entry must have exactly drug, reason, evidence' % where)
                continue
            if not all(isinstance(e[k], str) and e[k].strip() for k in ('drug', 'reason', 'evidence')):
                err('%s: drug/reason/evidence must be non-empty strings' % where)
                continue
            if e['drug'] not in canonical:
                err('%s: drug %r is not a canonical formulary name' % (where, e['drug']))
            if e['drug'] in seen:
                err('%s: drug %r listed twice' % (where, e['drug']))
            seen.add(e['drug'])
            if not any(e['evidence'] in t for t in texts):
                err('%s: evidence %r is not verbatim in any free-text field' % (where, e['evidence']))
        ruled_drugs[rid] = seen

    # ---- labels --------------------------------------------------------------------------
    for rid, obj in records.items():
        label = obj.get('出院带药列表') or []
        if not label:
            err('%s: empty label' % rid)
        if len(set(label)) != len(label):
            err('%s: duplicate drugs in label' % rid)
        for d in label:
            if d not in canonical:
                err('%s: label drug %r is not a canonical formulary name' % (rid, d))
        clash = set(label) & ruled_drugs.get(rid, set())
        if clash:
            err('%s: label contains ruled-out drug(s) %s' % (rid, sorted(clash)))

    # ---- styles.json ---------------------------------------------------------------------
    with open(os.path.join(data_dir, 'styles.json'), encoding='utf-8') as f:
        styles = json.load(f)
    if sorted(styles.keys()) != EXPECTED_IDS:
        err('styles.json keys are not exactly hd3-001..hd3-060')
    counts = {s: 0 for s in STYLES}
    for rid, s in styles.items():
        if s not in counts:
            err('styles.json %s: unknown style %r' % (rid, s))
            continue
        counts[s] += 1
        if s == 'stop-switch-allergy' and not ruled.get(rid):
            err('%s: stop-switch-allergy record without ruled-out entries' % rid)
        if s == 'long-course' and rid in records:
            n = len(records[rid]['诊疗过程描述'])
            if not 360 <= n <= 530:
                err('%s: long-course 诊疗过程描述 has %d characters (want 360-530)' % (rid, n))
    for s, c in counts.items():
        if c != PER_STYLE:
            err('style %s has %d records (want %d)' % (s, c, PER_STYLE))

    # ---- report --------------------------------------------------------------------------
    if errors:
        for e in errors:
            print('FAIL', e)
        print('%d problem(s) found' % len(errors))
        return 1
    n_ro = sum(len(v) for v in ruled.values())
    print('OK: %d records, %d canonical formulary names, %d label drugs, %d ruled-out entries '
          'in %d records; styles %s'
          % (len(records), len(canonical), sum(len(o['出院带药列表']) for o in records.values()),
             n_ro, len(ruled), ', '.join('%s=%d' % (s, counts[s]) for s in STYLES)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
