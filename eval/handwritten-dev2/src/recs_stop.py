from common import R

# S1 allopurinol hypersensitivity
R('stop-switch-allergy', '男', '1962-10-10', '汉族', 26.6, '2024-03-11',
  '全身皮疹伴瘙痒5天。',
  '患者痛风5年，3周前外院开始服用"别嘌醇片100mg tid"降尿酸，5天前躯干、四肢出现红色斑丘疹，伴瘙痒、低热（37.8℃），无口腔、眼部黏膜受累，无水疱。',
  '高血压病5年，服"苯磺酸氨氯地平片5mg qd"。慢性肾脏病3a期。否认冠心病。否认其他药物过敏。',
  '躯干、四肢散在红色斑丘疹，部分融合，口腔黏膜未受累，Nikolsky征（-）。WBC 9.8×10^9/L，嗜酸粒细胞12%↑，ALT 68U/L↑，Scr 128μmol/L，eGFR 52ml/min/1.73m²，UA 498μmol/L。HLA-B*5801：阳性。',
  '诊断别嘌醇所致药物性皮炎（未达SJS/TEN及DRESS诊断标准）伴轻度肝损伤。立即停用别嘌醇，结合HLA-B*5801阳性，终身禁用别嘌醇，已告知患者并记入过敏史。予甲泼尼龙注射液40mg qd静滴5天，后改为泼尼松片30mg qd口服；氯雷他定片10mg qd止痒。第9天皮疹大部分消退，ALT降至38U/L。与患者沟通后于住院第10天起始非布司他20mg qd，同时秋水仙碱0.5mg qd预防发作；碳酸氢钠片1g tid碱化尿液。出院后泼尼松每5天减5mg至停，氯雷他定继续1周，氨氯地平同前。2周复查肝功能、血常规。',
  ['药物性皮炎（别嘌醇所致）', '药物性肝损伤', '痛风', '高尿酸血症', '高血压病1级', '慢性肾脏病3a期'],
  ['泼尼松', '氯雷他定', '非布司他', '秋水仙碱', '碳酸氢钠', '氨氯地平'],
  ruled=[('别嘌醇', 'allopurinol hypersensitivity rash, HLA-B*5801 positive', '终身禁用别嘌醇')])

# S2 GI bleed on aspirin
R('stop-switch-allergy', '男', '1955-05-15', '汉族', 23.6, '2023-08-14',
  '黑便3天，头晕1天。',
  '患者3天前出现柏油样便，每日2-3次，1天前起立时头晕、乏力。长期服"阿司匹林肠溶片100mg qd、阿托伐他汀钙片20mg qn"（2020年PCI术后）。2型糖尿病8年，服"二甲双胍片0.5g tid、西格列汀片100mg qd"。',
  '否认肝硬化、消化性溃疡病史。否认NSAIDs服用史。否认药物过敏。',
  'BP 104/62mmHg，HR 102次/分，贫血貌。Hb 78g/L↓，BUN 12.6mmol/L↑，Scr 84μmol/L，PLT 226×10^9/L，INR 1.0，HbA1c 7.0%。急诊胃镜：胃角溃疡（A1期，Forrest Ⅱb），13C呼气试验阳性。',
  '诊断阿司匹林相关上消化道出血，胃溃疡。停用阿司匹林；禁食，艾司奥美拉唑注射液80mg静推后8mg/h持续泵入72小时，后改为40mg q12h静滴；输注悬浮红细胞2U；禁食期间停用口服降糖药，予胰岛素皮下注射控制血糖。第4天大便转黄，Hb稳定于86g/L，逐步恢复饮食，二甲双胍、西格列汀恢复原剂量。心内科会诊：PCI术后3年、病情稳定，出血停止后第7天起以氯吡格雷75mg qd替代阿司匹林单药抗血小板；合用氯吡格雷期间避免奥美拉唑、艾司奥美拉唑，出院改口服雷贝拉唑钠肠溶片10mg bid 8周。阿托伐他汀继续。Hp根除方案门诊进行。',
  ['上消化道出血', '胃溃疡（A1期）', '幽门螺杆菌感染', '失血性贫血（中度）', '冠状动脉粥样硬化性心脏病 PCI术后', '2型糖尿病'],
  ['氯吡格雷', '雷贝拉唑', '阿托伐他汀', '二甲双胍', '西格列汀'],
  ruled=[('阿司匹林', 'aspirin-associated upper GI bleeding', '诊断阿司匹林相关上消化道出血，胃溃疡。停用阿司匹林'),
         ('奥美拉唑', 'CYP2C19 interaction reduces clopidogrel activation', '合用氯吡格雷期间避免奥美拉唑、艾司奥美拉唑'),
         ('艾司奥美拉唑', 'CYP2C19 interaction reduces clopidogrel activation', '合用氯吡格雷期间避免奥美拉唑、艾司奥美拉唑')])

# S3 hyperkalaemia CKD4
R('stop-switch-allergy', '男', '1951-07-07', '汉族', 24.2, '2024-06-17',
  '乏力、双下肢沉重3天。',
  '2型糖尿病17年，口服"二甲双胍片0.5g bid、利格列汀片5mg qd"。糖尿病肾病5年，长期服"厄贝沙坦片150mg qd、硝苯地平控释片30mg qd"。近1周进食较多香蕉、橙子，3天前出现乏力、双下肢沉重。',
  '否认心衰、冠心病史。否认药物过敏史。',
  'BP 152/88mmHg，HR 58次/分。K 6.4mmol/L↑↑，Na 136mmol/L，HCO3- 16mmol/L↓，Scr 236μmol/L，eGFR 23ml/min/1.73m²，HbA1c 7.6%。心电图：T波高尖。',
  '诊断高钾血症、糖尿病肾病CKD G4。立即予10%葡萄糖酸钙注射液10ml静推，普通胰岛素+葡萄糖静滴，环硅酸锆钠散10g tid口服2天后停用，呋塞米注射液40mg静推，心电监护。次日K 5.2mmol/L，第3天4.8mmol/L。血钾≥5.5mmol/L，暂不使用ACEI/ARB类药物，停用厄贝沙坦，同时避免螺内酯、非奈利酮等升钾药物。eGFR 23ml/min/1.73m²，停用二甲双胍，加用德谷胰岛素8U qd，利格列汀继续。血压：硝苯地平控释片继续，加用托拉塞米片10mg qd。碳酸氢钠片1g tid纠正酸中毒。低钾饮食宣教，1周后复查电解质。',
  ['高钾血症', '2型糖尿病肾病 CKD G4A3', '代谢性酸中毒', '高血压病2级'],
  ['德谷胰岛素', '利格列汀', '硝苯地平', '托拉塞米', '碳酸氢钠'],
  ruled=[('厄贝沙坦', 'RAS blocker held for K >= 5.5 mmol/L', '血钾≥5.5mmol/L，暂不使用ACEI/ARB类药物，停用厄贝沙坦'),
         ('缬沙坦', 'RAS blocker class held for hyperkalaemia', '暂不使用ACEI/ARB类药物'),
         ('氯沙坦', 'RAS blocker class held for hyperkalaemia', '暂不使用ACEI/ARB类药物'),
         ('贝那普利', 'RAS blocker class held for hyperkalaemia', '暂不使用ACEI/ARB类药物'),
         ('螺内酯', 'potassium-raising MRA avoided in hyperkalaemia', '同时避免螺内酯、非奈利酮等升钾药物'),
         ('非奈利酮', 'potassium-raising MRA avoided in hyperkalaemia', '同时避免螺内酯、非奈利酮等升钾药物'),
         ('二甲双胍', 'eGFR 23 (<30)', 'eGFR 23ml/min/1.73m²，停用二甲双胍')])

# S4 sulfa allergy
R('stop-switch-allergy', '女', '1966-02-20', '土家族', 25.5, '2023-04-03',
  '血糖控制不佳1年。',
  '2型糖尿病5年，口服"二甲双胍片1.0g bid、瑞格列奈片1mg tid"，近1年HbA1c 8.0%-8.5%。',
  '磺胺类药物过敏（2015年服复方磺胺甲噁唑后全身皮疹）。\n高血压3年，服"苯磺酸氨氯地平片5mg qd"，血压150/90mmHg左右。\n否认痛风。',
  'BP 152/92mmHg。HbA1c 8.2%，eGFR 90ml/min/1.73m²，UACR 88mg/g，K 4.2mmol/L。',
  '因磺胺过敏，避免磺脲类降糖药及噻嗪类利尿剂。降糖：二甲双胍、瑞格列奈继续，加用达格列净10mg qd；降压兼顾蛋白尿：加用贝那普利片10mg qd，氨氯地平继续，2周复查血钾、肌酐。出院前BP 132/82mmHg，FBG 6.6-7.4mmol/L。',
  ['2型糖尿病', '糖尿病肾病 G1A2', '高血压病2级', '磺胺类药物过敏史'],
  ['二甲双胍', '瑞格列奈', '达格列净', '氨氯地平', '贝那普利'],
  ruled=[('格列美脲', 'sulfa allergy: avoid sulfonylureas', '因磺胺过敏，避免磺脲类降糖药及噻嗪类利尿剂'),
         ('格列齐特', 'sulfa allergy: avoid sulfonylureas', '因磺胺过敏，避免磺脲类降糖药及噻嗪类利尿剂'),
         ('格列吡嗪', 'sulfa allergy: avoid sulfonylureas', '因磺胺过敏，避免磺脲类降糖药及噻嗪类利尿剂'),
         ('氢氯噻嗪', 'sulfa allergy: avoid thiazides', '因磺胺过敏，避免磺脲类降糖药及噻嗪类利尿剂'),
         ('吲达帕胺', 'sulfa allergy: avoid thiazide-like diuretics', '因磺胺过敏，避免磺脲类降糖药及噻嗪类利尿剂'),
         ('复方磺胺甲噁唑', 'documented allergy (rash)', '磺胺类药物过敏（2015年服复方磺胺甲噁唑后全身皮疹）')])

# S5 ACEI cough
R('stop-switch-allergy', '男', '1964-03-08', '回族', 27.0, '2023-07-10',
  '干咳2月，血糖控制差1月。',
  '2型糖尿病7年，服"二甲双胍片0.5g tid、阿卡波糖片50mg tid"。3月前因血压控制不佳、尿蛋白阳性，门诊在"苯磺酸氨氯地平片5mg qd"基础上加用"马来酸依那普利片10mg bid"，此后出现阵发性干咳，夜间明显，无咳痰、发热。',
  '否认哮喘、慢性支气管炎病史。否认胃食管反流症状。吸烟已戒10年。',
  'BP 138/86mmHg。双肺呼吸音清。胸部CT未见异常，肺功能正常。HbA1c 8.0%，UACR 210mg/g，eGFR 84ml/min/1.73m²，K 4.5ｍｍｏｌ/Ｌ。',
  '考虑ACEI相关干咳，停用依那普利，今后避免ACEI类药物，换用氯沙坦钾片50mg qd，1周后咳嗽明显减轻。氨氯地平继续。降糖：二甲双胍、阿卡波糖原剂量继续，加强饮食控制，FBG 6.8-7.6mmol/L。2周复查肾功能、电解质。',
  ['2型糖尿病', '糖尿病肾病 G2A2', '高血压病2级', '血管紧张素转换酶抑制剂相关性咳嗽'],
  ['氯沙坦', '氨氯地平', '二甲双胍', '阿卡波糖'],
  ruled=[('依那普利', 'ACEI-induced cough', '考虑ACEI相关干咳，停用依那普利'),
         ('贝那普利', 'ACEI class to be avoided after ACEI cough', '今后避免ACEI类药物'),
         ('培哚普利', 'ACEI class to be avoided after ACEI cough', '今后避免ACEI类药物'),
         ('福辛普利', 'ACEI class to be avoided after ACEI cough', '今后避免ACEI类药物')])

# S6 statin myopathy
R('stop-switch-allergy', '男', '1956-11-19', '汉族', 24.7, '2024-01-08',
  '双下肢肌肉酸痛、乏力3周。',
  '患者5月前因"急性前壁心肌梗死"行PCI，出院后规律服用"阿司匹林100mg qd、替格瑞洛90mg bid、阿托伐他汀钙片40mg qn、琥珀酸美托洛尔缓释片47.5mg qd"。1月前门诊因TG 3.6mmol/L加用"非诺贝特胶囊200mg qd"。3周前出现双侧大腿、小腿肌肉酸痛，上楼乏力。2型糖尿病6年，服"二甲双胍片0.5g tid、恩格列净片10mg qd"。',
  '否认甲减、肝病史。否认药物过敏。',
  '双侧股四头肌压痛，肌力Ⅴ-级。CK 2860U/L↑（>10倍ULN），肌红蛋白↑，Scr 92μmol/L，尿潜血（-），TSH 2.4mIU/L，LDL-C 2.1mmol/L，ALT 46U/L。',
  '诊断他汀相关肌病（合并贝特类，未达横纹肌溶解）。停用阿托伐他汀及非诺贝特，水化。第10天CK降至380U/L，症状明显缓解。暂不再使用他汀类。LDL-C未达标（目标<1.4mmol/L），加用依折麦布片10mg qd，并予阿利西尤单抗75mg q2w皮下注射（已教会自行注射）。阿司匹林+替格瑞洛双抗继续至PCI后12月，美托洛尔、二甲双胍、恩格列净同前。2周复查CK、肝功能。',
  ['他汀相关肌病', '冠状动脉粥样硬化性心脏病 陈旧性前壁心肌梗死 PCI术后', '2型糖尿病', '高脂血症'],
  ['依折麦布', '阿利西尤单抗', '阿司匹林', '替格瑞洛', '美托洛尔', '二甲双胍', '恩格列净'],
  ruled=[('阿托伐他汀', 'statin-associated myopathy (CK >10x ULN)', '诊断他汀相关肌病（合并贝特类，未达横纹肌溶解）。停用阿托伐他汀及非诺贝特'),
         ('非诺贝特', 'fibrate contributed to myopathy', '停用阿托伐他汀及非诺贝特'),
         ('瑞舒伐他汀', 'statin class withheld after myopathy', '暂不再使用他汀类'),
         ('辛伐他汀', 'statin class withheld after myopathy', '暂不再使用他汀类'),
         ('匹伐他汀', 'statin class withheld after myopathy', '暂不再使用他汀类')])

# S7 agranulocytosis on MMI
R('stop-switch-allergy', '女', '1990-12-02', '汉族', 20.1, '2023-05-08',
  '发热、咽痛3天。',
  '患者2月前诊断"Graves病"，服"甲巯咪唑片10mg tid"、"普萘洛尔片10mg tid"。3天前出现咽痛、发热，最高39.2℃。门诊查WBC 0.9×10^9/L，中性粒细胞0.12×10^9/L。',
  '否认其他慢性病史。否认药物过敏史（本次前）。',
  'T 39.0℃，HR 124次/分。咽部充血，双侧扁桃体Ⅱ度肿大伴脓点。FT3 9.8pmol/L，FT4 28.6pmol/L，ALT 26U/L，CRP 96mg/L。',
  '诊断甲巯咪唑致粒细胞缺乏症伴急性化脓性扁桃体炎。立即停用甲巯咪唑，单间保护性隔离；重组人粒细胞刺激因子300μg qd皮下注射6天；亚胺培南西司他丁1g q8h静滴7天。第8天中性粒细胞恢复至2.8×10^9/L，体温正常。丙硫氧嘧啶与甲巯咪唑存在交叉反应，禁用抗甲状腺药物，核医学科会诊拟2周后行131I治疗。普萘洛尔加至20mg tid控制心率；出院予利可君片20mg tid、地榆升白片0.2g tid口服，每3天复查血常规。',
  ['粒细胞缺乏症（甲巯咪唑所致）', '急性化脓性扁桃体炎', 'Graves病', '甲状腺功能亢进症'],
  ['普萘洛尔', '利可君', '地榆升白片'],
  ruled=[('甲巯咪唑', 'methimazole-induced agranulocytosis', '诊断甲巯咪唑致粒细胞缺乏症伴急性化脓性扁桃体炎。立即停用甲巯咪唑'),
         ('丙硫氧嘧啶', 'cross-reactivity; all antithyroid drugs contraindicated', '丙硫氧嘧啶与甲巯咪唑存在交叉反应，禁用抗甲状腺药物')])

# S8 amiodarone-induced hypothyroidism
R('stop-switch-allergy', '男', '1947-08-08', '汉族', 24.3, '2023-09-18',
  '乏力、嗜睡、双下肢水肿2月。',
  '患者1年前诊断"阵发性心房颤动"，服"胺碘酮片0.2g qd"维持窦律、"利伐沙班片15mg qd"抗凝。2月前出现乏力、嗜睡、怕冷、双下肢水肿。2型糖尿病10年，服"二甲双胍片0.5g bid"。',
  '否认甲状腺疾病史。否认出血史。否认药物过敏。',
  'HR 54次/分（窦性），BP 126/70mmHg。TSH 42.6mIU/L↑，FT4 6.1pmol/L↓，TPOAb阴性，Scr 118μmol/L，eGFR 52ml/min/1.73m²（CrCl约46ml/min），HbA1c 6.9%，LDL-C 2.3mmol/L。甲状腺超声：未见结节。',
  '诊断胺碘酮致甲状腺功能减退症。心内科会诊：停用胺碘酮，改为心室率控制策略。予左甲状腺素钠片12.5μg qd起，1周后加至25μg qd。心率恢复至68次/分后加用琥珀酸美托洛尔缓释片23.75mg qd，以防房颤复发时心室率过快。利伐沙班15mg qd继续，二甲双胍继续。4-6周复查甲功。',
  ['胺碘酮致甲状腺功能减退症', '阵发性心房颤动', '2型糖尿病', '慢性肾脏病3a期'],
  ['左甲状腺素', '美托洛尔', '利伐沙班', '二甲双胍'],
  ruled=[('胺碘酮', 'amiodarone-induced hypothyroidism', '诊断胺碘酮致甲状腺功能减退症。心内科会诊：停用胺碘酮')])

# S9 SGLT2i euglycaemic DKA, LADA
R('stop-switch-allergy', '男', '1989-04-16', '汉族', 21.8, '2024-07-29',
  '腹痛、呕吐2天。',
  '患者2年前诊断"2型糖尿病"，服"二甲双胍片0.5g tid、恩格列净片10mg qd"，HbA1c 7%左右，近半年体重下降6kg。2天前出现上腹痛、反复呕吐，进食差。急诊血糖12.6mmol/L，β-羟丁酸6.1mmol/L，pH 7.15。',
  '否认胰腺炎病史。否认饮酒。否认药物过敏。',
  'BP 108/66mmHg，HR 112次/分，深大呼吸。HCO3- 9.6mmol/L，AG 26，淀粉酶正常。GADA 186IU/ml↑，空腹C肽0.18nmol/L↓。',
  '诊断正常血糖性糖尿病酮症酸中毒（SGLT2抑制剂相关），停用恩格列净。补液、静脉胰岛素+葡萄糖、补钾，36小时酸中毒纠正。结合GADA强阳性、C肽低，重新分型为成人隐匿性自身免疫糖尿病（LADA），胰岛功能差，按1型糖尿病管理，停用口服降糖药，改为门冬胰岛素三餐前4-4-4U + 德谷胰岛素12U qd。今后避免使用SGLT2抑制剂。血酮监测及病日规则教育。',
  ['成人隐匿性自身免疫糖尿病伴糖尿病酮症酸中毒（正常血糖性）'],
  ['门冬胰岛素', '德谷胰岛素'],
  ruled=[('恩格列净', 'SGLT2i-associated euglycaemic DKA', '诊断正常血糖性糖尿病酮症酸中毒（SGLT2抑制剂相关），停用恩格列净'),
         ('达格列净', 'SGLT2 inhibitor class to be avoided after DKA', '今后避免使用SGLT2抑制剂'),
         ('卡格列净', 'SGLT2 inhibitor class to be avoided after DKA', '今后避免使用SGLT2抑制剂')])

# S10 pregnancy
R('stop-switch-allergy', '女', '1991-08-25', '汉族', 27.8, '2023-03-20',
  '停经8周，要求调整降糖、降压方案。',
  '2型糖尿病3年，服"二甲双胍片1.0g bid"；高血压2年，服"缬沙坦胶囊80mg qd"；高胆固醇血症，服"阿托伐他汀钙片10mg qn"。本次意外妊娠，停经8周，B超示宫内早孕。',
  '否认肾病史。否认药物过敏史。G2P1，2019年剖宫产1次。',
  'BP 142/90mmHg。HbA1c 7.4%，FBG 7.8mmol/L，Scr 56μmol/L，尿蛋白（-），LDL-C 3.4mmol/L，TSH 1.6mIU/L。',
  '孕期禁用ACEI/ARB及他汀类药物，停用缬沙坦、阿托伐他汀。与患者及家属沟通后停用二甲双胍，改为胰岛素：门冬胰岛素三餐前4-6-6U + 地特胰岛素睡前10U。降压改为拉贝洛尔片100mg bid，BP 128-136/80-86mmHg。补充叶酸片0.8mg qd。孕12周后产科评估是否加用小剂量阿司匹林预防子痫前期。产科、内分泌科联合随访。',
  ['妊娠合并2型糖尿病', '妊娠合并慢性高血压', '宫内早孕（8周）', '高胆固醇血症'],
  ['门冬胰岛素', '地特胰岛素', '拉贝洛尔', '叶酸'],
  ruled=[('缬沙坦', 'ARB contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物，停用缬沙坦、阿托伐他汀'),
         ('阿托伐他汀', 'statin contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物，停用缬沙坦、阿托伐他汀'),
         ('氯沙坦', 'ARB class contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物'),
         ('厄贝沙坦', 'ARB class contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物'),
         ('贝那普利', 'ACEI class contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物'),
         ('依那普利', 'ACEI class contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物'),
         ('瑞舒伐他汀', 'statin class contraindicated in pregnancy', '孕期禁用ACEI/ARB及他汀类药物')])
