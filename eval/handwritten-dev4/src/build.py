#!/usr/bin/python3
"""Assemble the hand-written records (build_part1.py, build_part2.py) into the output files."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ['患者序号','就诊标识','性别','出生日期','民族','BMI','就诊时间','诊疗过程描述',
          '入院情况','现病史','既往史','主诉','出院诊断','出院带药列表']
g = {}
for part in ('build_part1.py', 'build_part2.py'):
    src = open(os.path.join(HERE, part), encoding='utf-8').read()
    exec(src, g)  # part 2 reuses rec/R/RO defined in part 1
R, RO = g['R'], g['RO']
with open(os.path.join(HERE, 'records.jsonl'), 'w', encoding='utf-8') as f:
    for r in R:
        f.write(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + '\n')
with open(os.path.join(HERE, 'styles.json'), 'w', encoding='utf-8') as f:
    json.dump({r['就诊标识']: 'class-plan' for r in R}, f, ensure_ascii=False, indent=1)
    f.write('\n')
with open(os.path.join(HERE, 'ruled-out.json'), 'w', encoding='utf-8') as f:
    json.dump(RO, f, ensure_ascii=False, indent=1)
    f.write('\n')
print(len(R), 'records;', sum(len(v) for v in RO.values()), 'ruled-out entries in', len(RO), 'records')
