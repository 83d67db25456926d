/** A made-up note for the "load example" button and the browser tests. Not a real patient. */
export const EXAMPLE_NOTE = `性别：男  出生日期：1958-03-12  民族：汉族  BMI：27.4
就诊时间：2023-05-08
主诉：口干、多饮、多尿8年，血糖控制不佳1月。
现病史：患者8年前诊断为"2型糖尿病"，长期口服盐酸二甲双胍片0.5g tid、拜糖平50mg tid，近1月空腹血糖波动于9-12mmol/L。
既往史：高血压病史10年，服用苯磺酸氨氯地平片5mg qd；否认冠心病病史。磺胺类药物过敏。
入院情况：BP 152/90mmHg。HbA1c 9.6%↑，eGFR 72 mL/min/1.73m²，LDL-C 3.8mmol/L↑，UA 512μmol/L↑。
诊疗过程：入院后予胰岛素泵强化降糖，前列地尔注射液改善循环，血糖平稳后调整降糖方案，加用SGLT2抑制剂，降压方案同前。
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症 4.高尿酸血症`;
