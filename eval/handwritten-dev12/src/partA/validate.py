# -*- coding: utf-8 -*-
"""Validate part A of the hand-written dev-12 evaluation set.

Checks records.jsonl, styles.json and ruled-out.json (next to this file) against the record
format (record.ts), the formulary's canonical names and the labelling guide, and checks that
the files on disk equal a fresh in-memory build. Prints "OK: all checks passed" or the
failures (exit status 1).

The formulary is read from $FORMULARY if set, else from the first of the candidate paths
below that exists.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build  # noqa: E402

FORMULARY_CANDIDATES = [
    "/tmp/hw12-brief/formulary.json",
    os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "src", "clinical", "data", "formulary.json")),
]

TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
EXPECTED_IDS = ["hd12-%03d" % i for i in range(1, 31)]
EXPECTED_STYLES = {}
for _i, _id in enumerate(EXPECTED_IDS):
    EXPECTED_STYLES[_id] = ["long-course", "terse", "explicit-plan"][_i // 10]
LONG_COURSE_MIN, LONG_COURSE_MAX = 360, 530


def load_formulary_names(errors):
    path = os.environ.get("FORMULARY")
    if not path:
        for cand in FORMULARY_CANDIDATES:
            if os.path.exists(cand):
                path = cand
                break
    if not path or not os.path.exists(path):
        errors.append("formulary.json not found (set $FORMULARY)")
        return set()
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {d["name"] for d in data["drugs"]}


def is_str_list(v):
    return isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)


def main():
    errors = []
    canon = load_formulary_names(errors)

    # --- files equal a fresh build -------------------------------------------------------
    fresh = build.build()
    disk = {}
    for name in build.OUTPUT_FILES:
        p = os.path.join(HERE, name)
        if not os.path.exists(p):
            errors.append("%s missing (run build.py)" % name)
            continue
        with open(p, encoding="utf-8", newline="") as fh:
            disk[name] = fh.read()
        if disk[name] != fresh[name]:
            errors.append("%s differs from a fresh build (run build.py)" % name)
    if len(disk) != len(build.OUTPUT_FILES):
        print("\n".join("FAIL: " + e for e in errors))
        sys.exit(1)

    # --- records ---------------------------------------------------------------------------
    records = []
    for n, line in enumerate(disk["records.jsonl"].splitlines(), 1):
        if not line.strip():
            errors.append("records.jsonl line %d is empty" % n)
            continue
        try:
            records.append(json.loads(line))
        except ValueError as exc:
            errors.append("records.jsonl line %d: bad JSON (%s)" % (n, exc))
    ids = [r.get("就诊标识") for r in records]
    if len(records) != 30:
        errors.append("expected 30 records, found %d" % len(records))
    if ids != EXPECTED_IDS:
        errors.append("ids are not hd12-001 … hd12-030 in order: %s" % ids)

    pids = []
    for r in records:
        rid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            errors.append("%s: fields not exactly CDRUGRED_FIELDS in order: %s" % (rid, list(r.keys())))
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                errors.append("%s: %s is not a string" % (rid, f))
        for f in ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间", "主诉", "现病史", "入院情况", "诊疗过程描述"]:
            if isinstance(r.get(f), str) and not r[f].strip():
                errors.append("%s: %s is empty" % (rid, f))
        bmi = r.get("BMI")
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            errors.append("%s: BMI is neither a number nor null" % rid)
        if isinstance(bmi, (int, float)) and not isinstance(bmi, bool) and not (12 <= bmi <= 60):
            errors.append("%s: BMI %r implausible" % (rid, bmi))
        for f in ["出生日期", "就诊时间"]:
            if isinstance(r.get(f), str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[f]):
                errors.append("%s: %s not YYYY-MM-DD" % (rid, f))
        if r.get("性别") not in ("男", "女"):
            errors.append("%s: 性别 %r" % (rid, r.get("性别")))
        if not is_str_list(r.get("出院诊断")) or not r.get("出院诊断"):
            errors.append("%s: 出院诊断 is not a non-empty list of strings" % rid)
        label = r.get("出院带药列表")
        if not is_str_list(label) or not label:
            errors.append("%s: 出院带药列表 is not a non-empty list of strings" % rid)
            label = []
        for d in label:
            if d not in canon:
                errors.append("%s: label drug %r is not a canonical formulary name" % (rid, d))
        if len(set(label)) != len(label):
            errors.append("%s: duplicate drugs in label" % rid)
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and re.fullmatch(r"\d{6}", pid) and pid[0] != "0"):
            errors.append("%s: 患者序号 %r is not a 6-digit string" % (rid, pid))
        pids.append(pid)
    if len(set(pids)) != len(pids):
        errors.append("患者序号 not distinct")

    # --- styles ----------------------------------------------------------------------------
    styles = json.loads(disk["styles.json"])
    if list(styles.keys()) != EXPECTED_IDS:
        errors.append("styles.json keys are not the 30 ids in order")
    for rid, st in styles.items():
        if st not in VALID_STYLES:
            errors.append("%s: invalid style %r" % (rid, st))
        elif EXPECTED_STYLES.get(rid) != st:
            errors.append("%s: style %r, brief asks %r" % (rid, st, EXPECTED_STYLES.get(rid)))

    by_id = {r.get("就诊标识"): r for r in records}
    for rid, st in styles.items():
        r = by_id.get(rid)
        if r is None:
            continue
        if st == "long-course":
            n = len(r["诊疗过程描述"])
            if not (LONG_COURSE_MIN <= n <= LONG_COURSE_MAX):
                errors.append("%s: long-course 诊疗过程描述 has %d characters (needs %d–%d)"
                              % (rid, n, LONG_COURSE_MIN, LONG_COURSE_MAX))

    # --- ruled-out -------------------------------------------------------------------------
    ruled = json.loads(disk["ruled-out.json"])
    if list(ruled.keys()) != EXPECTED_IDS:
        errors.append("ruled-out.json keys are not the 30 ids in order")
    for rid, entries in ruled.items():
        r = by_id.get(rid)
        if r is None:
            errors.append("ruled-out.json: unknown id %s" % rid)
            continue
        if not isinstance(entries, list):
            errors.append("%s: ruled-out value is not a list" % rid)
            continue
        label = set(r.get("出院带药列表") or [])
        seen = set()
        for e in entries:
            if not isinstance(e, dict) or set(e.keys()) != {"drug", "reason", "evidence"}:
                errors.append("%s: ruled-out entry must have exactly drug/reason/evidence: %r" % (rid, e))
                continue
            drug, reason, ev = e["drug"], e["reason"], e["evidence"]
            if not all(isinstance(x, str) and x.strip() for x in (drug, reason, ev)):
                errors.append("%s: ruled-out entry has an empty or non-string value: %r" % (rid, e))
                continue
            if drug not in canon:
                errors.append("%s: ruled-out drug %r is not a canonical formulary name" % (rid, drug))
            if drug in label:
                errors.append("%s: ruled-out drug %r is in its own label" % (rid, drug))
            if drug in seen:
                errors.append("%s: ruled-out drug %r listed twice" % (rid, drug))
            seen.add(drug)
            if not any(ev in r.get(f, "") for f in TEXT_FIELDS):
                errors.append("%s: evidence for %s is not verbatim in any text field: %r" % (rid, drug, ev))

    if errors:
        for e in errors:
            print("FAIL: " + e)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
