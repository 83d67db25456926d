#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Validate the hd15 part-A files. Prints "OK: all checks passed" or the failures.

Formulary: $HD15_FORMULARY, else /tmp/hw12-brief/formulary.json.
"""
import json
import sys as _sys
_sys.dont_write_bytecode = True
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402

FORMULARY = os.environ.get("HD15_FORMULARY", "/tmp/hw12-brief/formulary.json")
N = 30
EXPECTED_IDS = ["hd15-%03d" % i for i in range(1, N + 1)]
CDRUGRED_FIELDS = build.CDRUGRED_FIELDS
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STR_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
EXPECTED_STYLE = {i: ("terse" if n <= 10 else "stop-switch-allergy" if n <= 20 else "explicit-plan")
                  for n, i in enumerate(EXPECTED_IDS, 1)}


def main():
    fails = []

    def fail(msg):
        fails.append(msg)

    with open(FORMULARY, encoding="utf-8") as fh:
        canon = {d["name"] for d in json.load(fh)["drugs"]}

    # --- files on disk ---
    try:
        with open(os.path.join(HERE, "records.jsonl"), encoding="utf-8") as fh:
            raw_lines = fh.read().split("\n")
        if raw_lines and raw_lines[-1] == "":
            raw_lines = raw_lines[:-1]
        records = [json.loads(l) for l in raw_lines]
        with open(os.path.join(HERE, "styles.json"), encoding="utf-8") as fh:
            styles = json.load(fh)
        with open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8") as fh:
            ruled = json.load(fh)
    except Exception as e:  # noqa: BLE001
        print("FAIL: cannot read outputs: %r" % (e,))
        return 1

    # --- count and ids ---
    if len(records) != N:
        fail("records.jsonl has %d records, expected %d" % (len(records), N))
    ids = [r.get("就诊标识") for r in records]
    if ids != EXPECTED_IDS:
        fail("ids not hd15-001..hd15-%03d in order: %s" % (N, ids))

    # --- per-record field checks ---
    pids = []
    for r in records:
        rid = r.get("就诊标识", "?")
        if list(r.keys()) != CDRUGRED_FIELDS:
            fail("%s: fields/order differ from CDRUGRED_FIELDS: %s" % (rid, list(r.keys())))
        for k in STR_FIELDS:
            if not isinstance(r.get(k), str):
                fail("%s: %s is not a string" % (rid, k))
        bmi = r.get("BMI")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            fail("%s: BMI must be number or null" % rid)
        for k in ("出院诊断", "出院带药列表"):
            v = r.get(k)
            if not (isinstance(v, list) and all(isinstance(x, str) and x for x in v)):
                fail("%s: %s must be a list of non-empty strings" % (rid, k))
        if not r.get("出院诊断"):
            fail("%s: 出院诊断 empty" % rid)
        if not r.get("出院带药列表"):
            fail("%s: 出院带药列表 empty" % rid)
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and re.fullmatch(r"[0-9]{6}", pid)):
            fail("%s: 患者序号 not a 6-digit string: %r" % (rid, pid))
        pids.append(pid)
        for k in ("出生日期", "就诊时间"):
            if isinstance(r.get(k), str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[k]):
                fail("%s: %s not YYYY-MM-DD" % (rid, k))
        label = r.get("出院带药列表") or []
        for d in label:
            if d not in canon:
                fail("%s: label drug not canonical: %s" % (rid, d))
        if len(set(label)) != len(label):
            fail("%s: duplicate label drugs" % rid)
    if len(set(pids)) != len(pids):
        fail("患者序号 not distinct")

    # --- styles ---
    if list(styles.keys()) != EXPECTED_IDS:
        fail("styles.json keys differ from the ids in order")
    for rid, st in styles.items():
        if st not in VALID_STYLES:
            fail("%s: invalid style %r" % (rid, st))
        if EXPECTED_STYLE.get(rid) != st:
            fail("%s: style %r, planned %r" % (rid, st, EXPECTED_STYLE.get(rid)))

    # --- ruled-out ---
    if list(ruled.keys()) != EXPECTED_IDS:
        fail("ruled-out.json keys differ from the ids in order")
    by_id = {r.get("就诊标识"): r for r in records}
    for rid, entries in ruled.items():
        r = by_id.get(rid)
        if r is None:
            fail("ruled-out.json: unknown id %s" % rid)
            continue
        if not isinstance(entries, list):
            fail("%s: ruled-out value not a list" % rid)
            continue
        label = set(r.get("出院带药列表") or [])
        texts = [r.get(k) or "" for k in TEXT_FIELDS]
        seen = set()
        for e in entries:
            if not (isinstance(e, dict) and set(e.keys()) == {"drug", "reason", "evidence"}):
                fail("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (rid, e))
                continue
            d, reason, ev = e["drug"], e["reason"], e["evidence"]
            if d not in canon:
                fail("%s: ruled-out drug not canonical: %s" % (rid, d))
            if d in label:
                fail("%s: ruled-out drug in its own label: %s" % (rid, d))
            if d in seen:
                fail("%s: ruled-out drug listed twice: %s" % (rid, d))
            seen.add(d)
            if not (isinstance(reason, str) and reason.strip()):
                fail("%s: empty reason for %s" % (rid, d))
            if not (isinstance(ev, str) and ev.strip() and any(ev in t for t in texts)):
                fail("%s: evidence for %s not verbatim in a text field: %r" % (rid, d, ev))
        if styles.get(rid) == "stop-switch-allergy" and not entries:
            fail("%s: stop-switch-allergy record without ruled-out entries" % rid)

    # --- long-course length ---
    for r in records:
        rid = r.get("就诊标识")
        if styles.get(rid) == "long-course":
            n = len(r.get("诊疗过程描述") or "")
            if not 360 <= n <= 530:
                fail("%s: long-course 诊疗过程描述 has %d characters (360-530)" % (rid, n))

    # --- written files equal a fresh build ---
    fresh = build.build_outputs()
    for name in build.OUT_FILES:
        with open(os.path.join(HERE, name), encoding="utf-8", newline="") as fh:
            if fh.read() != fresh[name]:
                fail("%s differs from a fresh build (run build.py)" % name)

    if fails:
        for m in fails:
            print("FAIL:", m)
        print("%d failure(s)" % len(fails))
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
