import re, sys, importlib
for m in sys.argv[1:]:
    for r in importlib.import_module(m).RECORDS:
        c = r['诊疗过程描述']
        print(r['就诊标识'], r['_style'], 'cjk', len(re.findall(r'[\u4e00-\u9fff]', c)), 'total', len(c))
