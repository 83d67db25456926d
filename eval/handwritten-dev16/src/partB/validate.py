#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Validate part B of the hand-written dev16 set.

Usage: /usr/bin/python3 validate.py [path/to/formulary.json]
(default formulary: /tmp/hw12-brief/formulary.json, the copy given in the brief)
Prints "OK: all checks passed" or the list of failures (exit code 1).
"""
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402

FORMULARY = sys.argv[1] if len(sys.argv) > 1 else "/tmp/hw12-brief/formulary.json"
FIELDS = build.CDRUGRED_FIELDS
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
EXPECTED_IDS = ["hd16-%03d" % i for i in range(31, 61)]
EXPECTED_STYLE = {}
for i in range(31, 61):
    EXPECTED_STYLE["hd16-%03d" % i] = (
        "stop-switch-allergy" if i <= 40 else "explicit-plan" if i <= 50 else "trade-names")

fails = []


def fail(msg):
    fails.append(msg)


def read(name):
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        fail("missing file %s" % name)
        return None
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def main():
    with open(FORMULARY, encoding="utf-8") as fh:
        canon = {d["name"] for d in json.load(fh)["drugs"]}

    texts = {n: read(n) for n in build.OUTPUTS}
    if any(t is None for t in texts.values()):
        return

    # records.jsonl
    recs = []
    for ln, line in enumerate(texts["records.jsonl"].splitlines(), 1):
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            fail("records.jsonl line %d: bad JSON (%s)" % (ln, e))
    ids = [r.get("就诊标识") for r in recs]
    if len(recs) != 30:
        fail("expected 30 records, got %d" % len(recs))
    if ids != EXPECTED_IDS:
        fail("ids not hd16-031..hd16-060 in order: %s" % ids)

    pids = []
    for r in recs:
        vid = r.get("就诊标识")
        if list(r.keys()) != FIELDS:
            fail("%s: fields/order differ from CDRUGRED_FIELDS: %s" % (vid, list(r.keys())))
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                fail("%s: %s is not a string" % (vid, f))
        bmi = r.get("BMI")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            fail("%s: BMI must be number or null" % vid)
        for f in ("出院诊断", "出院带药列表"):
            v = r.get(f)
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                fail("%s: %s must be a list of non-empty strings" % (vid, f))
        if not r.get("出院诊断"):
            fail("%s: empty 出院诊断" % vid)
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fail("%s: 患者序号 not a 6-digit string: %r" % (vid, pid))
        pids.append(pid)
        label = r.get("出院带药列表") or []
        if not label:
            fail("%s: empty label" % vid)
        for d in label:
            if d not in canon:
                fail("%s: label drug not canonical: %s" % (vid, d))
        if len(set(label)) != len(label):
            fail("%s: duplicate label drugs" % vid)
    if len(set(pids)) != len(pids):
        fail("患者序号 not distinct")

    byid = {r.get("就诊标识"): r for r in recs}

    # styles.json
    styles = json.loads(texts["styles.json"])
    if list(styles.keys()) != EXPECTED_IDS:
        fail("styles.json keys differ from the record ids")
    for vid, s in styles.items():
        if s not in STYLES:
            fail("%s: invalid style %s" % (vid, s))
        if EXPECTED_STYLE.get(vid) != s:
            fail("%s: style %s, brief asks %s" % (vid, s, EXPECTED_STYLE.get(vid)))
        r = byid.get(vid)
        if r is not None and s == "long-course":
            n = len(r["诊疗过程描述"])
            if not 360 <= n <= 530:
                fail("%s: long-course course has %d characters (360-530)" % (vid, n))

    # ruled-out.json
    ruled = json.loads(texts["ruled-out.json"])
    if list(ruled.keys()) != EXPECTED_IDS:
        fail("ruled-out.json keys differ from the record ids")
    for vid, entries in ruled.items():
        r = byid.get(vid)
        if r is None:
            continue
        if not isinstance(entries, list):
            fail("%s: ruled-out entry not a list" % vid)
            continue
        if styles.get(vid) == "stop-switch-allergy" and not entries:
            fail("%s: stop-switch-allergy record without ruled-out entries" % vid)
        seen = set()
        label = set(r["出院带药列表"])
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {"drug", "reason", "evidence"}:
                fail("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (vid, e))
                continue
            d, why, ev = e["drug"], e["reason"], e["evidence"]
            if d not in canon:
                fail("%s: ruled-out drug not canonical: %s" % (vid, d))
            if d in label:
                fail("%s: ruled-out drug %s is in its own label" % (vid, d))
            if d in seen:
                fail("%s: ruled-out drug %s listed twice" % (vid, d))
            seen.add(d)
            if not (isinstance(why, str) and why.strip()):
                fail("%s: empty reason for %s" % (vid, d))
            if not (isinstance(ev, str) and ev.strip() and any(ev in r[f] for f in TEXT_FIELDS)):
                fail("%s: evidence for %s is not verbatim in a text field: %r" % (vid, d, ev))

    # written files == fresh build
    fresh = build.build()
    for name in build.OUTPUTS:
        if fresh[name] != texts[name]:
            fail("%s differs from a fresh build (run build.py)" % name)

    # sanity: source literals carry the same ids/styles
    src = build.source_records()
    if [s["就诊标识"] for s in src] != EXPECTED_IDS:
        fail("rec_*.py ids out of order")


if __name__ == "__main__":
    main()
    if fails:
        print("FAILED: %d problem(s)" % len(fails))
        for m in fails:
            print(" - " + m)
        sys.exit(1)
    print("OK: all checks passed")
