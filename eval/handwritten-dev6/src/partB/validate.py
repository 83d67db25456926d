"""Validate the part-B evaluation files (stdlib only).

Usage: /usr/bin/python3 validate.py [--partial]
Checks: 30 JSONL lines, exactly the 14 keys in record.ts order, types, unique 就诊标识 and
患者序号 (6-digit strings), ids hd6-031..hd6-060, canonical unique non-empty labels,
styles (15 long-course hd6-031..045, 15 stop-switch-allergy hd6-046..060), ruled-out entries
(canonical drug, not in the record's label, evidence a verbatim substring of a free-text
field, non-empty for stop-switch-allergy), long-course 诊疗过程描述 length 360-530
(both CJK-ideograph count and total string length).
"""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = '/tmp/hw6-brief/formulary.json'
FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
TEXT = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述']
partial = '--partial' in sys.argv
errors = []


def err(msg):
    errors.append(msg)


names = {d['name'] for d in json.load(open(FORMULARY, encoding='utf-8'))['drugs']}

lines = open(os.path.join(HERE, 'records.jsonl'), encoding='utf-8').read().split('\n')
if lines and lines[-1] == '':
    lines = lines[:-1]
n_expected = 30
if not partial and len(lines) != n_expected:
    err(f'expected {n_expected} lines, got {len(lines)}')
recs = []
for i, ln in enumerate(lines, 1):
    try:
        r = json.loads(ln)
    except Exception as e:  # noqa
        err(f'line {i}: bad JSON {e}')
        continue
    if list(r.keys()) != FIELDS:
        err(f'line {i}: keys/order {list(r.keys())}')
    recs.append(r)

expected_ids = [f'hd6-{k:03d}' for k in range(31, 61)]
ids = [r.get('就诊标识') for r in recs]
pids = [r.get('患者序号') for r in recs]
if len(set(ids)) != len(ids):
    err('duplicate 就诊标识')
if len(set(pids)) != len(pids):
    err('duplicate 患者序号')
if not partial and sorted(ids) != expected_ids:
    err('就诊标识 set is not hd6-031..hd6-060')
for r in recs:
    vid = r.get('就诊标识')
    if vid not in expected_ids:
        err(f'{vid}: unexpected id')
    if not (isinstance(r['患者序号'], str) and re.fullmatch(r'\d{6}', r['患者序号'])):
        err(f'{vid}: 患者序号 not a 6-digit string')
    for f in ['性别', '出生日期', '民族', '就诊时间'] + TEXT:
        if not isinstance(r[f], str):
            err(f'{vid}: {f} not a string')
    if r['性别'] not in ('男', '女'):
        err(f'{vid}: 性别')
    for f in ['出生日期', '就诊时间']:
        if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', r[f]):
            err(f'{vid}: {f} format')
    if not ('2021-01-01' <= r['就诊时间'] <= '2024-12-31'):
        err(f'{vid}: 就诊时间 outside 2021-2024')
    if r['BMI'] is not None and not isinstance(r['BMI'], (int, float)):
        err(f'{vid}: BMI type')
    if not (isinstance(r['出院诊断'], list) and r['出院诊断'] and all(isinstance(x, str) and x for x in r['出院诊断'])):
        err(f'{vid}: 出院诊断 must be a non-empty list of strings')
    lab = r['出院带药列表']
    if not (isinstance(lab, list) and lab):
        err(f'{vid}: label must be a non-empty list')
        continue
    if len(set(lab)) != len(lab):
        err(f'{vid}: duplicate label')
    for d in lab:
        if d not in names:
            err(f'{vid}: non-canonical label {d!r}')

styles = json.load(open(os.path.join(HERE, 'styles.json'), encoding='utf-8'))
ruled = json.load(open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8'))
if sorted(styles) != sorted(ids):
    err('styles.json keys != record ids')
if sorted(ruled) != sorted(ids):
    err('ruled-out.json keys != record ids')
byid = {r['就诊标识']: r for r in recs}
cnt = {}
for vid, st in styles.items():
    cnt[st] = cnt.get(st, 0) + 1
    k = int(vid.split('-')[1])
    want = 'long-course' if 31 <= k <= 45 else 'stop-switch-allergy'
    if st != want:
        err(f'{vid}: style {st} != {want}')
    r = byid.get(vid)
    if r is None:
        continue
    if st == 'long-course':
        c = r['诊疗过程描述']
        n_cjk = len(re.findall(r'[\u4e00-\u9fff]', c))
        if not (360 <= n_cjk <= 530 and 360 <= len(c) <= 530):
            err(f'{vid}: long-course length cjk={n_cjk} total={len(c)} not in 360-530')
    if st == 'stop-switch-allergy' and not ruled.get(vid):
        err(f'{vid}: stop-switch-allergy without ruled-out entries')
if not partial and (cnt.get('long-course') != 15 or cnt.get('stop-switch-allergy') != 15):
    err(f'style counts {cnt}')
for vid, lst in ruled.items():
    r = byid.get(vid)
    if r is None or not isinstance(lst, list):
        err(f'{vid}: ruled-out bad')
        continue
    free = [r[f] for f in TEXT]
    seen = set()
    for e in lst:
        if set(e) != {'drug', 'reason', 'evidence'}:
            err(f'{vid}: ruled-out entry keys {sorted(e)}')
            continue
        if e['drug'] not in names:
            err(f'{vid}: ruled-out non-canonical {e["drug"]!r}')
        if e['drug'] in r['出院带药列表']:
            err(f'{vid}: ruled-out {e["drug"]} is in the label')
        if e['drug'] in seen:
            err(f'{vid}: ruled-out duplicate {e["drug"]}')
        seen.add(e['drug'])
        if not (e['reason'] and isinstance(e['reason'], str)):
            err(f'{vid}: empty reason')
        if not (e['evidence'] and any(e['evidence'] in t for t in free)):
            err(f'{vid}: evidence not verbatim: {e["evidence"]!r}')

if errors:
    print('FAIL')
    for e in errors:
        print(' -', e)
    sys.exit(1)
print(f'OK: {len(recs)} records, styles {cnt}, ruled-out entries '
      f'{sum(len(v) for v in ruled.values())} in {sum(1 for v in ruled.values() if v)} records')
