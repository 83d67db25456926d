# -*- coding: utf-8 -*-
"""Assemble the hand-written part-B records (hd7-031 .. hd7-060) into the data files.

Usage:  /usr/bin/python3 build.py
Writes (in this folder): records.jsonl, styles.json, ruled-out.json, README.md
Stdlib only. Field order is the CDRUGRED_FIELDS order of record.ts.
"""
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_31_35, rec_36_40, rec_41_45, rec_46_50, rec_51_55, rec_56_60  # noqa: E402

# Exactly the order of CDRUGRED_FIELDS in record.ts
FIELDS = ['患者序号', '就诊标识', '性别', '出生日期', '民族', 'BMI', '就诊时间', '诊疗过程描述',
          '入院情况', '现病史', '既往史', '主诉', '出院诊断', '出院带药列表']
SEED = 20240731

SRC = (rec_31_35.RECORDS + rec_36_40.RECORDS + rec_41_45.RECORDS +
       rec_46_50.RECORDS + rec_51_55.RECORDS + rec_56_60.RECORDS)


def main():
    assert len(SRC) == 30, len(SRC)
    rng = random.Random(SEED)
    pids = rng.sample(range(100000, 1000000), len(SRC))
    records, styles, ruled, rule8 = [], {}, {}, []
    for src, pid in zip(SRC, pids):
        vals = dict(src)
        vals['患者序号'] = str(pid)
        vals['就诊标识'] = src['id']
        vals['出院带药列表'] = list(src['label'])
        rec = {k: vals[k] for k in FIELDS}
        records.append(rec)
        styles[src['id']] = src['style']
        ruled[src['id']] = [{'drug': d, 'reason': r, 'evidence': e} for d, r, e in src['ruled_out']]
        for d, basis in src['rule8']:
            rule8.append((src['id'], d, basis))

    def out(name):
        return os.path.join(HERE, name)

    with open(out('records.jsonl'), 'w', encoding='utf-8', newline='\n') as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    with open(out('styles.json'), 'w', encoding='utf-8', newline='\n') as f:
        json.dump(styles, f, ensure_ascii=False, indent=2)
        f.write('\n')
    with open(out('ruled-out.json'), 'w', encoding='utf-8', newline='\n') as f:
        json.dump(ruled, f, ensure_ascii=False, indent=2)
        f.write('\n')

    sha = {}
    for name in ('records.jsonl', 'styles.json', 'ruled-out.json'):
        with open(out(name), 'rb') as f:
            sha[name] = hashlib.sha256(f.read()).hexdigest()

    n_labels = sum(len(r['出院带药列表']) for r in records)
    distinct = sorted({d for r in records for d in r['出院带药列表']})
    n_ro = sum(len(v) for v in ruled.values())
    n_ro_rec = sum(1 for v in ruled.values() if v)
    n_ro_cp = sum(1 for k, v in ruled.items() if v and styles[k] == 'class-plan')
    style_counts = {}
    for s in styles.values():
        style_counts[s] = style_counts.get(s, 0) + 1

    lines = []
    lines.append('# Hand-written evaluation records, part B (hd7-031 … hd7-060)\n')
    lines.append('## How it was written\n')
    lines.append('* 30 fictitious Chinese discharge records of an inpatient endocrinology / metabolic-disease ward '
                 '(2021–2024 practice), composed one by one by hand from clinical knowledge; each record is a '
                 'Python literal in `rec_31_35.py` … `rec_56_60.py` together with its label, ruled-out entries and '
                 'any §1 rule-8 (implicit standard drug) use. No template loops fill slots; `build.py` only orders '
                 'the 14 fields as in `record.ts`, assigns random 6-digit 患者序号 (fixed seed %d) and writes the files.' % SEED)
    lines.append('* Independence: the only files read were `/tmp/hw7-brief/LABELLING.md` (labelling rulebook, read in '
                 'full and followed), `/tmp/hw7-brief/record.ts` (14-field format) and `/tmp/hw7-brief/formulary.json` '
                 '(consulted for canonical names only). Nothing else on the machine was opened, listed, grepped or run '
                 '(nothing under /work except this output folder), no search/fetch/web tool was used, and no existing '
                 'records, datasets or generators were looked at.')
    lines.append('* Labels use exact canonical formulary `name` values; class-level plans are resolved per LABELLING.md §1.1; '
                 'ruled-out drugs follow §2 and every evidence string is a verbatim substring of a free-text field of the '
                 'same record; real-chart artefacts per §4 (full-width ＨｂＡ１ｃ, `mmol/l` vs `mmol/L`, `\\n` inside fields, '
                 '(-)/(+), arrows, negated risk statements, some empty fields, BMI null).')
    lines.append('* Patients, hospitals and identifiers are fictitious.\n')
    lines.append('## Files\n')
    lines.append('* `records.jsonl` — 30 records, record.ts keys in record.ts order, UTF-8, `ensure_ascii=False`.')
    lines.append('* `styles.json` — primary style per 就诊标识.')
    lines.append('* `ruled-out.json` — ruled-out drugs per 就诊标识 (`drug`, `reason`, `evidence`).')
    lines.append('* `rec_*.py` (sources), `build.py` (assembles), `validate.py` (stdlib-only checks; '
                 'run `/usr/bin/python3 validate.py`).\n')
    lines.append('## Counts\n')
    lines.append('| item | count |')
    lines.append('|---|---|')
    lines.append('| records | %d |' % len(records))
    for s in sorted(style_counts):
        lines.append('| style `%s` | %d |' % (s, style_counts[s]))
    lines.append('| label entries (total) | %d |' % n_labels)
    lines.append('| labels per record (min / mean / max) | %d / %.2f / %d |' % (
        min(len(r['出院带药列表']) for r in records), n_labels / len(records),
        max(len(r['出院带药列表']) for r in records)))
    lines.append('| distinct label names | %d |' % len(distinct))
    lines.append('| ruled-out entries (total) | %d |' % n_ro)
    lines.append('| records with ruled-out entries | %d (class-plan %d, stop-switch-allergy %d) |' % (
        n_ro_rec, n_ro_cp, n_ro_rec - n_ro_cp))
    lines.append('| §1 rule-8 (implicit standard drug) uses | %d |' % len(rule8))
    lines.append('')
    lines.append('## §1 rule 8 uses (implicit standard drugs in the label)\n')
    lines.append('| 就诊标识 | implicit drug | basis |')
    lines.append('|---|---|---|')
    for rid, d, basis in rule8:
        lines.append('| %s | %s | %s |' % (rid, d, basis))
    lines.append('')
    lines.append('## SHA-256 (`sha256sum`)\n')
    lines.append('```')
    for name in ('records.jsonl', 'styles.json', 'ruled-out.json'):
        lines.append('%s  %s' % (sha[name], name))
    lines.append('```')
    with open(out('README.md'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')

    print('wrote %d records; labels %d (distinct %d); ruled-out %d; rule8 %d' % (
        len(records), n_labels, len(distinct), n_ro, len(rule8)))
    for name, h in sha.items():
        print(h, name)


if __name__ == '__main__':
    main()
