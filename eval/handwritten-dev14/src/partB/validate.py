#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Validate the Author 14-B part (hd14-031 .. hd14-060).

The formulary is read from $FORMULARY if set, else /tmp/hw12-brief/formulary.json
(the copy of the project formulary given to the author).
Prints "OK: all checks passed" or the list of failures (exit status 1).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import build  # noqa: E402

FORMULARY = os.environ.get("FORMULARY", "/tmp/hw12-brief/formulary.json")
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STR_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
EXPECTED_IDS = ["hd14-%03d" % i for i in range(31, 61)]
EXPECTED_STYLE = {}
for _i in range(31, 41):
    EXPECTED_STYLE["hd14-%03d" % _i] = "terse"
for _i in range(41, 51):
    EXPECTED_STYLE["hd14-%03d" % _i] = "class-plan"
for _i in range(51, 61):
    EXPECTED_STYLE["hd14-%03d" % _i] = "long-course"
LONG_MIN, LONG_MAX = 360, 530


def main():
    fails = []

    def fail(msg):
        fails.append(msg)

    with open(FORMULARY, encoding="utf-8") as fh:
        canon = {d["name"] for d in json.load(fh)["drugs"]}

    # --- written files present and equal to a fresh build
    fresh = build.build_outputs()
    written = {}
    for name in build.OUTPUT_FILES:
        path = os.path.join(HERE, name)
        if not os.path.exists(path):
            fail("%s missing (run build.py)" % name)
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            written[name] = fh.read()
        if written[name] != fresh[name]:
            fail("%s differs from a fresh build (re-run build.py)" % name)
    if len(written) != len(build.OUTPUT_FILES):
        print("\n".join("FAIL: " + f for f in fails))
        return 1

    # --- source files: 10 entries each
    for mod in (build.rec_031_040, build.rec_041_050, build.rec_051_060):
        if len(mod.ENTRIES) != 10:
            fail("%s holds %d entries, expected 10" % (mod.__name__, len(mod.ENTRIES)))

    # --- records.jsonl
    records = []
    for ln, line in enumerate(written["records.jsonl"].splitlines(), 1):
        try:
            records.append(json.loads(line))
        except ValueError as exc:
            fail("records.jsonl line %d: bad JSON (%s)" % (ln, exc))
    ids = [r.get("就诊标识") for r in records]
    if ids != EXPECTED_IDS:
        fail("ids are %r, expected hd14-031..hd14-060 in order" % ids)
    pids = [r.get("患者序号") for r in records]
    if len(set(pids)) != len(pids):
        fail("患者序号 not distinct")

    for r in records:
        vid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fail("%s: fields/order %r differ from CDRUGRED_FIELDS" % (vid, list(r.keys())))
        for f in STR_FIELDS:
            if not isinstance(r.get(f), str):
                fail("%s: %s is not a string" % (vid, f))
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fail("%s: 患者序号 %r is not a 6-digit string" % (vid, pid))
        for f in ("性别", "出生日期", "民族", "就诊时间", "主诉", "现病史", "入院情况", "诊疗过程描述"):
            if isinstance(r.get(f), str) and not r[f].strip():
                fail("%s: %s is empty" % (vid, f))
        bmi = r.get("BMI")
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            fail("%s: BMI %r is neither a number nor null" % (vid, bmi))
        for f in ("出院诊断", "出院带药列表"):
            v = r.get(f)
            if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
                fail("%s: %s must be a non-empty list of non-empty strings" % (vid, f))
        label = r.get("出院带药列表") or []
        for d in label:
            if d not in canon:
                fail("%s: label drug %r is not a canonical formulary name" % (vid, d))
        if len(set(label)) != len(label):
            fail("%s: duplicate label drugs %r" % (vid, label))

    by_id = {r.get("就诊标识"): r for r in records}

    # --- styles.json
    styles = json.loads(written["styles.json"])
    if list(styles.keys()) != EXPECTED_IDS:
        fail("styles.json keys differ from the record ids")
    for vid, st in styles.items():
        if st not in VALID_STYLES:
            fail("%s: style %r not a LABELLING.md §3 style" % (vid, st))
        if EXPECTED_STYLE.get(vid) != st:
            fail("%s: style %r, expected %r" % (vid, st, EXPECTED_STYLE.get(vid)))
        if st == "long-course" and vid in by_id:
            n = len(by_id[vid]["诊疗过程描述"])
            if not (LONG_MIN <= n <= LONG_MAX):
                fail("%s: long-course 诊疗过程描述 has %d characters (need %d-%d)" % (vid, n, LONG_MIN, LONG_MAX))

    # --- ruled-out.json
    ruled = json.loads(written["ruled-out.json"])
    if list(ruled.keys()) != EXPECTED_IDS:
        fail("ruled-out.json keys differ from the record ids")
    for vid, items in ruled.items():
        rec = by_id.get(vid)
        if rec is None:
            continue
        if not isinstance(items, list):
            fail("%s: ruled-out entry is not a list" % vid)
            continue
        seen = set()
        for it in items:
            if not isinstance(it, dict) or set(it.keys()) != {"drug", "reason", "evidence"}:
                fail("%s: ruled-out item %r must have exactly drug/reason/evidence" % (vid, it))
                continue
            d = it["drug"]
            if d not in canon:
                fail("%s: ruled-out drug %r is not a canonical formulary name" % (vid, d))
            if d in seen:
                fail("%s: ruled-out drug %r listed twice" % (vid, d))
            seen.add(d)
            if d in rec["出院带药列表"]:
                fail("%s: ruled-out drug %r is in its own label" % (vid, d))
            if not (isinstance(it["reason"], str) and it["reason"].strip()):
                fail("%s: ruled-out %r has an empty reason" % (vid, d))
            ev = it["evidence"]
            if not (isinstance(ev, str) and ev.strip()) or not any(ev in rec[f] for f in TEXT_FIELDS):
                fail("%s: evidence %r for %r is not a verbatim substring of a text field" % (vid, ev, d))

    if fails:
        for f in fails:
            print("FAIL: " + f)
        print("%d failure(s)" % len(fails))
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
