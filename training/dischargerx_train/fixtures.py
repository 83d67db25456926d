"""Writes the cross-language fixtures under training/tests/fixtures/:

- prompt_parity.json  {spec_version, records, prompts, token_ids, targets}: checked by the Python
  unittest and by src/clinical/prompt.test.ts (buildPrompt / formatTarget / transformers.js tokenizer)
- tokenizer/          the char tokenizer the token_ids come from
- micro-model/        a tiny random (seeded) Llama exported like a real model (fp32, q8, q4)
                      + reference.json (PyTorch logits and greedy ids) for training/node/*
Run: /usr/bin/python3 training/make_fixtures.py
"""
import json
import os

import torch

from . import REPO_ROOT
from .data import Candidates, read_jsonl
from .export_onnx import export_onnx, generation_config, hf_config, write_json
from .model import LlamaLM
from .prompt import build_prompts, format_target, load_spec
from .quantize import quantize_file
from .tokenizer import CharTokenizer

FIXTURES = os.path.join(REPO_ROOT, "training", "tests", "fixtures")


def parity_records():
    tiny = read_jsonl(os.path.join(FIXTURES, "tiny", "train.jsonl"), limit=2)
    long_text = "".join("第%d次复查空腹血糖%.1fmmol/L，继续口服二甲双胍0.5g tid。患者无不适，饮食可。" % (i, 6 + i * 0.3)
                        for i in range(40))
    recs = [
        tiny[0],
        {  # long: triggers every budget
            "患者序号": 7, "就诊标识": "P-long", "性别": "女性", "出生日期": "1950-12-31", "民族": "汉族", "BMI": 31.04,
            "就诊时间": "2024-12-30 08:00:00", "诊疗过程描述": long_text, "入院情况": long_text[:500],
            "现病史": "患者10年前无明显诱因出现口干多饮。" * 20 + long_text[:300], "既往史": "高血压病史20年。" * 30,
            "主诉": "口干多饮10年，血糖控制不佳伴双下肢麻木3月余，要求住院系统治疗并调整降糖方案。",
            "出院诊断": ["2型糖尿病伴多个并发症", "糖尿病周围神经病变", "高血压病3级（极高危）", "高脂血症", "高尿酸血症",
                     "非酒精性脂肪性肝病", "骨质疏松症", "慢性胃炎", "冠状动脉粥样硬化性心脏病", "甲状腺结节",
                     "颈动脉斑块形成", "腔隙性脑梗死"],
            "出院带药列表": ["二甲双胍", "阿托伐他汀", "阿司匹林"],
        },
        {  # missing nearly everything, diagnosis as a string
            "就诊标识": "P-missing", "BMI": None, "出院诊断": "2型糖尿病",
        },
        {  # odd BMI (string with 2 decimals), Chinese dates, visit before birthday
            "就诊标识": "P-odd-bmi", "性别": "男", "出生日期": "1960年5月3日", "就诊时间": "2021年05月02日", "BMI": "23.45",
            "主诉": "血糖升高5年", "现病史": "  \n\t多饮多尿 ", "既往史": "", "入院情况": None, "诊疗过程描述": 123,
            "出院诊断": ["2型糖尿病", "2型糖尿病", "", "高血压"], "出院带药列表": [],
        },
        {  # BMI ties and out of range, whitespace runs, special-token strings, astral chars
            "就诊标识": "P-weird-text", "性别": "F", "出生日期": "2030-01-01", "就诊时间": "2024-01-01", "BMI": 24.25,
            "主诉": "头晕<s>乏力</s>1周<sep>", "现病史": "患者\u3000\u3000近1周头晕😀，血压160/100mmHg；\r\n自服𠀀药。",
            "既往史": "否认药物过敏史。ABC abc\u00a0xyz", "入院情况": "T 36.5℃ P 80次/分", "诊疗过程描述": "予对症处理。",
            "出院诊断": ["高血压病2级", 5, None], "出院带药列表": ["氨氯地平"],
        },
        {  # v3 fact block: labs, an allergy, a stop for cause, a discharge plan list, a class-level plan
            "就诊标识": "P-facts", "性别": "女", "出生日期": "1952-04-01", "就诊时间": "2024-03-05", "BMI": 27.3,
            "主诉": "血糖控制不佳1月", "既往史": "磺胺类药物过敏。长期服用格华止0.5g tid、代文80mg qd。",
            "现病史": "查HbA1c 9.8%，eGFR(CKD-EPI)：24ml/min，血钾6.1mmol/L。",
            "入院情况": "BP 150/90mmHg", "诊疗过程描述": "予胰岛素泵降糖、前列地尔静滴。因eGFR<30，停用二甲双胍；"
            "因血钾升高停用代文。加用SGLT2抑制剂，降脂方案同前。出院带药：\n1. 甘精胰岛素 12U qn\n2. 立普妥 20mg qn",
            "出院诊断": ["2型糖尿病", "慢性肾脏病4期", "高钾血症"], "出院带药列表": ["甘精胰岛素", "阿托伐他汀"],
        },
        {  # a single long sentence without delimiters (partial-sentence rule), BMI rounding up
            "就诊标识": "P-no-delim", "性别": "男", "出生日期": "1975", "就诊时间": "2023", "BMI": 24.95,
            "主诉": "多饮多尿", "现病史": "患者反复多饮多尿伴体重下降" * 30, "既往史": "无特殊",
            "入院情况": "一般情况可", "诊疗过程描述": "完善检查" * 80, "出院诊断": ["2型糖尿病"],
            "出院带药列表": ["二甲双胍"],
        },
        {  # BMI as big number, empty diagnosis list, lab-heavy text
            "就诊标识": "P-labs", "性别": "女", "出生日期": "1988/2/29", "就诊时间": "2023/2/28 10:00", "BMI": 450,
            "主诉": "发现血尿酸升高2年", "现病史": "查血尿酸560umol/L，肌酐88umol/L，eGFR 92。无关节红肿。偶有乏力！是否需要用药？",
            "既往史": "体健。", "入院情况": "神清，精神可。", "诊疗过程描述": "予低嘌呤饮食宣教;监测尿酸。",
            "出院诊断": [], "出院带药列表": ["非布司他"],
        },
        {  # every mention status: kept (trade name), stopped, replaced, inpatient IV, denied/allergic
            "就诊标识": "P-mentions", "性别": "男", "出生日期": "1958-03-01", "就诊时间": "2024-06-01", "BMI": 26.1,
            "主诉": "血糖控制不佳1月",
            "既往史": "否认阿司匹林过敏以外的药物过敏史。长期服用拜糖平 50mg tid，半年前停用格列美脲。\n青霉素过敏。",
            "现病史": "平素格华止 0.5g bid，后将阿卡波糖改为西格列汀，血压服用氨氯地平控制。",
            "入院情况": "神清。", "诊疗过程描述": "予门冬胰岛素静脉泵入降糖，予阿托伐他汀降脂，予硫辛酸静滴。",
            "出院诊断": ["2型糖尿病", "高血压病2级"], "出院带药列表": ["二甲双胍", "西格列汀", "氨氯地平", "阿托伐他汀"],
        },
        {  # non-string everything
            "就诊标识": "P-types", "性别": 1, "出生日期": 19700101, "就诊时间": None, "BMI": True,
            "主诉": ["a"], "现病史": {"x": 1}, "既往史": 3.5, "入院情况": False, "诊疗过程描述": "",
            "出院诊断": [1, "高血压", "  高血压  "], "出院带药列表": ["缬沙坦", "缬沙坦"],
        },
    ]
    return recs


def write_parity(tok_dir=None):
    spec = load_spec()
    recs = parity_records()
    tiny_train = read_jsonl(os.path.join(FIXTURES, "tiny", "train.jsonl"))
    cands = Candidates.load(os.path.join(FIXTURES, "tiny", "candidates.json"))
    tok = CharTokenizer.build(build_prompts(tiny_train), cands.names, min_count=2)
    tok_dir = tok_dir or os.path.join(FIXTURES, "tokenizer")
    tok.save(tok_dir, model_max_length=640)
    prompts = build_prompts(recs)
    order = list(reversed(cands.names))
    targets = []
    for drugs in (["二甲双胍", "阿卡波糖"], ["阿卡波糖", "不在列表的药", "二甲双胍", "阿卡波糖"], []):
        targets.append({"drugs": drugs, "order": order, "text": format_target(drugs, order)})
    targets.append({"drugs": ["乙", "甲"], "order": None, "text": format_target(["乙", "甲"])})
    data = {"spec_version": spec["version"], "records": recs, "prompts": prompts,
            "token_ids": [tok.encode(p) for p in prompts], "targets": targets,
            "target_token_ids": [tok.encode(t["text"], add_bos=False) for t in targets]}
    with open(os.path.join(FIXTURES, "prompt_parity.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return tok, data


def write_micro_model(tok, folder=None, seed=3):
    folder = folder or os.path.join(FIXTURES, "micro-model")
    torch.manual_seed(seed)
    cfg = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
           "intermediate_size": 64, "max_position_embeddings": 640, "rope_theta": 10000.0, "rms_norm_eps": 1e-5,
           "tie_word_embeddings": True, "vocab_size": len(tok)}
    model = LlamaLM(cfg).eval()
    with torch.no_grad():  # larger weights than the training init so logits are O(1..10)
        for p in model.parameters():
            if p.dim() >= 2:
                p.normal_(0, 0.25)
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    tok.save(folder, model_max_length=640)
    extra = {"prompt_spec_version": load_spec()["version"], "note": "random-weight test fixture, not a trained model"}
    write_json(os.path.join(folder, "config.json"), hf_config(cfg, tok, extra))
    write_json(os.path.join(folder, "generation_config.json"), generation_config(tok, 16))
    fp32 = os.path.join(folder, "onnx", "model.onnx")
    export_onnx(model, fp32)
    quantize_file(fp32, os.path.join(folder, "onnx", "model_quantized.onnx"), "q8")
    quantize_file(fp32, os.path.join(folder, "onnx", "model_q4.onnx"), "q4")
    prompt = "【基本】男，56岁，BMI24.5\n【诊断】2型糖尿病；高血压\n【出院带药】"
    ids = tok.encode(prompt)
    with torch.no_grad():
        logits, past = model(torch.tensor([ids]))
        greedy = []
        cur = ids[:]
        for _ in range(5):  # greedy, 5 new tokens, full recompute (no cache) as an independent check
            lg, _ = model(torch.tensor([cur]))
            nxt = int(lg[0, -1].argmax())
            greedy.append(nxt)
            cur.append(nxt)
    ref = {"prompt": prompt, "input_ids": ids, "logits_all": logits[0].numpy().astype(float).round(6).tolist(),
           "greedy_new_tokens": greedy}
    write_json(os.path.join(folder, "reference.json"), ref)
    return folder


def main():
    tok, _ = write_parity()
    write_micro_model(tok)


if __name__ == "__main__":
    main()
