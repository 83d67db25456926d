"""Assemble records.jsonl, styles.json, ruled-out.json from the hand-written record modules.

Every record is composed individually in recs_*.py; this script only orders the 14 fields,
assigns 患者序号 (random 6-digit strings, fixed seed 6060) and writes the three data files.
stdlib only; run with /usr/bin/python3 build.py
"""
import importlib, json, random, os

FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
MODULES = ['recs_a', 'recs_b', 'recs_c', 'recs_d', 'recs_e', 'recs_f']
HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    recs = []
    for m in MODULES:
        try:
            mod = importlib.import_module(m)
        except ModuleNotFoundError:
            continue
        recs.extend(mod.RECORDS)
    recs.sort(key=lambda r: r['就诊标识'])
    return recs


def main():
    recs = load()
    rng = random.Random(6060)
    ids = set()
    out, styles, ruled = [], {}, {}
    for r in recs:
        while True:
            pid = str(rng.randint(100000, 999999))
            if pid not in ids:
                ids.add(pid)
                break
        row = {'患者序号': pid}
        for f in FIELDS[1:]:
            row[f] = r[f]
        out.append(row)
        styles[r['就诊标识']] = r['_style']
        ruled[r['就诊标识']] = r['_ruled_out']
    with open(os.path.join(HERE, 'records.jsonl'), 'w', encoding='utf-8') as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + '\n')
    with open(os.path.join(HERE, 'styles.json'), 'w', encoding='utf-8') as fh:
        json.dump(styles, fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    with open(os.path.join(HERE, 'ruled-out.json'), 'w', encoding='utf-8') as fh:
        json.dump(ruled, fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    r8 = {r['就诊标识']: r['_rule8'] for r in recs if r.get('_rule8')}
    print(f'wrote {len(out)} records; rule-8 ids: {r8}')


if __name__ == '__main__':
    main()
