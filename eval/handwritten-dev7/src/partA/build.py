# -*- coding: utf-8 -*-
"""Assemble the hand-written records of partA into the data files.

Run with /usr/bin/python3 from this folder (stdlib only).  Reads only the rec_*.py
source files next to it; writes records.jsonl, styles.json, ruled-out.json and README.md.
"""
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rec_01_05  # noqa: E402
import rec_06_10  # noqa: E402
import rec_11_15  # noqa: E402
import rec_16_20  # noqa: E402
import rec_21_25  # noqa: E402
import rec_26_30  # noqa: E402

# The 14 fields in the order of CDRUGRED_FIELDS in record.ts.
FIELDS = [
    "患者序号", "就诊标识", "性别", "出生日期", "民族", "BMI", "就诊时间",
    "诊疗过程描述", "入院情况", "现病史", "既往史", "主诉", "出院诊断", "出院带药列表",
]
SEED = 7_2024_0607

# One-line description of each record's scenario and deliberate traps (for reviewers).
SCENARIOS = {
    "hd7-001": "T2DM, hypoglycaemia on self-escalated glimepiride (ruled out); insulin pump inpatient only",
    "hd7-002": "T1DM DKA after off-label dapagliflozin (SGLT2i class ruled out); IV insulin; penicillin skin test +",
    "hd7-003": "pregnancy 24 wk + pre-existing T2DM/HTN; valsartan/atorvastatin stopped (pregnancy); basal-bolus + labetalol",
    "hd7-004": "new Graves disease, mild leukopenia: MMI + propranolol + leucogen",
    "hd7-005": "MMI agranulocytosis (MMI/PTU ruled out); G-CSF + IV pip-tazo inpatient; oral cefixime to finish",
    "hd7-006": "elderly hypothyroidism + CHD post-PCI; L-T4 titrated; home 复方丹参滴丸 absent from complete list",
    "hd7-007": "gout flare + HTN on valsartan/HCTZ (thiazides ruled out); IV dexamethasone inpatient; febuxostat + colchicine",
    "hd7-008": "DKD CKD4, K 5.9 (benazepril ruled out), eGFR 24 (metformin ruled out), anaemia, phosphate; ZS-9 2 days",
    "hd7-009": "HFrEF post-MI: pioglitazone (HF) and enalapril (ARNI switch) ruled out; rhBNP/IV furosemide inpatient",
    "hd7-010": "postmenopausal OP with L1 fracture; zoledronic acid IV in hospital (excluded); calcitonin inpatient only",
    "hd7-011": "AF on labile warfarin -> rivaroxaban (warfarin, aspirin ruled out); renal dose adjustments",
    "hd7-012": "diabetic foot Wagner 2 + neuropathy + PAD; pump/IV cefuroxime/alprostadil/IV ALA inpatient; oral conversions",
    "hd7-013": "primary aldosteronism; ARR wash-out verapamil/doxazosin abandoned; KCl stopped on spironolactone (ruled out)",
    "hd7-014": "subacute thyroiditis; ibuprofen replaced by prednisone taper; home cefuroxime stopped before admission",
    "hd7-015": "T2DM + MAFLD + obesity + HTG with prior pancreatitis (GLP-1 RA class ruled out)",
    "hd7-016": "T2DM, 亚莫利 dropped for 诺和泰 (not ruled out); 降压、调脂同前",
    "hd7-017": "aspirin-related duodenal ulcer bleed (aspirin ruled out) -> 波立维 + 潘妥洛克; IV 耐信 inpatient; Hp deferred",
    "hd7-018": "new CHD in gout patient on 优立通 (febuxostat ruled out) -> 立加利仙 + 小苏打; 同前 by reference",
    "hd7-019": "gout, HLA-B*5801+ (allopurinol ruled out); 优立通 start, colchicine prophylaxis implicit (rule 8); 施慧达",
    "hd7-020": "Graves in first trimester: 赛治 -> PTU (MMI ruled out); 斯利安 continued",
    "hd7-021": "amiodarone-induced hypothyroidism (amiodarone ruled out); 倍他乐克 restarted; 拜瑞妥/欧唐宁 同前",
    "hd7-022": "OP with 福善美 start, calcium implicit (rule 8); 捷诺达/倍博特 combination products 同前",
    "hd7-023": "hyperkalaemia 6.8 on 安博维 + 安体舒通 (both ruled out); 利倍卓 2 days; 可多华 added",
    "hd7-024": "severe hypoglycaemia in elderly: 达美康 (hypoglycaemia) and 格华止 (eGFR 27) ruled out",
    "hd7-025": "T1DM nocturnal hypoglycaemia: 来得时 -> 诺和达; CSII inpatient only; 优甲乐 for subclinical hypothyroidism",
    "hd7-026": "T2DM + CHD without antiplatelet: aspirin implicit (rule 8); 余同前; 导升明 added",
    "hd7-027": "CAP: IV levofloxacin -> oral 可乐必妥; sliding-scale 诺和锐 stopped; penicillin allergy (ruled out)",
    "hd7-028": "statin myopathy (statin class ruled out) -> 益适纯 + 瑞百安 self-injected q2w",
    "hd7-029": "DKD CKD5 non-dialysis, anaemia/CKD-MBD; 芬必得 stopped (NSAIDs ruled out); IV iron inpatient",
    "hd7-030": "HHS + pyelonephritis, sulfa allergy (SU/thiazide/SMZ-TMP ruled out); IV pip-tazo -> oral 西力欣; BPH",
}

SOURCES = [rec_01_05, rec_06_10, rec_11_15, rec_16_20, rec_21_25, rec_26_30]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    raw = [r for m in SOURCES for r in m.RECORDS]
    ids = [r["就诊标识"] for r in raw]
    expected = ["hd7-%03d" % i for i in range(1, 31)]
    if ids != expected:
        raise SystemExit("ids out of order: %r" % ids)

    rng = random.Random(SEED)
    serials = [str(n) for n in rng.sample(range(100000, 1000000), len(raw))]

    records, styles, ruled_out, rule8 = [], {}, {}, []
    for rec, serial in zip(raw, serials):
        vid = rec["就诊标识"]
        out = {}
        for f in FIELDS:
            out[f] = serial if f == "患者序号" else rec[f]
        extra = set(rec) - set(FIELDS) - {"患者序号", "_style", "_ruled_out", "_rule8"}
        if extra:
            raise SystemExit("%s: unexpected keys %r" % (vid, extra))
        records.append(out)
        styles[vid] = rec["_style"]
        ruled_out[vid] = rec["_ruled_out"]
        for u in rec["_rule8"]:
            rule8.append((vid, u["drug"], u["basis"]))

    p_rec = os.path.join(HERE, "records.jsonl")
    p_sty = os.path.join(HERE, "styles.json")
    p_ro = os.path.join(HERE, "ruled-out.json")
    with open(p_rec, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(p_sty, "w", encoding="utf-8", newline="\n") as f:
        json.dump(styles, f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(p_ro, "w", encoding="utf-8", newline="\n") as f:
        json.dump(ruled_out, f, ensure_ascii=False, indent=2)
        f.write("\n")

    # ---- counts for the README
    n_labels = sum(len(r["出院带药列表"]) for r in records)
    distinct = sorted({d for r in records for d in r["出院带药列表"]})
    n_ro = sum(len(v) for v in ruled_out.values())
    n_ro_rec = sum(1 for v in ruled_out.values() if v)
    ro_distinct = sorted({e["drug"] for v in ruled_out.values() for e in v})
    style_counts = {}
    for s in styles.values():
        style_counts[s] = style_counts.get(s, 0) + 1
    empty_fields = sum(1 for r in records for k in ("诊疗过程描述", "入院情况", "现病史", "既往史", "主诉") if r[k] == "")
    bmi_null = sum(1 for r in records if r["BMI"] is None)

    lines = []
    lines.append("# handwritten-dev7 / partA — 30 hand-written discharge records (hd7-001 … hd7-030)")
    lines.append("")
    lines.append("## How it was written")
    lines.append("")
    lines.append("* Every record was composed by hand, one at a time, from clinical knowledge of Chinese inpatient")
    lines.append("  endocrinology / metabolic-disease practice (2021–2024): each note's 主诉, 现病史, 既往史, 入院情况 and")
    lines.append("  诊疗过程描述, its 出院诊断 and its label were written individually as Python literals in")
    lines.append("  `rec_01_05.py` … `rec_26_30.py`. There are no template loops or slot fillers; `build.py` only orders")
    lines.append("  the 14 fields as in `record.ts`, assigns random 6-digit 患者序号 (fixed seed %d) and writes the files." % SEED)
    lines.append("* Independence: the only files read were `/tmp/hw7-brief/LABELLING.md` (rulebook, read in full),")
    lines.append("  `/tmp/hw7-brief/record.ts` (14-field format) and `/tmp/hw7-brief/formulary.json` (consulted for canonical")
    lines.append("  names/aliases only). Nothing else on the machine was opened, listed, grepped or run (no cohort generator,")
    lines.append("  training data, models, other records or datasets), and no search, fetch or web tool was used.")
    lines.append("* Labels follow LABELLING.md §1 (explicit plan > latest statement > continued home drugs; inpatient-only,")
    lines.append("  long-interval and abandoned temporary drugs excluded; §1.1 class defaults; §1.2 name folding). Ruled-out")
    lines.append("  entries follow §2; their `evidence` is a verbatim substring of a free-text field of the same record.")
    lines.append("* Patients, hospitals and identifiers are fictitious.")
    lines.append("")
    lines.append("## Counts")
    lines.append("")
    lines.append("| item | value |")
    lines.append("|---|---|")
    lines.append("| records | %d |" % len(records))
    lines.append("| styles | %s |" % ", ".join("%s %d" % (k, v) for k, v in sorted(style_counts.items())))
    lines.append("| label entries (出院带药列表, total) | %d |" % n_labels)
    lines.append("| labels per record (min / mean / max) | %d / %.1f / %d |" % (
        min(len(r["出院带药列表"]) for r in records), n_labels / len(records),
        max(len(r["出院带药列表"]) for r in records)))
    lines.append("| distinct canonical names in labels | %d |" % len(distinct))
    lines.append("| ruled-out entries (total) | %d |" % n_ro)
    lines.append("| records with ≥1 ruled-out entry | %d |" % n_ro_rec)
    lines.append("| distinct ruled-out drugs | %d |" % len(ro_distinct))
    lines.append("| §1 rule 8 (implicit standard drug) uses | %d |" % len(rule8))
    lines.append("| empty free-text fields | %d |" % empty_fields)
    lines.append("| records with BMI null | %d |" % bmi_null)
    lines.append("")
    lines.append("Ruled-out entries per style: %s." % ", ".join(
        "%s %d" % (s, sum(len(ruled_out[k]) for k in styles if styles[k] == s)) for s in sorted(style_counts)))
    lines.append("")
    lines.append("## §1 rule 8 uses (implicit standard drugs in the label, not written in the note)")
    lines.append("")
    lines.append("| id | implicit drug | basis |")
    lines.append("|---|---|---|")
    for vid, drug, basis in rule8:
        lines.append("| %s | %s | %s |" % (vid, drug, basis))
    lines.append("")
    lines.append("## Records")
    lines.append("")
    lines.append("| id | style | labels | ruled-out | scenario / traps |")
    lines.append("|---|---|---|---|---|")
    for r in records:
        vid = r["就诊标识"]
        lines.append("| %s | %s | %d | %d | %s |" % (vid, styles[vid], len(r["出院带药列表"]),
                                                 len(ruled_out[vid]), SCENARIOS[vid]))
    lines.append("")
    lines.append("## Files")
    lines.append("")
    lines.append("* `records.jsonl` — 30 records, one JSON object per line, keys in `record.ts` order.")
    lines.append("* `styles.json` — primary documentation style per 就诊标识.")
    lines.append("* `ruled-out.json` — safety-ruled-out drugs per 就诊标识 (`drug`, `reason`, `evidence`).")
    lines.append("* `rec_*.py` (sources), `build.py` (assembly), `validate.py` (stdlib checks; must pass).")
    lines.append("")
    lines.append("## SHA-256 (sha256sum)")
    lines.append("")
    lines.append("```")
    for p in (p_rec, p_sty, p_ro):
        lines.append("%s  %s" % (sha256(p), os.path.basename(p)))
    lines.append("```")
    lines.append("")
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))

    print("wrote %d records, %d labels (%d distinct), %d ruled-out entries, %d rule-8 uses"
          % (len(records), n_labels, len(distinct), n_ro, len(rule8)))


if __name__ == "__main__":
    main()
