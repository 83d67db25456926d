# -*- coding: utf-8 -*-
"""Validate the partA data files (stdlib only).  Exit status 0 iff every check passes.

Usage: /usr/bin/python3 validate.py [--formulary PATH] [--record-ts PATH]
"""
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMULARY = "/tmp/hw7-brief/formulary.json"
RECORD_TS = "/tmp/hw7-brief/record.ts"
FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STYLES = {"explicit-plan": 15, "trade-names": 15}

errors = []


def err(msg):
    errors.append(msg)


def main():
    args = sys.argv[1:]
    formulary, record_ts = FORMULARY, RECORD_TS
    if "--formulary" in args:
        formulary = args[args.index("--formulary") + 1]
    if "--record-ts" in args:
        record_ts = args[args.index("--record-ts") + 1]

    # field order as declared in record.ts (if readable) must equal FIELDS
    if os.path.exists(record_ts):
        ts = open(record_ts, encoding="utf-8").read()
        m = re.search(r"CDRUGRED_FIELDS\s*=\s*\[(.*?)\]", ts, re.S)
        ts_fields = re.findall(r"'([^']+)'", m.group(1)) if m else []
        if ts_fields != FIELDS:
            err("record.ts field order differs from validator FIELDS: %r" % ts_fields)

    names = {d["name"] for d in json.load(open(formulary, encoding="utf-8"))["drugs"]}

    # ---------------- records.jsonl
    lines = open(os.path.join(HERE, "records.jsonl"), encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 30:
        err("records.jsonl has %d lines, expected 30" % len(lines))
    records = []
    for i, line in enumerate(lines, 1):
        try:
            r = json.loads(line)
        except ValueError as e:
            err("line %d: invalid JSON (%s)" % (i, e))
            continue
        if not isinstance(r, dict):
            err("line %d: not an object" % i)
            continue
        if list(r.keys()) != FIELDS:
            err("line %d: keys/order %r" % (i, list(r.keys())))
        records.append(r)

    ids = [r.get("就诊标识") for r in records]
    if ids != ["hd7-%03d" % i for i in range(1, 31)]:
        err("ids not hd7-001..hd7-030 in order: %r" % ids)
    if len(set(ids)) != len(ids):
        err("duplicate 就诊标识")
    serials = [r.get("患者序号") for r in records]
    if len(set(serials)) != len(serials):
        err("duplicate 患者序号")
    for r in records:
        vid = r.get("就诊标识")
        s = r.get("患者序号")
        if not (isinstance(s, str) and re.fullmatch(r"[1-9]\d{5}", s)):
            err("%s: 患者序号 %r is not a 6-digit string" % (vid, s))
        for f in FIELDS:
            if f in ("BMI", "出院诊断", "出院带药列表"):
                continue
            if not isinstance(r.get(f), str):
                err("%s: %s is not a string" % (vid, f))
        if not (r.get("BMI") is None or isinstance(r.get("BMI"), (int, float))):
            err("%s: BMI must be a number or null" % vid)
        dx = r.get("出院诊断")
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
            err("%s: 出院诊断 must be a non-empty list of strings" % vid)
        lab = r.get("出院带药列表")
        if not (isinstance(lab, list) and lab):
            err("%s: 出院带药列表 must be a non-empty list" % vid)
            continue
        if len(set(lab)) != len(lab):
            err("%s: duplicate label entries" % vid)
        for d in lab:
            if d not in names:
                err("%s: label %r is not a canonical formulary name" % (vid, d))

    # ---------------- styles.json
    styles = json.load(open(os.path.join(HERE, "styles.json"), encoding="utf-8"))
    if sorted(styles) != sorted(ids):
        err("styles.json keys do not match the record ids")
    counts = {}
    for s in styles.values():
        counts[s] = counts.get(s, 0) + 1
    if counts != STYLES:
        err("style counts %r, expected %r" % (counts, STYLES))
    for i in range(1, 31):
        vid = "hd7-%03d" % i
        want = "explicit-plan" if i <= 15 else "trade-names"
        if styles.get(vid) != want:
            err("%s: style %r, expected %r" % (vid, styles.get(vid), want))

    # ---------------- ruled-out.json
    ro = json.load(open(os.path.join(HERE, "ruled-out.json"), encoding="utf-8"))
    if sorted(ro) != sorted(ids):
        err("ruled-out.json keys do not match the record ids")
    by_id = {r["就诊标识"]: r for r in records}
    n_ro = 0
    for vid, entries in ro.items():
        r = by_id.get(vid)
        if r is None:
            continue
        if not isinstance(entries, list):
            err("%s: ruled-out value is not a list" % vid)
            continue
        seen = set()
        for e in entries:
            n_ro += 1
            if not isinstance(e, dict) or sorted(e) != ["drug", "evidence", "reason"]:
                err("%s: malformed ruled-out entry %r" % (vid, e))
                continue
            d = e["drug"]
            if d not in names:
                err("%s: ruled-out %r is not a canonical formulary name" % (vid, d))
            if d in seen:
                err("%s: ruled-out %r listed twice" % (vid, d))
            seen.add(d)
            if d in r["出院带药列表"]:
                err("%s: ruled-out %r appears in the label" % (vid, d))
            if not (isinstance(e["reason"], str) and e["reason"].strip()):
                err("%s: empty reason for %r" % (vid, d))
            ev = e["evidence"]
            if not (isinstance(ev, str) and ev and any(ev in r[f] for f in TEXT_FIELDS)):
                err("%s: evidence for %r is not a verbatim substring of a free-text field: %r" % (vid, d, ev))

    # ---------------- README hashes (informational consistency check)
    readme = os.path.join(HERE, "README.md")
    if os.path.exists(readme):
        txt = open(readme, encoding="utf-8").read()
        for fn in ("records.jsonl", "styles.json", "ruled-out.json"):
            h = hashlib.sha256(open(os.path.join(HERE, fn), "rb").read()).hexdigest()
            if "%s  %s" % (h, fn) not in txt:
                err("README.md does not carry the current SHA-256 of %s" % fn)

    if errors:
        for e in errors:
            print("FAIL:", e)
        print("%d error(s)" % len(errors))
        sys.exit(1)
    n_lab = sum(len(r["出院带药列表"]) for r in records)
    print("OK: %d records, keys/order as record.ts, ids hd7-001..hd7-030 unique, 患者序号 unique; "
          "%d label entries (%d distinct), all canonical; %d ruled-out entries, all canonical, none in its "
          "label, evidence verbatim; styles %s"
          % (len(records), n_lab, len({d for r in records for d in r["出院带药列表"]}), n_ro,
             ", ".join("%s=%d" % kv for kv in sorted(counts.items()))))


if __name__ == "__main__":
    main()
