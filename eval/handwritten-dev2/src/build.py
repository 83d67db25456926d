import json, random, sys, os
sys.path.insert(0, os.path.dirname(__file__))
import common
import recs_long, recs_terse, recs_explicit, recs_class, recs_trade, recs_stop

recs = list(common.RECS)
assert len(recs) == 60, len(recs)
rng = random.Random(20240611)
rng.shuffle(recs)
pids = set()
out, styles, ruled, implicit = [], {}, {}, {}
for i, r in enumerate(recs, 1):
    vid = 'hd2-%03d' % i
    while True:
        pid = '%06d' % rng.randint(100000, 999999)
        if pid not in pids:
            pids.add(pid); break
    out.append({
        '患者序号': pid, '就诊标识': vid, '性别': r['sex'], '出生日期': r['dob'], '民族': r['eth'],
        'BMI': r['bmi'], '就诊时间': r['date'], '诊疗过程描述': r['zlgc'], '入院情况': r['ryqk'],
        '现病史': r['xbs'], '既往史': r['jws'], '主诉': r['zs'], '出院诊断': r['dx'],
        '出院带药列表': r['label'],
    })
    styles[vid] = r['style']
    if r['ruled']:
        ruled[vid] = [{'drug': d, 'reason': rs, 'evidence': ev} for d, rs, ev in r['ruled']]
    if r['implicit']:
        implicit[vid] = r['implicit']
D = '/tmp/hw2'
with open(f'{D}/records.jsonl', 'w', encoding='utf-8') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
json.dump(styles, open(f'{D}/styles.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
json.dump(ruled, open(f'{D}/ruled-out.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
json.dump(implicit, open(f'{D}/src/implicit.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
print('built', len(out))
