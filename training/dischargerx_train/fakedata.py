"""Tiny synthetic CDrugRed-format records for tests and development (NOT the cohort generator).

The signal is simple on purpose: diagnoses and a few lab/drug sentences determine the drugs,
so a 1-minute tiny model can learn something measurable.
"""
import json
import os
import random

DRUGS = [
    "二甲双胍", "阿卡波糖", "格列美嘉", "西格列汀", "达格列净", "恩格列净", "利拉鲁肽", "甘精胰岛素",
    "门冬胰岛素", "阿托伐他汀", "瑞舒伐他汀", "依折麦布", "氨氯地平", "硝苯地平", "缬沙坦", "厄贝沙坦",
    "贝那普利", "美托洛尔", "阿司匹林", "氯吡格雷", "非布司他", "别嘌醇", "苯溴马隆", "左甲状腺素",
    "甲巯咪唑", "碳酸钙D3", "阿法骨化醇", "甲钴胺", "依帕司他", "硫辛酸", "多烯磷脂酰胆碱", "奥美拉唑",
]

RULES = [
    ("2型糖尿病", ["二甲双胍", "阿卡波糖", "西格列汀", "达格列净"], 0.6),
    ("2型糖尿病伴血糖控制不佳", ["甘精胰岛素", "门冬胰岛素"], 0.8),
    ("高脂血症", ["阿托伐他汀", "瑞舒伐他汀", "依折麦布"], 0.5),
    ("高血压病3级", ["氨氯地平", "缬沙坦", "美托洛尔"], 0.6),
    ("高血压病2级", ["硝苯地平", "厄贝沙坦", "贝那普利"], 0.5),
    ("冠状动脉粥样硬化性心脏病", ["阿司匹林", "氯吡格雷", "美托洛尔", "阿托伐他汀"], 0.7),
    ("高尿酸血症", ["非布司他", "别嘌醇", "苯溴马隆"], 0.5),
    ("痛风", ["非布司他", "苯溴马隆"], 0.6),
    ("甲状腺功能减退症", ["左甲状腺素"], 0.95),
    ("甲状腺功能亢进症", ["甲巯咪唑"], 0.95),
    ("骨质疏松症", ["碳酸钙D3", "阿法骨化醇"], 0.8),
    ("糖尿病周围神经病变", ["甲钴胺", "依帕司他", "硫辛酸"], 0.6),
    ("非酒精性脂肪性肝病", ["多烯磷脂酰胆碱"], 0.7),
    ("慢性胃炎", ["奥美拉唑"], 0.8),
]

FILLER = [
    "患者神志清，精神可，饮食睡眠一般，大小便正常。",
    "否认肝炎、结核等传染病史，否认手术外伤史，否认输血史。",
    "入院后完善相关检查，予糖尿病饮食及运动指导，监测血糖。",
    "查体：双肺呼吸音清，未闻及干湿啰音，心律齐，腹软无压痛。",
    "病程中无发热，无胸闷胸痛，无恶心呕吐，体重无明显变化。",
    "患者家属知情同意，病情平稳后予以出院",
]


def make_record(rng, idx, split):
    n_dx = rng.randint(1, 4)
    rules = rng.sample(RULES, n_dx)
    dx = [r[0] for r in rules]
    drugs = []
    for _, pool, p in rules:
        for d in pool:
            if rng.random() < p and d not in drugs:
                drugs.append(d)
        if not any(d in drugs for d in pool):
            drugs.append(rng.choice(pool))
    glu = round(rng.uniform(5.0, 18.0), 1)
    hba1c = round(rng.uniform(5.5, 12.5), 1)
    hist_drug = rng.choice(drugs)
    long_fill = "".join(rng.choice(FILLER) for _ in range(rng.randint(1, 12)))
    birth_year = rng.randint(1940, 2000)
    rec = {
        "患者序号": str(1000 + idx),
        "就诊标识": "%s-%05d" % (split, idx),
        "性别": rng.choice(["男", "女", "男", "女", "", "未知"]),
        "出生日期": "%d-%02d-%02d" % (birth_year, rng.randint(1, 12), rng.randint(1, 28)),
        "民族": rng.choice(["汉族", "回族", "满族"]),
        "BMI": rng.choice([round(rng.uniform(17, 38), 2), None, 24.25]),
        "就诊时间": "2023-%02d-%02d 09:30:00" % (rng.randint(1, 12), rng.randint(1, 28)),
        "诊疗过程描述": "入院后查空腹血糖%.1fmmol/L，糖化血红蛋白%.1f%%。%s" % (glu, hba1c, long_fill),
        "入院情况": rng.choice(FILLER) + "血压%d/%dmmHg。" % (rng.randint(110, 180), rng.randint(60, 100)),
        "现病史": "患者%d年前诊断为%s，%s" % (rng.randint(1, 20), dx[0], rng.choice(FILLER)),
        "既往史": "既往口服%s治疗。%s" % (hist_drug, rng.choice(FILLER)),
        "主诉": "%s%d年，控制不佳1月" % (dx[0].replace("2型", ""), rng.randint(1, 15)),
        "出院诊断": dx,
        "出院带药列表": drugs,
    }
    return rec


def write_fixture(out_dir, n_train=300, n_dev=60, n_test=60, seed=7):
    rng = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    for split, n in (("train", n_train), ("dev", n_dev), ("test", n_test)):
        with open(os.path.join(out_dir, split + ".jsonl"), "w", encoding="utf-8") as f:
            for i in range(n):
                f.write(json.dumps(make_record(rng, i, split), ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "candidates.json"), "w", encoding="utf-8") as f:
        json.dump(DRUGS, f, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    import sys
    write_fixture(sys.argv[1] if len(sys.argv) > 1 else "training/tests/fixtures/tiny")
