#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Validate handwritten-dev11 part B build outputs (records.jsonl, styles.json, ruled-out.json).

Usage: python3 validate.py [path/to/formulary.json]
The formulary is looked up in this order: argv[1], $FORMULARY, /tmp/hw7-brief/formulary.json,
<repo>/src/clinical/data/formulary.json (relative to this file). Standard library only.
Prints "OK: all checks passed" or the failures, and exits non-zero on failure.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
EXPECTED_IDS = ["hd11-%03d" % i for i in range(31, 61)]


def expected_style(rid):
    n = int(rid.split("-")[1])
    if 31 <= n <= 40:
        return "class-plan"
    if 41 <= n <= 50:
        return "trade-names"
    return "stop-switch-allergy"


def find_formulary():
    cands = []
    if len(sys.argv) > 1:
        cands.append(sys.argv[1])
    if os.environ.get("FORMULARY"):
        cands.append(os.environ["FORMULARY"])
    cands.append("/tmp/hw7-brief/formulary.json")
    cands.append(os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "src", "clinical", "data", "formulary.json")))
    for c in cands:
        if os.path.isfile(c):
            return c
    return None


def main():
    fails = []
    fpath = find_formulary()
    if fpath is None:
        print("FAIL: formulary.json not found (pass its path as argv[1])")
        sys.exit(2)
    with open(fpath, encoding="utf-8") as fh:
        names = {d["name"] for d in json.load(fh)["drugs"]}

    recs = []
    with open(os.path.join(HERE, "records.jsonl"), encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            if not line.strip():
                fails.append("records.jsonl line %d: empty line" % ln)
                continue
            try:
                recs.append(json.loads(line))
            except ValueError as e:
                fails.append("records.jsonl line %d: bad JSON (%s)" % (ln, e))
    with open(os.path.join(HERE, "styles.json"), encoding="utf-8") as fh:
        styles = json.load(fh)
    with open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8") as fh:
        ruled = json.load(fh)

    if len(recs) != 30:
        fails.append("expected 30 records, got %d" % len(recs))
    ids = [r.get("就诊标识") for r in recs]
    if ids != EXPECTED_IDS:
        fails.append("ids not hd11-031..hd11-060 in order: %s" % ids)

    pids = [r.get("患者序号") for r in recs]
    if len(set(pids)) != len(pids):
        fails.append("患者序号 not distinct")

    for r in recs:
        rid = r.get("就诊标识", "?")
        keys = list(r.keys())
        if keys != CDRUGRED_FIELDS:
            fails.append("%s: fields/order differ from CDRUGRED_FIELDS: %s" % (rid, keys))
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                fails.append("%s: %s must be a string" % (rid, f))
        if not re.fullmatch(r"\d{6}", str(r.get("患者序号", ""))):
            fails.append("%s: 患者序号 is not a 6-digit string" % rid)
        bmi = r.get("BMI", "missing")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            fails.append("%s: BMI must be number or null" % rid)
        for f in ("出生日期", "就诊时间"):
            if isinstance(r.get(f), str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[f]):
                fails.append("%s: %s not YYYY-MM-DD" % (rid, f))
        for f in TEXT_FIELDS:
            if isinstance(r.get(f), str) and not r[f].strip():
                fails.append("%s: %s empty" % (rid, f))
        for f in ("出院诊断", "出院带药列表"):
            v = r.get(f)
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                fails.append("%s: %s must be a list of strings" % (rid, f))
        label = r.get("出院带药列表") or []
        if not label:
            fails.append("%s: empty label" % rid)
        if len(set(label)) != len(label):
            fails.append("%s: duplicate label drugs" % rid)
        for d in label:
            if d not in names:
                fails.append("%s: label drug not canonical: %s" % (rid, d))

        st = styles.get(rid)
        if st not in VALID_STYLES:
            fails.append("%s: invalid style %r" % (rid, st))
        elif st != expected_style(rid):
            fails.append("%s: style %s, brief requires %s" % (rid, st, expected_style(rid)))

        if rid not in ruled:
            fails.append("%s: missing from ruled-out.json" % rid)
            continue
        entries = ruled[rid]
        if not isinstance(entries, list):
            fails.append("%s: ruled-out entry not a list" % rid)
            continue
        if st == "stop-switch-allergy" and not entries:
            fails.append("%s: stop-switch-allergy record without ruled-out entries" % rid)
        texts = [r.get(f, "") for f in TEXT_FIELDS]
        seen_drugs = set()
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {"drug", "reason", "evidence"}:
                fails.append("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (rid, e))
                continue
            d, why, ev = e["drug"], e["reason"], e["evidence"]
            if d not in names:
                fails.append("%s: ruled-out drug not canonical: %s" % (rid, d))
            if d in label:
                fails.append("%s: ruled-out drug %s is in the label" % (rid, d))
            if d in seen_drugs:
                fails.append("%s: ruled-out drug %s listed twice" % (rid, d))
            seen_drugs.add(d)
            if not isinstance(why, str) or not why.strip():
                fails.append("%s: empty reason for %s" % (rid, d))
            if not isinstance(ev, str) or not ev or not any(ev in t for t in texts):
                fails.append("%s: evidence for %s is not a verbatim substring of a free-text field: %r" % (rid, d, ev))

    if set(styles) != set(EXPECTED_IDS):
        fails.append("styles.json ids differ from record ids")
    if set(ruled) != set(EXPECTED_IDS):
        fails.append("ruled-out.json ids differ from record ids")

    if fails:
        print("FAILED: %d problem(s)" % len(fails))
        for f in fails:
            print("  - " + f)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
