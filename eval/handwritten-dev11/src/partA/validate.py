#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Validate handwritten-dev11 part A (records.jsonl, styles.json, ruled-out.json).

Usage:  python3 validate.py [--formulary PATH]
        (default formulary: /tmp/hw7-brief/formulary.json, or $HW11_FORMULARY)

Prints "OK: all checks passed" and exits 0, or lists every failure and exits 1.
Python 3 standard library only.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402  (same directory; used to check the files are up to date)

N_RECORDS = 30
CDRUGRED_FIELDS = build.CDRUGRED_FIELDS
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def expected_style(i):
    """Style assignment of the brief: 001-010 long-course, 011-020 terse, 021-030 explicit-plan."""
    if 1 <= i <= 10:
        return "long-course"
    if 11 <= i <= 20:
        return "terse"
    return "explicit-plan"


def main(argv):
    fpath = os.environ.get("HW11_FORMULARY", "/tmp/hw7-brief/formulary.json")
    if "--formulary" in argv:
        fpath = argv[argv.index("--formulary") + 1]
    errors = []

    def err(msg):
        errors.append(msg)

    # ---------------------------------------------------------------- load
    try:
        with open(fpath, encoding="utf-8") as fh:
            formulary = json.load(fh)
        canonical = {d["name"] for d in formulary["drugs"]}
    except Exception as e:  # pragma: no cover
        print("FAIL: cannot read formulary %s: %s" % (fpath, e))
        return 1

    try:
        with open(os.path.join(HERE, "records.jsonl"), encoding="utf-8") as fh:
            lines = [ln for ln in fh.read().split("\n") if ln.strip()]
        records = [json.loads(ln) for ln in lines]
        with open(os.path.join(HERE, "styles.json"), encoding="utf-8") as fh:
            styles = json.load(fh)
        with open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8") as fh:
            ruled_out = json.load(fh)
    except Exception as e:
        print("FAIL: cannot read built files (run build.py first): %s" % e)
        return 1

    # ---------------------------------------------------------------- build is up to date
    b_records, b_styles, b_ruled = build.build()
    if records != b_records:
        err("records.jsonl differs from what build.py produces now (re-run build.py)")
    if styles != b_styles:
        err("styles.json differs from what build.py produces now (re-run build.py)")
    if ruled_out != b_ruled:
        err("ruled-out.json differs from what build.py produces now (re-run build.py)")

    # ---------------------------------------------------------------- count and order
    if len(records) != N_RECORDS:
        err("expected %d records, found %d" % (N_RECORDS, len(records)))
    expected_ids = ["hd11-%03d" % i for i in range(1, N_RECORDS + 1)]
    got_ids = [r.get("就诊标识") for r in records]
    if got_ids != expected_ids:
        err("ids not hd11-001..hd11-%03d in order: %s" % (N_RECORDS, got_ids))

    pids = []
    for idx, r in enumerate(records, start=1):
        rid = r.get("就诊标识", "#%d" % idx)

        # fields, order, types
        if list(r.keys()) != CDRUGRED_FIELDS:
            err("%s: fields/order %s != CDRUGRED_FIELDS" % (rid, list(r.keys())))
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                err("%s: field %s must be a string" % (rid, f))
        bmi = r.get("BMI", "missing")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            err("%s: BMI must be a number or null, got %r" % (rid, bmi))
        elif bmi is not None and not (12 <= bmi <= 70):
            err("%s: implausible BMI %r" % (rid, bmi))
        for f in ("出院诊断", "出院带药列表"):
            v = r.get(f)
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                err("%s: %s must be a list of non-empty strings" % (rid, f))
        if isinstance(r.get("出院诊断"), list) and not r["出院诊断"]:
            err("%s: 出院诊断 is empty" % rid)

        pid = r.get("患者序号")
        if not (isinstance(pid, str) and re.fullmatch(r"\d{6}", pid)):
            err("%s: 患者序号 must be a 6-digit string, got %r" % (rid, pid))
        pids.append(pid)
        if r.get("性别") not in ("男", "女"):
            err("%s: 性别 must be 男/女" % rid)
        for f in ("出生日期", "就诊时间"):
            if not (isinstance(r.get(f), str) and DATE_RE.match(r[f])):
                err("%s: %s must be YYYY-MM-DD" % (rid, f))
        if isinstance(r.get("出生日期"), str) and isinstance(r.get("就诊时间"), str):
            if r["出生日期"] >= r["就诊时间"]:
                err("%s: 出生日期 not before 就诊时间" % rid)
            if not ("2021-01-01" <= r["就诊时间"] <= "2024-12-31"):
                err("%s: 就诊时间 outside 2021-2024" % rid)
        if not r.get("主诉"):
            err("%s: 主诉 is empty" % rid)

        # label
        label = r.get("出院带药列表") if isinstance(r.get("出院带药列表"), list) else []
        if not label:
            err("%s: empty 出院带药列表" % rid)
        if len(set(label)) != len(label):
            err("%s: duplicate drugs in label" % rid)
        for d in label:
            if d not in canonical:
                err("%s: label drug %r is not a canonical formulary name" % (rid, d))

        # style
        st = styles.get(rid)
        if st not in VALID_STYLES:
            err("%s: invalid style %r" % (rid, st))
        elif idx <= N_RECORDS and st != expected_style(idx):
            err("%s: style %r, expected %r" % (rid, st, expected_style(idx)))
        if st == "long-course":
            course = r.get("诊疗过程描述", "")
            n_cjk = len(CJK_RE.findall(course))
            if n_cjk < 360 or len(course) > 530:
                err("%s: long-course 诊疗过程描述 must have >=360 CJK chars and <=530 chars in all "
                    "(has %d CJK, %d total)" % (rid, n_cjk, len(course)))

        # ruled-out
        if rid not in ruled_out:
            err("%s: missing from ruled-out.json" % rid)
            continue
        entries = ruled_out[rid]
        if not isinstance(entries, list):
            err("%s: ruled-out entry must be a list" % rid)
            continue
        seen = set()
        texts = [r.get(f, "") for f in TEXT_FIELDS if isinstance(r.get(f), str)]
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {"drug", "reason", "evidence"}:
                err("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (rid, e))
                continue
            d, reason, ev = e["drug"], e["reason"], e["evidence"]
            if not all(isinstance(x, str) and x for x in (d, reason, ev)):
                err("%s: ruled-out entry fields must be non-empty strings: %r" % (rid, e))
                continue
            if d not in canonical:
                err("%s: ruled-out drug %r is not a canonical formulary name" % (rid, d))
            if d in label:
                err("%s: ruled-out drug %r is in the label" % (rid, d))
            if d in seen:
                err("%s: ruled-out drug %r listed twice" % (rid, d))
            seen.add(d)
            if not any(ev in t for t in texts):
                err("%s: evidence for %r is not a verbatim substring of a free-text field: %r"
                    % (rid, d, ev))

    if len(set(pids)) != len(pids):
        err("患者序号 values are not distinct")
    extra_styles = set(styles) - set(got_ids)
    extra_ro = set(ruled_out) - set(got_ids)
    if extra_styles:
        err("styles.json has unknown ids: %s" % sorted(extra_styles))
    if extra_ro:
        err("ruled-out.json has unknown ids: %s" % sorted(extra_ro))

    if errors:
        print("FAIL: %d problem(s)" % len(errors))
        for m in errors:
            print("  - " + m)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
