import re, sys
s = sys.stdin.read().strip()
print('cjk', len(re.findall(r'[\u4e00-\u9fff]', s)), 'total', len(s))
