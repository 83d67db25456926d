#!/usr/bin/env python3
"""Validate /tmp/hw2 evaluation set against /tmp/hw2-brief."""
import json, re, sys
from collections import Counter, defaultdict
B, D = '/tmp/hw2-brief', '/tmp/hw2'
FIELDS = ['患者序号','就诊标识','性别','出生日期','民族','BMI','就诊时间','诊疗过程描述',
          '入院情况','现病史','既往史','主诉','出院诊断','出院带药列表']
TEXT = ['主诉','现病史','既往史','入院情况','诊疗过程描述']
STYLES = ['long-course','terse','explicit-plan','class-plan','trade-names','stop-switch-allergy']
# confirm field order against record.ts
ts = open(f'{B}/record.ts', encoding='utf-8').read()
blk = ts[ts.index('CDRUGRED_FIELDS'):ts.index('] as const')]
assert re.findall(r"'([^']+)'", blk) == FIELDS, 'field list differs from record.ts'
names = {d['name'] for d in json.load(open(f'{B}/formulary.json', encoding='utf-8'))['drugs']}
errs = []
recs = {}
lines = open(f'{D}/records.jsonl', encoding='utf-8').read().splitlines()
for n, line in enumerate(lines, 1):
    try:
        r = json.loads(line)
    except Exception as e:
        errs.append(f'line {n}: parse error {e}'); continue
    if list(r.keys()) != FIELDS: errs.append(f'line {n}: keys/order wrong')
    for k in ['患者序号','就诊标识','性别','出生日期','民族','就诊时间'] + TEXT:
        if not isinstance(r.get(k), str): errs.append(f'line {n}: {k} not string')
    if not isinstance(r.get('BMI'), (int, float)) or isinstance(r.get('BMI'), bool): errs.append(f'line {n}: BMI not number')
    for k in ['出院诊断','出院带药列表']:
        v = r.get(k)
        if not (isinstance(v, list) and v and all(isinstance(x, str) for x in v)): errs.append(f'line {n}: {k} not non-empty string array')
    lab = r.get('出院带药列表') or []
    if len(set(lab)) != len(lab): errs.append(f'line {n}: duplicate label')
    for x in lab:
        if x not in names: errs.append(f'{r.get("就诊标识")}: label {x!r} not canonical')
    if not (1 <= len(lab) <= 11): errs.append(f'{r.get("就诊标识")}: label size {len(lab)}')
    vid = r.get('就诊标识')
    if vid in recs: errs.append(f'duplicate id {vid}')
    recs[vid] = r
expected = ['hd2-%03d' % i for i in range(1, 61)]
if sorted(recs) != expected: errs.append('ids are not exactly hd2-001..hd2-060')
if len({r['患者序号'] for r in recs.values()}) != len(recs): errs.append('患者序号 not unique')
styles = json.load(open(f'{D}/styles.json', encoding='utf-8'))
if sorted(styles) != expected: errs.append('styles.json ids mismatch')
sc = Counter(styles.values())
for s in STYLES:
    if sc.get(s) != 10: errs.append(f'style {s}: {sc.get(s)} records')
for s in sc:
    if s not in STYLES: errs.append(f'unknown style {s}')
ro = json.load(open(f'{D}/ruled-out.json', encoding='utf-8'))
for vid, ents in ro.items():
    if vid not in recs: errs.append(f'ruled-out: unknown id {vid}'); continue
    r = recs[vid]; lab = set(r['出院带药列表'])
    seen = set()
    for e in ents:
        if set(e) != {'drug','reason','evidence'}: errs.append(f'{vid}: ruled-out entry keys {set(e)}')
        d = e['drug']
        if d not in names: errs.append(f'{vid}: ruled-out {d!r} not canonical')
        if d in lab: errs.append(f'{vid}: ruled-out {d} is in label')
        if d in seen: errs.append(f'{vid}: ruled-out {d} duplicated')
        seen.add(d)
        if not any(e['evidence'] in r[k] for k in TEXT): errs.append(f'{vid}: evidence not verbatim: {e["evidence"]!r}')
        if not e['reason'].strip(): errs.append(f'{vid}: empty reason')
for vid, s in styles.items():
    if s == 'stop-switch-allergy' and vid not in ro: errs.append(f'{vid}: stop-switch-allergy record without ruled-out entries')
# summary
per = defaultdict(lambda: [0, 0, 0])
for vid, r in recs.items():
    s = styles.get(vid); per[s][0] += 1; per[s][1] += len(r['出院带药列表']); per[s][2] += len(ro.get(vid, []))
sizes = [len(r['出院带药列表']) for r in recs.values()]
print(f'records: {len(recs)}  lines: {len(lines)}  canonical names in formulary: {len(names)}')
print(f'label size: mean {sum(sizes)/len(sizes):.2f}, min {min(sizes)}, max {max(sizes)}')
print(f'ruled-out: {sum(len(v) for v in ro.values())} entries in {len(ro)} records')
print('| style | records | mean label size | ruled-out entries (records) |')
print('|---|---|---|---|')
for s in STYLES:
    n, tl, tr = per[s]
    nr = sum(1 for v in recs if styles[v] == s and v in ro)
    print(f'| {s} | {n} | {tl/n:.1f} | {tr} ({nr}) |')
n, tl, tr = len(recs), sum(sizes), sum(len(v) for v in ro.values())
print(f'| all | {n} | {tl/n:.2f} | {tr} ({len(ro)}) |')
if errs:
    print('\nFAIL (%d):' % len(errs)); [print(' -', e) for e in errs]; sys.exit(1)
print('\nALL CHECKS PASSED')
