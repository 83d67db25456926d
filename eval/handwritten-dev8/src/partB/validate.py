#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Validate records.jsonl / styles.json / ruled-out.json (stdlib only).

Usage: /usr/bin/python3 validate.py [path/to/formulary.json]
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = sys.argv[1] if len(sys.argv) > 1 else "/tmp/hw7-brief/formulary.json"

FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STYLES = {"class-plan": range(31, 41), "trade-names": range(41, 51), "stop-switch-allergy": range(51, 61)}
EXPECTED_IDS = ["hd8-%03d" % i for i in range(31, 61)]

errors = []


def err(msg):
    errors.append(msg)


with open(FORMULARY, encoding="utf-8") as f:
    names = {d["name"] for d in json.load(f)["drugs"]}

# ---- records.jsonl
records = []
with open(os.path.join(HERE, "records.jsonl"), encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines = lines[:-1]
if len(lines) != 30:
    err("records.jsonl has %d lines, expected 30" % len(lines))
for n, line in enumerate(lines, 1):
    try:
        obj = json.loads(line)
    except ValueError as e:
        err("line %d: invalid JSON (%s)" % (n, e))
        continue
    if not isinstance(obj, dict):
        err("line %d: not an object" % n)
        continue
    if list(obj.keys()) != FIELDS:
        err("line %d: keys/order differ: %s" % (n, list(obj.keys())))
    records.append(obj)

ids = [r.get("就诊标识") for r in records]
if ids != EXPECTED_IDS:
    err("ids not hd8-031..hd8-060 in order: %s" % ids)
if len(set(ids)) != len(ids):
    err("duplicate 就诊标识")
pids = [r.get("患者序号") for r in records]
if len(set(pids)) != len(pids):
    err("duplicate 患者序号")
for r in records:
    vid = r.get("就诊标识")
    p = r.get("患者序号")
    if not (isinstance(p, str) and re.fullmatch(r"[0-9]{6}", p)):
        err("%s: 患者序号 not a 6-digit string: %r" % (vid, p))
    for k in ["就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS:
        if not isinstance(r.get(k), str):
            err("%s: %s is not a string" % (vid, k))
    bmi = r.get("BMI")
    if bmi is not None and not isinstance(bmi, (int, float)):
        err("%s: BMI neither number nor null" % vid)
    dx = r.get("出院诊断")
    if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
        err("%s: 出院诊断 must be a non-empty list of strings" % vid)
    lab = r.get("出院带药列表")
    if not (isinstance(lab, list) and lab):
        err("%s: 出院带药列表 must be a non-empty list" % vid)
        continue
    if len(set(lab)) != len(lab):
        err("%s: duplicate label entries" % vid)
    for d in lab:
        if d not in names:
            err("%s: label %r is not a canonical formulary name" % (vid, d))

by_id = {r.get("就诊标识"): r for r in records}

# ---- styles.json
with open(os.path.join(HERE, "styles.json"), encoding="utf-8") as f:
    styles = json.load(f)
if sorted(styles) != EXPECTED_IDS:
    err("styles.json keys differ from the 30 ids")
counts = {}
for vid, st in styles.items():
    counts[st] = counts.get(st, 0) + 1
    if st not in STYLES:
        err("%s: unknown style %r" % (vid, st))
    elif int(vid[4:]) not in STYLES[st]:
        err("%s: style %r outside its id block" % (vid, st))
for st in STYLES:
    if counts.get(st, 0) != 10:
        err("style %s has %d records, expected 10" % (st, counts.get(st, 0)))

# ---- ruled-out.json
with open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8") as f:
    ruled = json.load(f)
if sorted(ruled) != EXPECTED_IDS:
    err("ruled-out.json keys differ from the 30 ids")
n_ro = 0
for vid, entries in ruled.items():
    rec = by_id.get(vid)
    if rec is None:
        continue
    if not isinstance(entries, list):
        err("%s: ruled-out value not a list" % vid)
        continue
    if styles.get(vid) == "stop-switch-allergy" and not entries:
        err("%s: stop-switch-allergy record without ruled-out entries" % vid)
    label = set(rec["出院带药列表"])
    texts = [rec[k] for k in TEXT_FIELDS]
    seen = set()
    for e in entries:
        n_ro += 1
        if set(e) != {"drug", "reason", "evidence"}:
            err("%s: ruled-out entry keys %s" % (vid, sorted(e)))
            continue
        d = e["drug"]
        if d not in names:
            err("%s: ruled-out %r not a canonical name" % (vid, d))
        if d in label:
            err("%s: ruled-out %r is in the label" % (vid, d))
        if d in seen:
            err("%s: ruled-out %r listed twice" % (vid, d))
        seen.add(d)
        if not (isinstance(e["reason"], str) and e["reason"]):
            err("%s: empty reason for %r" % (vid, d))
        ev = e["evidence"]
        if not (isinstance(ev, str) and ev and any(ev in t for t in texts)):
            err("%s: evidence for %r is not a verbatim substring of a free-text field: %r" % (vid, d, ev))

n_labels = sum(len(r["出院带药列表"]) for r in records if isinstance(r.get("出院带药列表"), list))
distinct = len({d for r in records if isinstance(r.get("出院带药列表"), list) for d in r["出院带药列表"]})
print("records: %d" % len(records))
print("styles: %s" % ", ".join("%s=%d" % (k, counts.get(k, 0)) for k in STYLES))
print("label entries: %d (distinct names: %d)" % (n_labels, distinct))
print("ruled-out entries: %d in %d records" % (n_ro, sum(1 for v in ruled.values() if v)))
if errors:
    print("FAIL: %d problem(s)" % len(errors))
    for e in errors:
        print("  - " + e)
    sys.exit(1)
print("OK: all checks passed")
