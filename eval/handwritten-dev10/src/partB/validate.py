#!/usr/bin/env python3
"""Validate handwritten-dev10 part B outputs (records.jsonl, styles.json, ruled-out.json).

Checks: 30 records with ids hd10-031..hd10-060 in order; all 14 record.ts fields present,
in order and typed as record.ts says; distinct 6-digit 患者序号; every label drug and
ruled-out drug is a canonical formulary name; no duplicate label drugs; no ruled-out drug
in its record's label; every evidence is a verbatim substring of one free-text field;
styles valid and matching the part B plan; stop-switch-allergy records have ruled-out
entries. Prints 'OK: all checks passed' or the failures (exit 1).
Python 3 standard library only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = os.environ.get("FORMULARY_JSON", "/tmp/hw7-brief/formulary.json")

CDRUGRED_FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
EXPECTED_IDS = ["hd10-%03d" % i for i in range(31, 61)]


def expected_style(i):
    if 31 <= i <= 40:
        return "class-plan"
    if 41 <= i <= 50:
        return "trade-names"
    return "stop-switch-allergy"


def main():
    errs = []
    with open(FORMULARY, encoding="utf-8") as fh:
        canon = {d["name"] for d in json.load(fh)["drugs"]}

    recs = []
    with open(os.path.join(HERE, "records.jsonl"), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                recs.append(json.loads(line))
            except ValueError as e:
                errs.append("records.jsonl line %d: bad JSON (%s)" % (n, e))
    with open(os.path.join(HERE, "styles.json"), encoding="utf-8") as fh:
        styles = json.load(fh)
    with open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8") as fh:
        ruled = json.load(fh)

    if len(recs) != 30:
        errs.append("expected 30 records, got %d" % len(recs))
    ids = [r.get("就诊标识") for r in recs]
    if ids != EXPECTED_IDS:
        errs.append("ids not hd10-031..hd10-060 in order: %s" % ids)
    pids = [r.get("患者序号") for r in recs]
    if len(set(pids)) != len(pids):
        errs.append("患者序号 not distinct")

    for r in recs:
        rid = r.get("就诊标识", "?")
        if list(r.keys()) != CDRUGRED_FIELDS:
            errs.append("%s: fields/order differ from CDRUGRED_FIELDS: %s" % (rid, list(r.keys())))
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                errs.append("%s: %s must be a string" % (rid, f))
        for f in ["主诉", "现病史", "诊疗过程描述"]:
            if isinstance(r.get(f), str) and not r[f].strip():
                errs.append("%s: %s is empty" % (rid, f))
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            errs.append("%s: 患者序号 not a 6-digit string: %r" % (rid, pid))
        bmi = r.get("BMI")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            errs.append("%s: BMI must be number or null" % rid)
        dx = r.get("出院诊断")
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
            errs.append("%s: 出院诊断 must be a non-empty list of strings" % rid)
        lab = r.get("出院带药列表")
        if not (isinstance(lab, list) and lab and all(isinstance(x, str) for x in lab)):
            errs.append("%s: 出院带药列表 must be a non-empty list of strings" % rid)
            lab = []
        if len(set(lab)) != len(lab):
            errs.append("%s: duplicate label drugs" % rid)
        for d in lab:
            if d not in canon:
                errs.append("%s: label drug not canonical: %s" % (rid, d))

        st = styles.get(rid)
        if st not in VALID_STYLES:
            errs.append("%s: invalid/missing style %r" % (rid, st))
        else:
            i = int(rid.split("-")[1]) if rid.startswith("hd10-") else 0
            if st != expected_style(i):
                errs.append("%s: style %s, expected %s" % (rid, st, expected_style(i)))

        if rid not in ruled:
            errs.append("%s: missing from ruled-out.json" % rid)
            continue
        entries = ruled[rid]
        if not isinstance(entries, list):
            errs.append("%s: ruled-out entry is not a list" % rid)
            continue
        if st == "stop-switch-allergy" and not entries:
            errs.append("%s: stop-switch-allergy record without ruled-out entries" % rid)
        texts = [r.get(f, "") for f in TEXT_FIELDS]
        seen = set()
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {"drug", "reason", "evidence"}:
                errs.append("%s: ruled-out entry malformed: %r" % (rid, e))
                continue
            d = e["drug"]
            if d not in canon:
                errs.append("%s: ruled-out drug not canonical: %s" % (rid, d))
            if d in lab:
                errs.append("%s: ruled-out drug is in the label: %s" % (rid, d))
            if d in seen:
                errs.append("%s: ruled-out drug listed twice: %s" % (rid, d))
            seen.add(d)
            if not (isinstance(e["reason"], str) and e["reason"].strip()):
                errs.append("%s: empty reason for %s" % (rid, d))
            ev = e["evidence"]
            if not (isinstance(ev, str) and ev and any(ev in t for t in texts)):
                errs.append("%s: evidence for %s not a verbatim substring of a free-text field: %r" % (rid, d, ev))

    for k in styles:
        if k not in EXPECTED_IDS:
            errs.append("styles.json: unexpected id %s" % k)
    for k in ruled:
        if k not in EXPECTED_IDS:
            errs.append("ruled-out.json: unexpected id %s" % k)

    if errs:
        for e in errs:
            print("FAIL:", e)
        print("%d failure(s)" % len(errs))
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
