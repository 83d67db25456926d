# -*- coding: utf-8 -*-
"""Validate /tmp/hw6-out/partA data files (stdlib only).

Usage: /usr/bin/python3 validate.py [--partial]
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = "/tmp/hw6-brief/formulary.json"
FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
          "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表"]
TEXT = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STYLES = {"class-plan", "terse"}
N = 30


def main():
    partial = "--partial" in sys.argv
    errs = []
    canon = {d["name"] for d in json.load(open(FORMULARY, encoding="utf-8"))["drugs"]}

    with open(os.path.join(HERE, "records.jsonl"), "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("FAIL: not UTF-8:", e)
        return 1
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if not partial and len(lines) != N:
        errs.append("expected %d lines, got %d" % (N, len(lines)))
    if "\\u" in text:
        errs.append("records.jsonl contains \\u escapes (ensure_ascii must be False)")

    recs = []
    for i, ln in enumerate(lines, 1):
        try:
            r = json.loads(ln)
        except ValueError as e:
            errs.append("line %d: bad JSON: %s" % (i, e))
            continue
        recs.append(r)
        if list(r.keys()) != FIELDS:
            errs.append("line %d: keys/order wrong: %s" % (i, list(r.keys())))
            continue
        rid = r["就诊标识"]
        exp = "hd6-%03d" % i
        if rid != exp:
            errs.append("line %d: id %s, expected %s" % (i, rid, exp))
        if not re.fullmatch(r"\d{6}", str(r["患者序号"])) or not isinstance(r["患者序号"], str):
            errs.append("%s: 患者序号 not a 6-digit string" % rid)
        for k in ["性别", "出生日期", "民族", "就诊时间"] + TEXT:
            if not isinstance(r[k], str):
                errs.append("%s: %s not a string" % (rid, k))
        if r["性别"] not in ("男", "女"):
            errs.append("%s: 性别 %r" % (rid, r["性别"]))
        for k in ("出生日期", "就诊时间"):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[k]):
                errs.append("%s: %s format" % (rid, k))
        if not ("2021-01-01" <= r["就诊时间"] <= "2024-12-31"):
            errs.append("%s: 就诊时间 outside 2021-2024" % rid)
        if r["BMI"] is not None and not isinstance(r["BMI"], (int, float)):
            errs.append("%s: BMI not number/null" % rid)
        if not r["主诉"].strip():
            errs.append("%s: empty 主诉" % rid)
        dx = r["出院诊断"]
        if not isinstance(dx, list) or not dx or not all(isinstance(x, str) and x for x in dx):
            errs.append("%s: 出院诊断 must be a non-empty list of strings" % rid)
        lab = r["出院带药列表"]
        if not isinstance(lab, list) or not lab:
            errs.append("%s: label must be a non-empty list" % rid)
            continue
        if len(set(lab)) != len(lab):
            errs.append("%s: duplicate label drugs" % rid)
        for d in lab:
            if d not in canon:
                errs.append("%s: label %r not canonical" % (rid, d))

    ids = [r.get("就诊标识") for r in recs]
    pids = [r.get("患者序号") for r in recs]
    if len(set(ids)) != len(ids):
        errs.append("duplicate 就诊标识")
    if len(set(pids)) != len(pids):
        errs.append("duplicate 患者序号")

    styles = json.load(open(os.path.join(HERE, "styles.json"), encoding="utf-8"))
    if set(styles) != set(ids):
        errs.append("styles.json ids differ from records")
    for k, v in styles.items():
        if v not in STYLES:
            errs.append("%s: bad style %r" % (k, v))
    if not partial:
        for s in STYLES:
            c = sum(1 for v in styles.values() if v == s)
            if c != 15:
                errs.append("style %s: %d records (expected 15)" % (s, c))
        for i in range(1, 16):
            if styles.get("hd6-%03d" % i) != "class-plan":
                errs.append("hd6-%03d should be class-plan" % i)
        for i in range(16, 31):
            if styles.get("hd6-%03d" % i) != "terse":
                errs.append("hd6-%03d should be terse" % i)

    ruled = json.load(open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8"))
    if set(ruled) != set(ids):
        errs.append("ruled-out.json ids differ from records")
    byid = {r["就诊标识"]: r for r in recs if "就诊标识" in r}
    n_ro = 0
    for rid, entries in ruled.items():
        r = byid.get(rid)
        if r is None:
            continue
        if not isinstance(entries, list):
            errs.append("%s: ruled-out not a list" % rid)
            continue
        seen = set()
        for e in entries:
            n_ro += 1
            if set(e.keys()) != {"drug", "reason", "evidence"}:
                errs.append("%s: ruled-out entry keys %s" % (rid, sorted(e.keys())))
                continue
            d = e["drug"]
            if d not in canon:
                errs.append("%s: ruled-out %r not canonical" % (rid, d))
            if d in r["出院带药列表"]:
                errs.append("%s: ruled-out %r is in label" % (rid, d))
            if d in seen:
                errs.append("%s: ruled-out %r duplicated" % (rid, d))
            seen.add(d)
            if not e["reason"].strip():
                errs.append("%s: empty reason for %s" % (rid, d))
            ev = e["evidence"]
            if not ev or not any(ev in r[k] for k in TEXT):
                errs.append("%s: evidence for %s not verbatim in free text: %r" % (rid, d, ev))

    if errs:
        print("FAIL (%d problems)" % len(errs))
        for e in errs:
            print("  -", e)
        return 1
    print("OK: %d records, %d ruled-out entries, styles %s" % (
        len(recs), n_ro, {s: sum(1 for v in styles.values() if v == s) for s in sorted(STYLES)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
