#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Validate the Author 13-A part-A files.

Usage: python3 validate.py [path/to/formulary.json]
The formulary is looked up in: argv[1], $HW13_FORMULARY, /tmp/hw12-brief/formulary.json.
Prints "OK: all checks passed" or the list of failures (exit 1).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import build  # noqa: E402

N = 30
IDS = [f"hd13-{i:03d}" for i in range(1, N + 1)]
EXPECTED_STYLE = {}
for i, rid in enumerate(IDS):
    EXPECTED_STYLE[rid] = ["class-plan", "stop-switch-allergy", "terse"][i // 10]
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
STR_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]


def find_formulary():
    cands = []
    if len(sys.argv) > 1:
        cands.append(sys.argv[1])
    if os.environ.get("HW13_FORMULARY"):
        cands.append(os.environ["HW13_FORMULARY"])
    cands.append("/tmp/hw12-brief/formulary.json")
    for c in cands:
        if os.path.isfile(c):
            return c
    return None


def main():
    fails = []
    fail = fails.append

    fpath = find_formulary()
    if not fpath:
        print("FAIL: formulary.json not found (pass its path as argv[1])")
        return 1
    with open(fpath, encoding="utf-8") as fh:
        names = {d["name"] for d in json.load(fh)["drugs"]}

    # the written files must equal a fresh build
    fresh = build.build()
    for name, text in fresh.items():
        p = os.path.join(HERE, name)
        if not os.path.isfile(p):
            fail(f"{name}: missing (run build.py)")
            continue
        with open(p, encoding="utf-8", newline="") as fh:
            if fh.read() != text:
                fail(f"{name}: differs from a fresh build (run build.py)")

    with open(os.path.join(HERE, "records.jsonl"), encoding="utf-8") as fh:
        lines = [l for l in fh.read().split("\n") if l.strip()]
    recs = []
    for k, l in enumerate(lines, 1):
        try:
            recs.append(json.loads(l))
        except ValueError as e:
            fail(f"records.jsonl line {k}: bad JSON ({e})")
    with open(os.path.join(HERE, "styles.json"), encoding="utf-8") as fh:
        styles = json.load(fh)
    with open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8") as fh:
        ruled = json.load(fh)

    if len(recs) != N:
        fail(f"records.jsonl: {len(recs)} records, expected {N}")
    got_ids = [r.get("就诊标识") for r in recs]
    if got_ids != IDS[: len(recs)] or len(recs) != N:
        fail(f"ids not hd13-001..hd13-{N:03d} in order: {got_ids}")

    pids = []
    for r in recs:
        rid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fail(f"{rid}: fields/order {list(r.keys())} != CDRUGRED_FIELDS")
        for f in STR_FIELDS + TEXT_FIELDS:
            if not isinstance(r.get(f), str):
                fail(f"{rid}: {f} is not a string")
        for f in STR_FIELDS:
            if isinstance(r.get(f), str) and not r[f].strip():
                fail(f"{rid}: {f} is empty")
        if not isinstance(r.get("主诉"), str) or not r.get("主诉", "").strip():
            fail(f"{rid}: 主诉 empty")
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and re.fullmatch(r"\d{6}", pid)):
            fail(f"{rid}: 患者序号 {pid!r} is not a 6-digit string")
        pids.append(pid)
        bmi = r.get("BMI")
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            fail(f"{rid}: BMI {bmi!r} not number|null")
        if isinstance(bmi, (int, float)) and not isinstance(bmi, bool) and not (12 <= bmi <= 60):
            fail(f"{rid}: BMI {bmi} implausible")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.get("出生日期", "")):
            fail(f"{rid}: 出生日期 {r.get('出生日期')!r} not YYYY-MM-DD")
        if not re.match(r"\d{4}-\d{2}-\d{2}", r.get("就诊时间", "")):
            fail(f"{rid}: 就诊时间 {r.get('就诊时间')!r} does not start with YYYY-MM-DD")
        dx = r.get("出院诊断")
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x.strip() for x in dx)):
            fail(f"{rid}: 出院诊断 must be a non-empty list of strings")
        lab = r.get("出院带药列表")
        if not (isinstance(lab, list) and all(isinstance(x, str) for x in lab)):
            fail(f"{rid}: 出院带药列表 must be a list of strings")
            lab = []
        for d in lab:
            if d not in names:
                fail(f"{rid}: label drug {d!r} is not a canonical formulary name")
        if len(set(lab)) != len(lab):
            fail(f"{rid}: duplicate label drugs {lab}")

        # style
        st = styles.get(rid)
        if st not in VALID_STYLES:
            fail(f"{rid}: style {st!r} invalid")
        elif st != EXPECTED_STYLE.get(rid):
            fail(f"{rid}: style {st!r}, expected {EXPECTED_STYLE.get(rid)!r}")
        if st == "long-course":
            n = len(r.get("诊疗过程描述", ""))
            if not (360 <= n <= 530):
                fail(f"{rid}: long-course course length {n} not in 360-530")

        # ruled-out
        ro = ruled.get(rid)
        if not isinstance(ro, list):
            fail(f"{rid}: ruled-out entry missing or not a list")
            ro = []
        texts = [r.get(f, "") for f in TEXT_FIELDS]
        seen_ro = set()
        for e in ro:
            if not (isinstance(e, dict) and set(e.keys()) == {"drug", "reason", "evidence"}):
                fail(f"{rid}: ruled-out entry {e!r} must have exactly drug/reason/evidence")
                continue
            d, why, ev = e["drug"], e["reason"], e["evidence"]
            if d not in names:
                fail(f"{rid}: ruled-out drug {d!r} is not a canonical formulary name")
            if d in lab:
                fail(f"{rid}: ruled-out drug {d!r} is in its own label")
            if d in seen_ro:
                fail(f"{rid}: ruled-out drug {d!r} listed twice")
            seen_ro.add(d)
            if not (isinstance(why, str) and why.strip()):
                fail(f"{rid}: ruled-out {d!r} has empty reason")
            if not (isinstance(ev, str) and ev.strip() and any(ev in t for t in texts)):
                fail(f"{rid}: ruled-out {d!r} evidence not verbatim in a text field: {ev!r}")
        if st == "stop-switch-allergy" and not ro:
            fail(f"{rid}: stop-switch-allergy record without ruled-out entries")

    if len(set(pids)) != len(pids):
        fail("患者序号 not distinct")
    if set(styles) != set(IDS):
        fail("styles.json keys != record ids")
    if set(ruled) != set(IDS):
        fail("ruled-out.json keys != record ids")

    if fails:
        print(f"FAIL: {len(fails)} problem(s)")
        for f in fails:
            print("  - " + f)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
