"""Validate the partB files (hd15-031 .. hd15-060, Author 15-B).

Run:  /usr/bin/python3 validate.py [path/to/formulary.json]
Prints "OK: all checks passed" or the list of failures (exit code 1).

The formulary is looked up as: command-line argument, $DRX_FORMULARY,
/tmp/hw12-brief/formulary.json, then the repository's src/clinical/data/formulary.json.
"""

import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import build  # noqa: E402

EXPECTED_IDS = [f"hd15-{i:03d}" for i in range(31, 61)]
EXPECTED_STYLES = {}
for _i in range(31, 41):
    EXPECTED_STYLES[f"hd15-{_i:03d}"] = "terse"
for _i in range(41, 51):
    EXPECTED_STYLES[f"hd15-{_i:03d}"] = "trade-names"
for _i in range(51, 61):
    EXPECTED_STYLES[f"hd15-{_i:03d}"] = "long-course"
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names", "stop-switch-allergy"}
TEXT_FIELDS = ["主诉", "现病史", "既往史", "入院情况", "诊疗过程描述"]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间"] + TEXT_FIELDS
LONG_MIN, LONG_MAX = 360, 530


def formulary_path():
    cands = []
    if len(sys.argv) > 1:
        cands.append(sys.argv[1])
    if os.environ.get("DRX_FORMULARY"):
        cands.append(os.environ["DRX_FORMULARY"])
    cands.append("/tmp/hw12-brief/formulary.json")
    cands.append(os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "src", "clinical", "data", "formulary.json")))
    for c in cands:
        if os.path.isfile(c):
            return c
    return None


def main():
    fails = []

    def fail(msg):
        fails.append(msg)

    fpath = formulary_path()
    if fpath is None:
        print("FAIL: formulary.json not found (pass its path as the first argument)")
        sys.exit(1)
    with open(fpath, encoding="utf-8") as fh:
        names = {d["name"] for d in json.load(fh)["drugs"]}

    # --- files on disk equal a fresh build ---
    fresh = build.build()
    disk = {}
    for name in build.OUTPUTS:
        p = os.path.join(HERE, name)
        if not os.path.isfile(p):
            fail(f"{name}: missing (run build.py)")
            continue
        with open(p, encoding="utf-8", newline="") as fh:
            disk[name] = fh.read()
        if disk[name] != fresh[name]:
            fail(f"{name}: differs from a fresh build (re-run build.py)")
    if fails:
        report(fails)

    lines = [ln for ln in disk["records.jsonl"].split("\n") if ln != ""]
    if not disk["records.jsonl"].endswith("\n"):
        fail("records.jsonl: missing final newline")
    records = []
    for i, ln in enumerate(lines, 1):
        try:
            records.append(json.loads(ln))
        except json.JSONDecodeError as e:
            fail(f"records.jsonl line {i}: invalid JSON ({e})")
    styles = json.loads(disk["styles.json"])
    ruled = json.loads(disk["ruled-out.json"])

    # --- count and ids ---
    if len(records) != 30:
        fail(f"expected 30 records, found {len(records)}")
    ids = [r.get("就诊标识") for r in records]
    if ids != EXPECTED_IDS:
        fail(f"ids not hd15-031..hd15-060 in order: {ids}")

    # --- per-record field checks ---
    pids = []
    for r in records:
        rid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fail(f"{rid}: fields/order differ from CDRUGRED_FIELDS: {list(r.keys())}")
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                fail(f"{rid}: {f} must be a string")
        for f in ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间", "主诉", "现病史", "诊疗过程描述"]:
            if isinstance(r.get(f), str) and not r[f].strip():
                fail(f"{rid}: {f} is empty")
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fail(f"{rid}: 患者序号 must be a 6-digit string, got {pid!r}")
        pids.append(pid)
        bmi = r.get("BMI")
        if not (bmi is None or (isinstance(bmi, (int, float)) and not isinstance(bmi, bool))):
            fail(f"{rid}: BMI must be a number or null")
        elif bmi is not None and not (12 <= bmi <= 60):
            fail(f"{rid}: BMI {bmi} implausible")
        for f in ["出生日期", "就诊时间"]:
            v = r.get(f)
            if isinstance(v, str) and not (len(v) == 10 and v[4] == "-" and v[7] == "-" and (v[:4] + v[5:7] + v[8:]).isdigit()):
                fail(f"{rid}: {f} not YYYY-MM-DD: {v!r}")
        v = r.get("就诊时间")
        if isinstance(v, str) and not ("2021" <= v[:4] <= "2024"):
            fail(f"{rid}: 就诊时间 outside 2021-2024")
        dx = r.get("出院诊断")
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x.strip() for x in dx)):
            fail(f"{rid}: 出院诊断 must be a non-empty list of non-empty strings")
        label = r.get("出院带药列表")
        if not (isinstance(label, list) and all(isinstance(x, str) for x in label)):
            fail(f"{rid}: 出院带药列表 must be a list of strings")
            label = []
        if not label:
            fail(f"{rid}: 出院带药列表 is empty")
        for d in label:
            if d not in names:
                fail(f"{rid}: label drug {d!r} is not a canonical formulary name")
        if len(set(label)) != len(label):
            fail(f"{rid}: duplicate drugs in label")

        # styles
        st = styles.get(rid)
        if st not in VALID_STYLES:
            fail(f"{rid}: style {st!r} is not a LABELLING.md section 3 style")
        elif st != EXPECTED_STYLES.get(rid):
            fail(f"{rid}: style {st!r}, expected {EXPECTED_STYLES.get(rid)!r}")
        if st == "long-course":
            n = len(r.get("诊疗过程描述", ""))
            if not (LONG_MIN <= n <= LONG_MAX):
                fail(f"{rid}: long-course 诊疗过程描述 is {n} characters (need {LONG_MIN}-{LONG_MAX})")

        # ruled-out
        ro = ruled.get(rid)
        if not isinstance(ro, list):
            fail(f"{rid}: missing from ruled-out.json")
            continue
        seen = set()
        for e in ro:
            if not (isinstance(e, dict) and set(e.keys()) == {"drug", "reason", "evidence"}):
                fail(f"{rid}: ruled-out entry must have exactly drug/reason/evidence: {e!r}")
                continue
            d, reason, ev = e["drug"], e["reason"], e["evidence"]
            if d not in names:
                fail(f"{rid}: ruled-out drug {d!r} is not a canonical formulary name")
            if d in label:
                fail(f"{rid}: ruled-out drug {d!r} is in its own label")
            if d in seen:
                fail(f"{rid}: ruled-out drug {d!r} listed twice")
            seen.add(d)
            if not (isinstance(reason, str) and reason.strip()):
                fail(f"{rid}: ruled-out {d!r} has an empty reason")
            if not (isinstance(ev, str) and ev.strip() and any(ev in r.get(f, "") for f in TEXT_FIELDS)):
                fail(f"{rid}: ruled-out {d!r} evidence is not a verbatim substring of a text field: {ev!r}")

    if len(set(pids)) != len(pids):
        fail("患者序号 values are not distinct")
    if set(styles) != set(EXPECTED_IDS):
        fail("styles.json keys differ from the record ids")
    if set(ruled) != set(EXPECTED_IDS):
        fail("ruled-out.json keys differ from the record ids")

    report(fails)


def report(fails):
    if fails:
        print(f"FAILED: {len(fails)} problem(s)")
        for f in fails:
            print("  - " + f)
        sys.exit(1)
    print("OK: all checks passed")
    sys.exit(0)


if __name__ == "__main__":
    main()
