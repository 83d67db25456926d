#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Validate the Author 17-A part-A records.

Usage: /usr/bin/python3 validate.py [FORMULARY_JSON]
(default formulary: /tmp/hw12-brief/formulary.json)
Prints "OK: all checks passed" or the list of failures (exit status 1).
"""
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import build  # noqa: E402

DEFAULT_FORMULARY = "/tmp/hw12-brief/formulary.json"
N = 30
EXPECTED_IDS = ["hd17-%03d" % i for i in range(1, N + 1)]
EXPECTED_STYLES = (["long-course"] * 10) + (["stop-switch-allergy"] * 10) + (["terse"] * 10)
STR_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间",
              "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉"]
LONG_MIN, LONG_MAX = 360, 530


def main(argv):
    formulary_path = argv[1] if len(argv) > 1 else DEFAULT_FORMULARY
    fails = []

    with open(formulary_path, encoding="utf-8") as fh:
        formulary = json.load(fh)
    canon = {d["name"] for d in formulary["drugs"]}

    def read(name):
        p = os.path.join(HERE, name)
        if not os.path.exists(p):
            fails.append("missing file %s" % name)
            return None
        with open(p, encoding="utf-8") as fh:
            return fh.read()

    texts = {name: read(name) for name in build.OUTPUTS}
    if any(t is None for t in texts.values()):
        report(fails)
        return 1

    # written files equal a fresh build
    fresh = build.build()
    for name in build.OUTPUTS:
        if texts[name] != fresh[name]:
            fails.append("%s differs from a fresh build (run build.py)" % name)

    records = []
    for i, line in enumerate(texts["records.jsonl"].split("\n")):
        if line == "":
            continue
        try:
            records.append(json.loads(line))
        except ValueError as e:
            fails.append("records.jsonl line %d: bad JSON (%s)" % (i + 1, e))
    styles = json.loads(texts["styles.json"])
    ruled = json.loads(texts["ruled-out.json"])

    if len(records) != N:
        fails.append("expected %d records, found %d" % (N, len(records)))
    ids = [r.get("就诊标识") for r in records]
    if ids != EXPECTED_IDS[:len(ids)] or len(ids) != N:
        fails.append("ids not hd17-001..hd17-030 in order: %s" % ids)

    pids = [r.get("患者序号") for r in records]
    if len(set(pids)) != len(pids):
        fails.append("患者序号 not distinct")

    for r in records:
        rid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fails.append("%s: fields/order differ from CDRUGRED_FIELDS: %s" % (rid, list(r.keys())))
        for f in STR_FIELDS:
            if not isinstance(r.get(f), str):
                fails.append("%s: %s must be a string" % (rid, f))
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fails.append("%s: 患者序号 not a 6-digit string: %r" % (rid, pid))
        bmi = r.get("BMI")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            fails.append("%s: BMI must be a number or null" % rid)
        for f in ("出院诊断", "出院带药列表"):
            v = r.get(f)
            if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                fails.append("%s: %s must be a list of strings" % (rid, f))
        if not r.get("出院诊断"):
            fails.append("%s: empty 出院诊断" % rid)

        label = r.get("出院带药列表") or []
        if not label:
            fails.append("%s: empty label" % rid)
        for d in label:
            if d not in canon:
                fails.append("%s: label drug not canonical: %s" % (rid, d))
        if len(set(label)) != len(label):
            fails.append("%s: duplicate label drugs" % rid)

        st = styles.get(rid)
        if st not in build.STYLES:
            fails.append("%s: invalid style %r" % (rid, st))
        elif rid in EXPECTED_IDS and st != EXPECTED_STYLES[EXPECTED_IDS.index(rid)]:
            fails.append("%s: style %s out of the planned order" % (rid, st))
        if st == "long-course":
            n = len(r.get("诊疗过程描述", ""))
            if not (LONG_MIN <= n <= LONG_MAX):
                fails.append("%s: long-course 诊疗过程描述 has %d chars (need %d-%d)" % (rid, n, LONG_MIN, LONG_MAX))

        if rid not in ruled:
            fails.append("%s: missing from ruled-out.json" % rid)
            continue
        entries = ruled[rid]
        if not isinstance(entries, list):
            fails.append("%s: ruled-out entry must be a list" % rid)
            continue
        if st == "stop-switch-allergy" and not entries:
            fails.append("%s: stop-switch-allergy record without ruled-out entries" % rid)
        seen = set()
        for e in entries:
            if not (isinstance(e, dict) and set(e.keys()) == {"drug", "reason", "evidence"}):
                fails.append("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (rid, e))
                continue
            d = e["drug"]
            if d not in canon:
                fails.append("%s: ruled-out drug not canonical: %s" % (rid, d))
            if d in label:
                fails.append("%s: ruled-out drug %s is in its own label" % (rid, d))
            if d in seen:
                fails.append("%s: ruled-out drug %s listed twice" % (rid, d))
            seen.add(d)
            if not (isinstance(e["reason"], str) and e["reason"].strip()):
                fails.append("%s: empty reason for %s" % (rid, d))
            ev = e["evidence"]
            if not (isinstance(ev, str) and ev and any(ev in r.get(f, "") for f in build.TEXT_FIELDS)):
                fails.append("%s: evidence for %s not verbatim in a text field: %r" % (rid, d, ev))

    if set(styles) != set(EXPECTED_IDS):
        fails.append("styles.json keys differ from the record ids")
    if set(ruled) != set(EXPECTED_IDS):
        fails.append("ruled-out.json keys differ from the record ids")

    return report(fails)


def report(fails):
    if fails:
        print("FAILED: %d problem(s)" % len(fails))
        for f in fails:
            print(" -", f)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
