"""Helper used while writing: check names against formulary.json (stdlib only)."""
import json, sys
F = json.load(open('/tmp/hw6-brief/formulary.json', encoding='utf-8'))['drugs']
NAMES = {d['name'] for d in F}
ALIAS = {}
for d in F:
    for a in d.get('aliases', []) or []:
        ALIAS.setdefault(a, set()).add(d['name'])
if __name__ == '__main__':
    for q in sys.argv[1:]:
        print(q, '->', 'CANON' if q in NAMES else sorted(ALIAS.get(q, [])) or 'NOT FOUND')
