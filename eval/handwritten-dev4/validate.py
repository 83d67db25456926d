#!/usr/bin/python3
"""Stdlib-only validator for the hd4 hand-written set.
Hard checks (errors): canonical names, 14 keys in order, types, unique ids / patient ids,
styles, verbatim evidence, no label drug also ruled out.
Soft checks (warnings, for the author's review): label drugs whose formulary contraindication
is triggered by an eGFR / K value or a condition keyword written in the record."""
import json, os, re, sys
HERE = os.path.dirname(os.path.abspath(__file__))
BRIEF = '/tmp/hw4-brief'
FIELDS = ['患者序号','就诊标识','性别','出生日期','民族','BMI','就诊时间','诊疗过程描述',
          '入院情况','现病史','既往史','主诉','出院诊断','出院带药列表']
TEXT = ['主诉','现病史','既往史','入院情况','诊疗过程描述']
form = json.load(open(os.path.join(BRIEF, 'formulary.json'), encoding='utf-8'))['drugs']
canon = {d['name']: d for d in form}
errors, warnings = [], []
def err(m): errors.append(m)
def warn(m): warnings.append(m)

recs = []
with open(os.path.join(HERE, 'records.jsonl'), encoding='utf-8') as f:
    for ln, line in enumerate(f, 1):
        if not line.strip():
            err(f'line {ln}: blank line'); continue
        try:
            recs.append(json.loads(line, object_pairs_hook=lambda kv: kv))
        except Exception as e:
            err(f'line {ln}: bad JSON {e}')
ids, pids, byid = set(), set(), {}
for i, pairs in enumerate(recs, 1):
    keys = [k for k, _ in pairs]
    if keys != FIELDS:
        err(f'record {i}: keys/order {keys}')
    r = dict(pairs)
    rid = r.get('就诊标识')
    if rid != f'hd4-{i:03d}': err(f'record {i}: id {rid!r} not hd4-{i:03d}')
    if rid in ids: err(f'duplicate id {rid}')
    ids.add(rid); byid[rid] = r
    pid = r.get('患者序号')
    if not (isinstance(pid, str) and re.fullmatch(r'\d{6}', pid)): err(f'{rid}: 患者序号 {pid!r}')
    if pid in pids: err(f'{rid}: duplicate 患者序号 {pid}')
    pids.add(pid)
    for k in FIELDS:
        if k in ('BMI', '出院诊断', '出院带药列表'): continue
        if not isinstance(r.get(k), str): err(f'{rid}: {k} not a string')
    if not (r.get('BMI') is None or (isinstance(r['BMI'], (int, float)) and not isinstance(r['BMI'], bool))):
        err(f'{rid}: BMI {r.get("BMI")!r}')
    for k in ('出院诊断', '出院带药列表'):
        v = r.get(k)
        if not (isinstance(v, list) and all(isinstance(x, str) and x for x in v)): err(f'{rid}: {k} not list of str')
    lab = r.get('出院带药列表') or []
    if len(set(lab)) != len(lab): err(f'{rid}: duplicate label drugs')
    for d in lab:
        if d not in canon: err(f'{rid}: label {d!r} not canonical')
    for k in ('出生日期', '就诊时间'):
        if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', r.get(k, '')): err(f'{rid}: {k} format')
    if not ('2021' <= r.get('就诊时间', '')[:4] <= '2024'): err(f'{rid}: 就诊时间 outside 2021-2024')

styles = json.load(open(os.path.join(HERE, 'styles.json'), encoding='utf-8'))
if set(styles) != ids: err('styles.json ids differ from records')
for k, v in styles.items():
    if v != 'class-plan': err(f'styles: {k} = {v}')

ro = json.load(open(os.path.join(HERE, 'ruled-out.json'), encoding='utf-8'))
for rid, lst in ro.items():
    if rid not in byid: err(f'ruled-out: unknown id {rid}'); continue
    r = byid[rid]
    seen = set()
    for e in lst:
        if set(e) != {'drug', 'reason', 'evidence'}: err(f'{rid}: ruled-out keys {sorted(e)}')
        d = e.get('drug')
        if d not in canon: err(f'{rid}: ruled-out {d!r} not canonical')
        if d in seen: err(f'{rid}: ruled-out {d} listed twice')
        seen.add(d)
        if not e.get('reason'): err(f'{rid}: empty reason for {d}')
        ev = e.get('evidence', '')
        if not ev or not any(ev in r[k] for k in TEXT): err(f'{rid}: evidence not verbatim: {ev!r}')
        if d in r['出院带药列表']: err(f'{rid}: {d} both labelled and ruled out')

# ---- soft checks
def nums(pattern, text):
    return [float(x) for x in re.findall(pattern, text)]
for rid, r in byid.items():
    text = ' '.join(r[k] for k in TEXT)
    diag = ' '.join(r['出院诊断'])
    egfrs = nums(r'eGFR\s*([0-9]+(?:\.[0-9]+)?)', text)
    ks = nums(r'(?<![A-Za-z])K\s*([0-9]+\.[0-9]+)', text)
    for d in r['出院带药列表']:
        for c in canon[d].get('contraindications', []):
            if c['kind'] == 'egfr_below' and egfrs and min(egfrs) < c['value']:
                warn(f'{rid}: {d} eGFR {min(egfrs)} < {c["value"]}')
            if c['kind'] == 'potassium_at_least' and ks and ks[-1] >= c['value']:
                warn(f'{rid}: {d} last K {ks[-1]} >= {c["value"]}')
            if c['kind'] == 'condition' and not c.get('caution'):
                for kw in c.get('keywords', []):
                    if kw in diag:
                        warn(f'{rid}: {d} condition keyword {kw!r} in 出院诊断')

n = len(byid)
sizes = [len(r['出院带药列表']) for r in byid.values()]
print(f'records: {n}; mean label size: {sum(sizes)/max(n,1):.2f} (min {min(sizes)}, max {max(sizes)}); '
      f'ruled-out: {sum(len(v) for v in ro.values())} entries in {len(ro)} records')
for w in warnings: print('WARNING', w)
for e in errors: print('ERROR', e)
print('RESULT:', 'PASS' if not errors else f'FAIL ({len(errors)} errors)')
sys.exit(1 if errors else 0)
