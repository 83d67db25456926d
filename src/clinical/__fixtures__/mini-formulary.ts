/** A small candidate list for tests (FormularyFile shape). Synthetic; not clinical guidance. */
import type { FormularyDrug, FormularyFile } from '../formulary-types.ts';

const d = (name: string, aliases: string[], atc: string, cls: string, area: FormularyDrug['area']): FormularyDrug => ({
  name,
  aliases,
  atc,
  class: cls,
  area,
});

export const MINI_FORMULARY: FormularyFile = {
  version: 'test-mini-1',
  description: 'Tiny test formulary',
  sources: [{ id: 'test', citation: 'synthetic test fixture' }],
  drugs: [
    d('二甲双胍', ['二甲双胍片', '盐酸二甲双胍片', '盐酸二甲双胍缓释片', '格华止'], 'A10BA02', '双胍类', 'diabetes'),
    d('阿卡波糖', ['阿卡波糖片', '拜糖平'], 'A10BF01', 'α-糖苷酶抑制剂', 'diabetes'),
    d('格列美脲', ['格列美脲片', '亚莫利'], 'A10BB12', '磺脲类', 'diabetes'),
    d('达格列净', ['达格列净片', '安达唐'], 'A10BK01', 'SGLT2抑制剂', 'diabetes'),
    d('西格列汀', ['磷酸西格列汀片', '捷诺维'], 'A10BH01', 'DPP-4抑制剂', 'diabetes'),
    d('甘精胰岛素', ['甘精胰岛素注射液', '来得时'], 'A10AE04', '长效胰岛素类似物', 'diabetes'),
    d('门冬胰岛素', ['门冬胰岛素注射液', '诺和锐'], 'A10AB05', '速效胰岛素类似物', 'diabetes'),
    d('阿托伐他汀', ['阿托伐他汀钙片', '立普妥'], 'C10AA05', '他汀类', 'lipids'),
    d('瑞舒伐他汀', ['瑞舒伐他汀钙片', '可定'], 'C10AA07', '他汀类', 'lipids'),
    d('氨氯地平', ['苯磺酸氨氯地平片', '络活喜'], 'C08CA01', '二氢吡啶类钙通道阻滞剂', 'hypertension'),
    d('缬沙坦', ['缬沙坦胶囊', '代文'], 'C09CA03', 'ARB', 'hypertension'),
    d('阿司匹林', ['阿司匹林肠溶片', '拜阿司匹灵'], 'B01AC06', '抗血小板药', 'antithrombotic'),
    d('非布司他', ['非布司他片'], 'M04AA03', '黄嘌呤氧化酶抑制剂', 'gout'),
    d('左甲状腺素', ['左甲状腺素钠片', '优甲乐'], 'H03AA01', '甲状腺激素', 'thyroid'),
    d('头孢呋辛', ['注射用头孢呋辛钠', '头孢呋辛酯片'], 'J01DC02', '第二代头孢菌素', 'anti-infective'),
    d('青霉素', ['青霉素钠', '注射用青霉素钠'], 'J01CE01', '青霉素类', 'anti-infective'),
    d('氯化钾', ['氯化钾缓释片', '氯化钾注射液'], 'A12BA01', '电解质补充剂', 'other'),
  ],
};
