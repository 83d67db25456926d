"""Prompt construction. Mirror of src/clinical/prompt.ts; both read src/clinical/prompt-spec.json.

Every length is counted in Unicode code points (Python str indexing == Array.from in TS).
Keep the two implementations in lock-step; training/tests/fixtures/prompt_parity.json checks it.
"""
import json
import math
import re

from . import PROMPT_SPEC_PATH

_DATE_FULL = re.compile(r"([0-9]{4})[^0-9]{1,3}([0-9]{1,2})[^0-9]{1,3}([0-9]{1,2})")
_DATE_YEAR = re.compile(r"([0-9]{4})")
_BMI_STR = re.compile(r"^[0-9]+(\.[0-9]+)?$")

_SPEC_CACHE = {}


def load_spec(path=None):
    path = path or PROMPT_SPEC_PATH
    if path not in _SPEC_CACHE:
        with open(path, "r", encoding="utf-8") as f:
            _SPEC_CACHE[path] = json.load(f)
    return _SPEC_CACHE[path]


def normalize_text(value, spec):
    """Non-strings -> ''. Runs of whitespace chars (spec.whitespace) -> one space; trimmed."""
    if not isinstance(value, str):
        return ""
    ws = set(spec["whitespace"])
    out = []
    pending_space = False
    for ch in value:
        if ch in ws:
            pending_space = True
            continue
        if pending_space and out:
            out.append(" ")
        pending_space = False
        out.append(ch)
    return "".join(out)


def _parse_date(value):
    if not isinstance(value, str):
        return None
    m = _DATE_FULL.search(value)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = _DATE_YEAR.search(value)
    if m:
        return int(m.group(1)), 0, 0
    return None


def compute_age(birth, visit, spec):
    b = _parse_date(birth)
    v = _parse_date(visit)
    if b is None or v is None:
        return None
    age = v[0] - b[0]
    if b[1] and v[1] and (v[1], v[2]) < (b[1], b[2]):
        age -= 1
    if age < 0 or age > spec["demographics"]["ageMax"]:
        return None
    return age


def format_bmi(value, spec):
    d = spec["demographics"]
    x = None
    if isinstance(value, bool):
        x = None
    elif isinstance(value, (int, float)):
        x = float(value)
    elif isinstance(value, str):
        s = normalize_text(value, spec)
        if _BMI_STR.match(s):
            x = float(s)
    if x is None or not math.isfinite(x) or x < d["bmiMin"] or x > d["bmiMax"]:
        return d["bmiUnknown"]
    n = int(math.floor(x * 10 + 0.5))
    return "%d.%d" % (n // 10, n % 10)


def demographics_line(record, spec):
    d = spec["demographics"]
    sex_raw = normalize_text(record.get("性别"), spec)
    if d["male"] in sex_raw:
        sex = d["male"]
    elif d["female"] in sex_raw:
        sex = d["female"]
    else:
        sex = d["sexUnknown"]
    age = compute_age(record.get("出生日期"), record.get("就诊时间"), spec)
    age_text = d["ageUnknown"] if age is None else "%s%d%s" % (d["agePrefix"], age, d["ageSuffix"])
    bmi_text = d["bmiPrefix"] + format_bmi(record.get("BMI"), spec)
    return d["label"] + d["joiner"].join([sex, age_text, bmi_text])


def diagnosis_items(record, spec):
    raw = record.get(spec["diagnosis"]["key"])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raw = []
    items = []
    for it in raw:
        t = normalize_text(it, spec)
        if t and t not in items:
            items.append(t)
    return items


def split_sentences(text, spec):
    delims = set(spec["sentenceDelimiters"])
    out = []
    cur = []
    for ch in text:
        cur.append(ch)
        if ch in delims:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def is_priority(sentence, spec):
    for ch in sentence:
        if ch in spec["priorityDigits"]:
            return True
    for kw in spec["priorityKeywords"]:
        if kw in sentence:
            return True
    return False


def build_prompt(record, spec=None):
    spec = spec or load_spec()
    sep = spec["lineSeparator"]
    demo = demographics_line(record, spec)
    fields = spec["textFields"]
    texts = {f["key"]: normalize_text(record.get(f["key"]), spec) for f in fields}
    diags = diagnosis_items(record, spec)
    dlabel = spec["diagnosis"]["label"]

    # Fixed cost: demographics line, the answer cue, and label + separator of every non-empty section.
    fixed = len(demo) + len(sep) + len(spec["answerCue"])
    if diags:
        fixed += len(dlabel) + len(sep)
    for f in fields:
        if texts[f["key"]]:
            fixed += len(f["label"]) + len(sep)
    remaining = max(0, spec["totalBudget"] - fixed)

    # 1) diagnoses, whole items while they fit; a first item that alone is too long is cut.
    dbudget = min(spec["diagnosis"]["budget"], remaining)
    joiner = spec["diagnosis"]["joiner"]
    dtext = ""
    for it in diags:
        cand = it if not dtext else dtext + joiner + it
        if len(cand) <= dbudget:
            dtext = cand
        elif not dtext:
            dtext = it[:dbudget]
            break
        else:
            break
    remaining -= len(dtext)

    # 2) sentences: priority tier first, then the rest; fields in selectionOrder; sentence order.
    sents = {f["key"]: split_sentences(texts[f["key"]], spec) for f in fields}
    field_left = {f["key"]: f["budget"] for f in fields}
    all_prio = {f["key"]: bool(f.get("allPriority")) for f in fields}
    chosen = {f["key"]: {} for f in fields}  # index -> text
    min_partial = spec["minPartial"]
    for tier in (1, 2):
        for key in spec["selectionOrder"]:
            for i, s in enumerate(sents[key]):
                prio = all_prio[key] or is_priority(s, spec)
                if (tier == 1) != prio:
                    continue
                room = min(field_left[key], remaining)
                if len(s) <= room:
                    chosen[key][i] = s
                    field_left[key] -= len(s)
                    remaining -= len(s)
                elif room >= min_partial:
                    chosen[key][i] = s[:room]
                    field_left[key] -= room
                    remaining -= room

    # lines: demographics first, then spec.lineOrder (diagnoses last = closest to the answer cue)
    by_key = {}
    if dtext:
        by_key[spec["diagnosis"]["key"]] = dlabel + dtext
    for f in fields:
        picked = chosen[f["key"]]
        if picked:
            by_key[f["key"]] = f["label"] + "".join(picked[i] for i in sorted(picked))
    lines = [demo] + [by_key[k] for k in spec["lineOrder"] if k in by_key]
    lines.append(spec["answerCue"])
    return sep.join(lines)


def format_target(drugs, order=None, spec=None):
    """Deduplicate, sort by position in `order` (unknown names keep input order, after known ones),
    join with the separator token and append the end token."""
    spec = spec or load_spec()
    seen = []
    for d in drugs or []:
        if isinstance(d, str) and d and d not in seen:
            seen.append(d)
    if order is not None:
        rank = {}
        for i, name in enumerate(order):
            rank.setdefault(name, i)
        big = len(rank)
        seen = [d for _, d in sorted(enumerate(seen), key=lambda p: (rank.get(p[1], big), p[0]))]
    t = spec["target"]
    return t["separator"].join(seen) + t["end"]
