#!/usr/bin/python3
"""Validate part B (hd17-031 .. hd17-060).

Usage: /usr/bin/python3 validate.py [FORMULARY_JSON]
       (default /tmp/hw12-brief/formulary.json)
Prints "OK: all checks passed" or the list of failures (exit status 1).
"""
import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build  # noqa: E402

DEFAULT_FORMULARY = "/tmp/hw12-brief/formulary.json"
EXPECTED_IDS = [f"hd17-{i:03d}" for i in range(31, 61)]
VALID_STYLES = {"long-course", "terse", "explicit-plan", "class-plan", "trade-names",
                "stop-switch-allergy"}
EXPECTED_STYLE = {}
for i, vid in enumerate(EXPECTED_IDS):
    EXPECTED_STYLE[vid] = ["class-plan", "explicit-plan", "trade-names"][i // 10]
STRING_FIELDS = ["患者序号", "就诊标识", "性别", "出生日期", "民族", "就诊时间",
                 "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉"]


def main(argv):
    formulary_path = argv[1] if len(argv) > 1 else DEFAULT_FORMULARY
    fails = []
    names = {d["name"] for d in json.loads(Path(formulary_path).read_text(encoding="utf-8"))["drugs"]}

    # files must exist and equal a fresh build
    fresh = build.build()
    written = {}
    for name in build.OUTPUTS:
        p = HERE / name
        if not p.exists():
            fails.append(f"{name}: missing (run build.py)")
            continue
        written[name] = p.read_text(encoding="utf-8")
        if written[name] != fresh[name]:
            fails.append(f"{name}: differs from a fresh build (run build.py)")
    if len(written) < len(build.OUTPUTS):
        return report(fails)

    recs = [json.loads(line) for line in written["records.jsonl"].splitlines() if line.strip()]
    styles = json.loads(written["styles.json"])
    ruled = json.loads(written["ruled-out.json"])

    # count and ids in order
    if len(recs) != 30:
        fails.append(f"records.jsonl: {len(recs)} records, expected 30")
    ids = [r.get("就诊标识") for r in recs]
    if ids != EXPECTED_IDS:
        fails.append(f"ids not hd17-031..hd17-060 in order: {ids}")

    pids = []
    for r in recs:
        vid = r.get("就诊标识", "?")
        if list(r.keys()) != build.CDRUGRED_FIELDS:
            fails.append(f"{vid}: fields {list(r.keys())} != CDRUGRED_FIELDS order")
        for f in STRING_FIELDS:
            if not isinstance(r.get(f), str):
                fails.append(f"{vid}: {f} is not a string")
        for f in build.TEXT_FIELDS:
            if isinstance(r.get(f), str) and not r[f].strip():
                fails.append(f"{vid}: {f} is empty")
        bmi = r.get("BMI")
        if bmi is not None and (isinstance(bmi, bool) or not isinstance(bmi, (int, float))):
            fails.append(f"{vid}: BMI must be number or null")
        pid = r.get("患者序号")
        if not (isinstance(pid, str) and len(pid) == 6 and pid.isdigit()):
            fails.append(f"{vid}: 患者序号 {pid!r} is not a 6-digit string")
        pids.append(pid)
        dx = r.get("出院诊断")
        if not (isinstance(dx, list) and dx and all(isinstance(x, str) and x for x in dx)):
            fails.append(f"{vid}: 出院诊断 must be a non-empty list of strings")
        label = r.get("出院带药列表")
        if not (isinstance(label, list) and all(isinstance(x, str) for x in label)):
            fails.append(f"{vid}: 出院带药列表 must be a list of strings")
            label = []
        if not label:
            fails.append(f"{vid}: 出院带药列表 is empty")
        for d in label:
            if d not in names:
                fails.append(f"{vid}: label drug {d!r} is not a canonical formulary name")
        if len(set(label)) != len(label):
            fails.append(f"{vid}: duplicate label drugs")

        # style
        st = styles.get(vid)
        if st not in VALID_STYLES:
            fails.append(f"{vid}: style {st!r} invalid")
        elif st != EXPECTED_STYLE.get(vid):
            fails.append(f"{vid}: style {st!r}, expected {EXPECTED_STYLE.get(vid)!r}")
        if st == "long-course":
            n = len(r.get("诊疗过程描述", ""))
            if not 360 <= n <= 530:
                fails.append(f"{vid}: long-course course has {n} characters (360-530)")

        # ruled-out
        entries = ruled.get(vid)
        if not isinstance(entries, list):
            fails.append(f"{vid}: missing from ruled-out.json")
            entries = []
        texts = [r.get(f, "") for f in build.TEXT_FIELDS]
        seen = set()
        for e in entries:
            if set(e.keys()) != {"drug", "reason", "evidence"}:
                fails.append(f"{vid}: ruled-out entry keys {sorted(e.keys())}")
                continue
            d = e["drug"]
            if d not in names:
                fails.append(f"{vid}: ruled-out drug {d!r} is not a canonical formulary name")
            if d in label:
                fails.append(f"{vid}: ruled-out drug {d!r} is in its own label")
            if d in seen:
                fails.append(f"{vid}: ruled-out drug {d!r} listed twice")
            seen.add(d)
            if not (isinstance(e["reason"], str) and e["reason"].strip()):
                fails.append(f"{vid}: ruled-out {d!r} has no reason")
            ev = e["evidence"]
            if not (isinstance(ev, str) and ev and any(ev in t for t in texts)):
                fails.append(f"{vid}: evidence for {d!r} not verbatim in a text field: {ev!r}")

    if len(set(pids)) != len(pids):
        fails.append("患者序号 not distinct")
    if set(styles) != set(EXPECTED_IDS):
        fails.append("styles.json ids differ from records")
    if set(ruled) != set(EXPECTED_IDS):
        fails.append("ruled-out.json ids differ from records")
    return report(fails)


def report(fails):
    if fails:
        print(f"FAILED: {len(fails)} problem(s)")
        for f in fails:
            print("  - " + f)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
