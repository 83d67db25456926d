#!/usr/bin/python3
"""Validate records.jsonl, styles.json and ruled-out.json of part A (hd16-001 .. hd16-030).

Usage: /usr/bin/python3 validate.py [path/to/formulary.json]
The formulary path may also be given as $DEV16_FORMULARY; default /tmp/hw12-brief/formulary.json.
Prints "OK: all checks passed" or the list of failures (exit status 1).
"""
import json
import os
import re
import sys

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import build  # noqa: E402

DEFAULT_FORMULARY = "/tmp/hw12-brief/formulary.json"
N_RECORDS = 30
EXPECTED_IDS = ["hd16-%03d" % i for i in range(1, N_RECORDS + 1)]
# Styles in order: 10 long-course, 10 terse, 10 class-plan.
EXPECTED_STYLES = ["long-course"] * 10 + ["terse"] * 10 + ["class-plan"] * 10
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LONG_MIN, LONG_MAX = 360, 530


def load_formulary_names(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {d["name"] for d in data["drugs"]}


def main(argv):
    errors = []

    def fail(msg):
        errors.append(msg)

    fpath = argv[1] if len(argv) > 1 else os.environ.get("DEV16_FORMULARY", DEFAULT_FORMULARY)
    try:
        names = load_formulary_names(fpath)
    except (OSError, ValueError, KeyError) as exc:
        print("FAIL: cannot read formulary %s: %s" % (fpath, exc))
        return 1

    # --- read written files -------------------------------------------------------------
    written = {}
    for fn in build.OUTPUT_FILES:
        p = os.path.join(HERE, fn)
        try:
            with open(p, encoding="utf-8", newline="") as fh:
                written[fn] = fh.read()
        except OSError as exc:
            fail("cannot read %s: %s" % (fn, exc))
    if errors:
        for e in errors:
            print("FAIL:", e)
        return 1

    # --- written files equal a fresh build ---------------------------------------------------
    fresh = build.build_outputs()
    for fn in build.OUTPUT_FILES:
        if fresh[fn] != written[fn]:
            fail("%s differs from a fresh build (run build.py)" % fn)

    # --- records.jsonl ------------------------------------------------------------------
    records = []
    for i, line in enumerate(written["records.jsonl"].split("\n")):
        if line == "":
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            fail("records.jsonl line %d: invalid JSON (%s)" % (i + 1, exc))
            continue
        records.append(obj)
    if len(records) != N_RECORDS:
        fail("expected %d records, found %d" % (N_RECORDS, len(records)))
    ids = [r.get("就诊标识") for r in records]
    if ids != EXPECTED_IDS[: len(ids)] or len(ids) != N_RECORDS:
        fail("ids not hd16-001..hd16-%03d in order: %s" % (N_RECORDS, ids))

    pids = []
    by_id = {}
    for r in records:
        rid = r.get("就诊标识", "?")
        by_id[rid] = r
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fail("%s: fields/order differ from CDRUGRED_FIELDS: %s" % (rid, list(r.keys())))
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                fail("%s: %s is not a string" % (rid, f))
        for f in ("出生日期", "就诊时间"):
            if isinstance(r.get(f), str) and not DATE_RE.match(r[f]):
                fail("%s: %s not YYYY-MM-DD: %r" % (rid, f, r[f]))
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and re.fullmatch(r"\d{6}", pid)):
            fail("%s: 患者序号 not a 6-digit string: %r" % (rid, pid))
        pids.append(pid)
        bmi = r.get("BMI")
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            fail("%s: BMI must be a number or null: %r" % (rid, bmi))
        for f in ("主诉", "现病史", "诊疗过程描述"):
            if isinstance(r.get(f), str) and not r[f].strip():
                fail("%s: %s is empty" % (rid, f))
        dx = r.get("出院诊断")
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
            fail("%s: 出院诊断 must be a non-empty list of strings" % rid)
        label = r.get("出院带药列表")
        if not (isinstance(label, list) and label and all(isinstance(x, str) for x in label)):
            fail("%s: 出院带药列表 must be a non-empty list of strings" % rid)
            label = []
        for d in label:
            if d not in names:
                fail("%s: label drug not a canonical formulary name: %r" % (rid, d))
        if len(set(label)) != len(label):
            fail("%s: duplicate label drugs" % rid)
    if len(set(pids)) != len(pids):
        fail("患者序号 not distinct")

    # --- styles.json ---------------------------------------------------------------------
    try:
        styles = json.loads(written["styles.json"])
    except ValueError as exc:
        styles = {}
        fail("styles.json invalid JSON: %s" % exc)
    if list(styles.keys()) != EXPECTED_IDS:
        fail("styles.json keys are not the %d ids in order" % N_RECORDS)
    for i, vid in enumerate(EXPECTED_IDS):
        st = styles.get(vid)
        if st not in VALID_STYLES:
            fail("%s: invalid style %r" % (vid, st))
        elif st != EXPECTED_STYLES[i]:
            fail("%s: style %r, expected %r" % (vid, st, EXPECTED_STYLES[i]))
        r = by_id.get(vid)
        if st == "long-course" and r is not None and isinstance(r.get("诊疗过程描述"), str):
            n = len(r["诊疗过程描述"])
            if not LONG_MIN <= n <= LONG_MAX:
                fail("%s: long-course course has %d characters (need %d-%d)" % (vid, n, LONG_MIN, LONG_MAX))

    # --- ruled-out.json ------------------------------------------------------------------
    try:
        ruled = json.loads(written["ruled-out.json"])
    except ValueError as exc:
        ruled = {}
        fail("ruled-out.json invalid JSON: %s" % exc)
    if list(ruled.keys()) != EXPECTED_IDS:
        fail("ruled-out.json keys are not the %d ids in order" % N_RECORDS)
    for vid in EXPECTED_IDS:
        entries = ruled.get(vid)
        if not isinstance(entries, list):
            fail("%s: ruled-out entry must be a list" % vid)
            continue
        r = by_id.get(vid, {})
        label = set(r.get("出院带药列表") or [])
        seen = set()
        for e in entries:
            if not (isinstance(e, dict) and set(e.keys()) == {"drug", "reason", "evidence"}):
                fail("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (vid, e))
                continue
            d, reason, ev = e["drug"], e["reason"], e["evidence"]
            if d not in names:
                fail("%s: ruled-out drug not a canonical formulary name: %r" % (vid, d))
            if d in label:
                fail("%s: ruled-out drug %s is in its own label" % (vid, d))
            if d in seen:
                fail("%s: ruled-out drug %s listed twice" % (vid, d))
            seen.add(d)
            if not (isinstance(reason, str) and reason.strip()):
                fail("%s: empty reason for %s" % (vid, d))
            if not (isinstance(ev, str) and ev.strip()):
                fail("%s: empty evidence for %s" % (vid, d))
            elif not any(isinstance(r.get(f), str) and ev in r[f] for f in TEXT_FIELDS):
                fail("%s: evidence for %s is not verbatim in a text field: %r" % (vid, d, ev))

    if errors:
        for e in errors:
            print("FAIL:", e)
        print("%d failure(s)" % len(errors))
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
