"""Assemble the hand-written records (part1-3.py) into the deliverable files.

Run from anywhere:  python3 /tmp/hw3-out/src/build.py
Writes ../records.jsonl, ../styles.json, ../ruled-out.json (relative to this file).
"""
import json, os, re, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common, part1, part2, part3  # noqa: E401,F401  (parts register records on import)

OUT = os.path.dirname(HERE)
PATIENT_IDS = [478895, 199959, 797791, 535246, 851853, 562767, 447244, 927819, 162655, 222149,
               692035, 732609, 288434, 817228, 165305, 936381, 792660, 802535, 404747, 848417,
               913212, 861727, 441490, 836379, 318572, 646766, 111401, 450679, 977634, 668323,
               118235, 348969, 360382, 978786, 476845, 490372, 909375, 652783, 861508, 963750,
               546620, 831735, 147793, 678026, 903914, 253097, 178740, 879151, 365126, 964752,
               908496, 923252, 375506, 110350, 754680, 868837, 575870, 378164, 752148, 748706]


def age(birth, visit):
    by, bm, bd = map(int, birth.split('-'))
    vy, vm, vd = map(int, visit.split('-'))
    return vy - by - ((vm, vd) < (bm, bd))


recs = sorted(common.RECS, key=lambda r: r['n'])
assert [r['n'] for r in recs] == list(range(1, 61)), [r['n'] for r in recs]
lines, styles, ruled = [], {}, {}
for r in recs:
    rid = 'hd3-%03d' % r['n']
    a = str(age(r['birth'], r['visit']))
    fix = lambda s: s.replace('{AGE}', a)
    obj = {
        '患者序号': str(PATIENT_IDS[r['n'] - 1]),
        '就诊标识': rid,
        '性别': r['sex'],
        '出生日期': r['birth'],
        '民族': r['eth'],
        'BMI': r['bmi'],
        '就诊时间': r['visit'],
        '诊疗过程描述': fix(r['course']),
        '入院情况': fix(r['adm']),
        '现病史': fix(r['hpi']),
        '既往史': fix(r['pmh']),
        '主诉': fix(r['cc']),
        '出院诊断': r['dx'],
        '出院带药列表': r['label'],
    }
    lines.append(json.dumps(obj, ensure_ascii=False))
    styles[rid] = r['style']
    if r['ro']:
        ruled[rid] = r['ro']

with open(os.path.join(OUT, 'records.jsonl'), 'w', encoding='utf-8') as f:
    f.write('\n'.join(lines) + '\n')
with open(os.path.join(OUT, 'styles.json'), 'w', encoding='utf-8') as f:
    json.dump(styles, f, ensure_ascii=False, indent=1)
    f.write('\n')
with open(os.path.join(OUT, 'ruled-out.json'), 'w', encoding='utf-8') as f:
    json.dump(ruled, f, ensure_ascii=False, indent=1)
    f.write('\n')

# report: Han-character count of the course for long-course records
han = lambda s: len(re.findall(r'[\u4e00-\u9fff]', s))
for r in recs:
    if r['style'] == 'long-course':
        print('hd3-%03d long-course course Han chars: %d' % (r['n'], han(r['course'])))
print('wrote', len(lines), 'records')
