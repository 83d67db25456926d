#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Validate the partB hand-written set (hd12-031 … hd12-060).

Usage:  /usr/bin/python3 validate.py [--formulary PATH]

The formulary defaults to $DRX_FORMULARY, else /tmp/hw12-brief/formulary.json (the copy the
author was given). Prints "OK: all checks passed" or the list of failures (exit code 1).
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402

N_EXPECTED = 30
FIRST_ID = 31
STYLE_BY_RANGE = [  # (first, last, style) — the brief's order
    (31, 40, "class-plan"),
    (41, 50, "trade-names"),
    (51, 60, "stop-switch-allergy"),
]
VALID_STYLES = {
    "long-course",
    "terse",
    "explicit-plan",
    "class-plan",
    "trade-names",
    "stop-switch-allergy",
}
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
LONG_COURSE_MIN, LONG_COURSE_MAX = 360, 530
MAX_RULE8 = 4


def load_formulary(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {d["name"] for d in data["drugs"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--formulary",
        default=os.environ.get("DRX_FORMULARY", "/tmp/hw12-brief/formulary.json"),
    )
    args = ap.parse_args()

    fails = []

    def fail(msg):
        fails.append(msg)

    if not os.path.exists(args.formulary):
        print(f"FAIL: formulary not found at {args.formulary} (use --formulary PATH)")
        return 1
    names = load_formulary(args.formulary)

    # ---- files on disk -------------------------------------------------------
    paths = {fn: os.path.join(HERE, fn) for fn in (build.OUT_RECORDS, build.OUT_STYLES, build.OUT_RULED_OUT)}
    disk = {}
    for fn, p in paths.items():
        if not os.path.exists(p):
            fail(f"{fn}: missing (run build.py)")
            continue
        with open(p, encoding="utf-8", newline="") as fh:
            disk[fn] = fh.read()
    if fails:
        print("\n".join("FAIL: " + f for f in fails))
        return 1

    # ---- fresh build must equal the written files ----------------------------
    fresh = build.build()
    for fn, text in fresh.items():
        if disk.get(fn) != text:
            fail(f"{fn}: differs from a fresh build (re-run build.py)")

    # ---- records.jsonl -------------------------------------------------------
    recs = []
    for i, line in enumerate(disk[build.OUT_RECORDS].splitlines(), 1):
        if not line.strip():
            fail(f"records.jsonl line {i}: empty line")
            continue
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError as e:
            fail(f"records.jsonl line {i}: bad JSON ({e})")
    if len(recs) != N_EXPECTED:
        fail(f"records.jsonl: {len(recs)} records, expected {N_EXPECTED}")

    expected_ids = [f"hd12-{FIRST_ID + k:03d}" for k in range(N_EXPECTED)]
    got_ids = [r.get("就诊标识") for r in recs]
    if got_ids != expected_ids[: len(got_ids)] or len(got_ids) != N_EXPECTED:
        fail(f"就诊标识 not hd12-031…hd12-060 in order: {got_ids}")

    pids = []
    for r in recs:
        vid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fail(f"{vid}: fields/order differ from CDRUGRED_FIELDS: {list(r.keys())}")
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str) or not r.get(f).strip():
                fail(f"{vid}: {f} must be a non-empty string")
        bmi = r.get("BMI")
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            fail(f"{vid}: BMI must be number or null")
        if isinstance(bmi, (int, float)) and not isinstance(bmi, bool) and not (12 <= bmi <= 60):
            fail(f"{vid}: BMI {bmi} implausible")
        dx = r.get("出院诊断")
        if not isinstance(dx, list) or not dx or not all(isinstance(x, str) and x.strip() for x in dx):
            fail(f"{vid}: 出院诊断 must be a non-empty list of strings")
        lab = r.get("出院带药列表")
        if not isinstance(lab, list) or not lab or not all(isinstance(x, str) for x in lab):
            fail(f"{vid}: 出院带药列表 must be a non-empty list of strings")
            lab = []
        for d in lab:
            if d not in names:
                fail(f"{vid}: label drug not a canonical formulary name: {d}")
        if len(set(lab)) != len(lab):
            fail(f"{vid}: duplicate label drugs: {lab}")
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fail(f"{vid}: 患者序号 must be a 6-digit string, got {pid!r}")
        pids.append(pid)
    if len(set(pids)) != len(pids):
        fail("患者序号 not distinct")

    # ---- styles.json ---------------------------------------------------------
    styles = json.loads(disk[build.OUT_STYLES])
    if list(styles.keys()) != got_ids:
        fail("styles.json keys differ from record ids")
    for vid, st in styles.items():
        if st not in VALID_STYLES:
            fail(f"{vid}: invalid style {st!r}")
        n = int(vid.split("-")[1])
        for a, b, want in STYLE_BY_RANGE:
            if a <= n <= b and st != want:
                fail(f"{vid}: style {st!r}, brief requires {want!r}")
    by_id = {r["就诊标识"]: r for r in recs if "就诊标识" in r}
    for vid, st in styles.items():
        if st == "long-course" and vid in by_id:
            L = len(by_id[vid]["诊疗过程描述"])
            if not (LONG_COURSE_MIN <= L <= LONG_COURSE_MAX):
                fail(f"{vid}: long-course 诊疗过程描述 has {L} chars, need {LONG_COURSE_MIN}-{LONG_COURSE_MAX}")

    # ---- ruled-out.json ------------------------------------------------------
    ro = json.loads(disk[build.OUT_RULED_OUT])
    if list(ro.keys()) != got_ids:
        fail("ruled-out.json keys differ from record ids")
    for vid, entries in ro.items():
        r = by_id.get(vid)
        if r is None:
            continue
        if not isinstance(entries, list):
            fail(f"{vid}: ruled-out entry must be a list")
            continue
        texts = [r[f] for f in TEXT_FIELDS]
        label = set(r["出院带药列表"])
        seen = set()
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {"drug", "reason", "evidence"}:
                fail(f"{vid}: ruled-out entry must have exactly drug/reason/evidence: {e}")
                continue
            d, reason, ev = e["drug"], e["reason"], e["evidence"]
            if d not in names:
                fail(f"{vid}: ruled-out drug not canonical: {d}")
            if d in label:
                fail(f"{vid}: ruled-out drug {d} is in its own label")
            if d in seen:
                fail(f"{vid}: ruled-out drug {d} listed twice")
            seen.add(d)
            if not isinstance(reason, str) or not reason.strip():
                fail(f"{vid}: ruled-out {d}: empty reason")
            if not isinstance(ev, str) or not ev.strip() or not any(ev in t for t in texts):
                fail(f"{vid}: ruled-out {d}: evidence not verbatim in a text field: {ev!r}")
        if styles.get(vid) == "stop-switch-allergy" and not entries:
            fail(f"{vid}: stop-switch-allergy record without ruled-out entries")

    if fails:
        for f in fails:
            print("FAIL: " + f)
        print(f"{len(fails)} failure(s)")
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
