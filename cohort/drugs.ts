/**
 * The generator's own drug table: canonical label names (formulary convention: shortest
 * common Chinese generic name without salt/dosage form), a therapeutic class key, prose
 * aliases (salt/form names, trade names, abbreviations) and typical doses.
 *
 * Independent of src/clinical/data/formulary.json on purpose: the generator must work and be
 * deterministic without it. Drugs flagged `inpt` are inpatient-only (injections, iv
 * antibiotics...) — they appear in 诊疗过程描述 but never in discharge labels.
 */

export interface DrugInfo {
  name: string;
  cls: string;
  aliases: string[];
  doses: string[];
  inpatientOnly: boolean;
}

// name|CLASS|aliases (comma)|doses (;)|flags
const TABLE = `
二甲双胍|MET|盐酸二甲双胍片,盐酸二甲双胍缓释片,二甲双胍缓释片,格华止,美迪康,泰白,二甲双胍片|0.5g bid;0.5g tid;0.85g bid;1.0g bid;0.5g qd
阿卡波糖|AGI|阿卡波糖片,拜糖平,卡博平|50mg tid;100mg tid;50mg bid
伏格列波糖|AGI|伏格列波糖片,倍欣|0.2mg tid
米格列醇|AGI|米格列醇片|50mg tid
达格列净|SGLT2|达格列净片,安达唐,Dapagliflozin|10mg qd;5mg qd
恩格列净|SGLT2|恩格列净片,欧唐静|10mg qd;25mg qd
卡格列净|SGLT2|卡格列净片,怡可安|100mg qd
艾托格列净|SGLT2|艾托格列净片,捷诺妥|5mg qd
西格列汀|DPP4|磷酸西格列汀片,捷诺维|100mg qd;50mg qd
利格列汀|DPP4|利格列汀片,欧唐宁|5mg qd
沙格列汀|DPP4|沙格列汀片,安立泽|5mg qd;2.5mg qd
维格列汀|DPP4|维格列汀片,佳维乐|50mg bid
阿格列汀|DPP4|苯甲酸阿格列汀片,尼欣那|25mg qd
西格列汀二甲双胍|DPP4|西格列汀二甲双胍片,捷诺达|1片 bid
格列美脲|SU|格列美脲片,亚莫利,万苏平|1mg qd;2mg qd;4mg qd
格列齐特|SU|格列齐特缓释片,格列齐特片,达美康|30mg qd;60mg qd;80mg bid
格列吡嗪|SU|格列吡嗪控释片,瑞易宁,秦苏|5mg qd;5mg bid
格列喹酮|SU|格列喹酮片,糖适平|30mg tid;30mg bid
瑞格列奈|GLN|瑞格列奈片,诺和龙,孚来迪|1mg tid;0.5mg tid;2mg tid
那格列奈|GLN|那格列奈片,唐力|120mg tid
吡格列酮|TZD|盐酸吡格列酮片,艾可拓,卡司平|15mg qd;30mg qd
司美格鲁肽|GLP1|司美格鲁肽注射液,索马鲁肽,诺和泰|0.25mg qw;0.5mg qw;1mg qw
利拉鲁肽|GLP1|利拉鲁肽注射液,诺和力|0.6mg qd;1.2mg qd;1.8mg qd
度拉糖肽|GLP1|度拉糖肽注射液,度易达|1.5mg qw;0.75mg qw
艾塞那肽|GLP1|艾塞那肽注射液,百泌达|5μg bid;10μg bid
利司那肽|GLP1|利司那肽注射液,利时敏|20μg qd
聚乙二醇洛塞那肽|GLP1|聚乙二醇洛塞那肽注射液,孚来美|0.1mg qw;0.2mg qw
贝那鲁肽|GLP1|贝那鲁肽注射液,谊生泰|0.1mg tid
门冬胰岛素|PRAND|门冬胰岛素注射液,诺和锐,诺和锐特充|{prandial}
赖脯胰岛素|PRAND|赖脯胰岛素注射液,优泌乐|{prandial}
谷赖胰岛素|PRAND|谷赖胰岛素注射液,艾倍得|{prandial}
生物合成人胰岛素|PRAND|生物合成人胰岛素注射液,诺和灵R,重组人胰岛素,短效胰岛素,优泌林R|{prandial}
甘精胰岛素|BASAL|甘精胰岛素注射液,来得时,长秀霖,来优时,重和林|{basal}
地特胰岛素|BASAL|地特胰岛素注射液,诺和平|{basal}
德谷胰岛素|BASAL|德谷胰岛素注射液,诺和达|{basal}
精蛋白生物合成人胰岛素|BASAL|诺和灵N,中效胰岛素,NPH|{basal}
门冬胰岛素30|PREMIX|门冬胰岛素30注射液,诺和锐30,诺和锐30特充|{premix}
门冬胰岛素50|PREMIX|门冬胰岛素50注射液,诺和锐50|{premix}
赖脯胰岛素25|PREMIX|精蛋白锌重组赖脯胰岛素混合注射液(25R),优泌乐25|{premix}
赖脯胰岛素50|PREMIX|精蛋白锌重组赖脯胰岛素混合注射液(50R),优泌乐50|{premix}
德谷门冬双胰岛素|PREMIX|德谷门冬双胰岛素注射液,诺和佳|{premix}
精蛋白生物合成人胰岛素(预混30R)|PREMIX|精蛋白生物合成人胰岛素注射液(预混30R),诺和灵30R,预混人胰岛素30R|{premix}
消渴丸|TCMDM|消渴丸|10丸 tid
津力达颗粒|TCMDM|津力达|1袋 tid
参芪降糖颗粒|TCMDM|参芪降糖|1袋 tid
天麦消渴片|TCMDM|天麦消渴|2片 bid
阿托伐他汀|STATIN|阿托伐他汀钙片,立普妥,阿乐,阿托伐他汀钙|20mg qn;10mg qn;40mg qn
瑞舒伐他汀|STATIN|瑞舒伐他汀钙片,可定,瑞舒伐他汀钙|10mg qn;5mg qn;20mg qn
匹伐他汀|STATIN|匹伐他汀钙片,力清之|2mg qn;1mg qn
辛伐他汀|STATIN|辛伐他汀片,舒降之|20mg qn
普伐他汀|STATIN|普伐他汀钠片,普拉固|20mg qn;40mg qn
氟伐他汀|STATIN|氟伐他汀钠缓释片,来适可|80mg qn
依折麦布|EZE|依折麦布片,益适纯|10mg qd
非诺贝特|FIB|非诺贝特胶囊,力平之,微粒化非诺贝特|200mg qd;160mg qd
苯扎贝特|FIB|苯扎贝特片,必降脂|200mg tid
血脂康|LIPOX|血脂康胶囊|2粒 bid
阿昔莫司|LIPOX|阿昔莫司胶囊,乐知苹|0.25g bid
多烯酸乙酯|LIPOX|ω-3脂肪酸,ω-3鱼油,多烯酸乙酯软胶囊,鱼油软胶囊,欧米伽3|1g bid
氨氯地平|CCB|苯磺酸氨氯地平片,络活喜,安内真,氨氯地平片|5mg qd;10mg qd;2.5mg qd
左氨氯地平|CCB|左旋氨氯地平,苯磺酸左氨氯地平片,施慧达,玄宁|2.5mg qd;5mg qd
硝苯地平|CCB|硝苯地平控释片,拜新同,硝苯地平缓释片,伲福达|30mg qd;60mg qd;20mg bid
非洛地平|CCB|非洛地平缓释片,波依定|5mg qd;10mg qd
贝尼地平|CCB|盐酸贝尼地平片,可力洛|4mg qd;8mg qd
拉西地平|CCB|拉西地平片,乐息平|4mg qd
厄贝沙坦|ARB|厄贝沙坦片,安博维,吉加|150mg qd;300mg qd;75mg qd
缬沙坦|ARB|缬沙坦胶囊,代文,穗悦|80mg qd;160mg qd
氯沙坦|ARB|氯沙坦钾片,科素亚|50mg qd;100mg qd
替米沙坦|ARB|替米沙坦片,美卡素,邦坦|40mg qd;80mg qd
坎地沙坦|ARB|坎地沙坦酯片,必洛斯,维尔亚|4mg qd;8mg qd
奥美沙坦|ARB|奥美沙坦酯片,傲坦|20mg qd;40mg qd
阿利沙坦酯|ARB|阿利沙坦酯片,信立坦|240mg qd
厄贝沙坦氢氯噻嗪|ARB|厄贝沙坦氢氯噻嗪片,安博诺|1片 qd
缬沙坦氨氯地平|ARB|缬沙坦氨氯地平片,倍博特|1片 qd
氯沙坦氢氯噻嗪|ARB|氯沙坦钾氢氯噻嗪片,海捷亚|1片 qd
沙库巴曲缬沙坦|ARNI|沙库巴曲缬沙坦钠片,诺欣妥|50mg bid;100mg bid
贝那普利|ACEI|盐酸贝那普利片,洛汀新|10mg qd
培哚普利|ACEI|培哚普利叔丁胺片,雅施达|4mg qd
依那普利|ACEI|马来酸依那普利片,依苏|10mg qd
福辛普利|ACEI|福辛普利钠片,蒙诺|10mg qd
美托洛尔|BB|酒石酸美托洛尔片,琥珀酸美托洛尔缓释片,倍他乐克,倍他乐克缓释片|47.5mg qd;23.75mg qd;25mg bid;12.5mg bid
比索洛尔|BB|富马酸比索洛尔片,康忻,博苏|2.5mg qd;5mg qd
卡维地洛|BB|卡维地洛片,络德|6.25mg bid;12.5mg bid
阿罗洛尔|BB|盐酸阿罗洛尔片,阿尔马尔|10mg bid
普萘洛尔|BB|盐酸普萘洛尔片,心得安|10mg tid
拉贝洛尔|BB|盐酸拉贝洛尔片,柳胺苄心定|100mg bid
螺内酯|MRA|螺内酯片,安体舒通|20mg qd;20mg bid
呋塞米|LOOP|呋塞米注射液,呋塞米片,速尿|20mg qd;20mg bid
托拉塞米|LOOP|托拉塞米注射液,托拉塞米片,伊迈格|10mg qd;20mg qd
氢氯噻嗪|THZ|氢氯噻嗪片,双氢克尿噻,HCTZ|12.5mg qd;25mg qd
吲达帕胺|THZ|吲达帕胺缓释片,纳催离|1.5mg qd;2.5mg qd
特拉唑嗪|ALPHA|盐酸特拉唑嗪片,高特灵|2mg qn
多沙唑嗪|ALPHA|甲磺酸多沙唑嗪缓释片,可多华|4mg qn
阿司匹林|AP|阿司匹林肠溶片,拜阿司匹灵,ASA,阿司匹林肠溶|100mg qd
氯吡格雷|AP|硫酸氢氯吡格雷片,波立维,泰嘉|75mg qd
替格瑞洛|AP|替格瑞洛片,倍林达|90mg bid
吲哚布芬|AP|吲哚布芬片,易抗凝|0.1g bid
西洛他唑|PADX|西洛他唑片,培达|50mg bid;100mg bid
贝前列素|PADX|贝前列素钠片,德纳|20μg tid;40μg tid
沙格雷酯|PADX|盐酸沙格雷酯片,安步乐克|100mg tid
利伐沙班|AC|利伐沙班片,拜瑞妥|15mg qd;20mg qd;10mg qd
达比加群酯|AC|达比加群酯胶囊,泰毕全|110mg bid
华法林|AC|华法林钠片|2.5mg qd;3mg qd
单硝酸异山梨酯|NITRATE|单硝酸异山梨酯缓释片,依姆多,异乐定|40mg qd;30mg qd
硝酸异山梨酯|NITRATE|硝酸异山梨酯片,消心痛|10mg tid
曲美他嗪|CARDIO|盐酸曲美他嗪缓释片,万爽力|35mg bid
尼可地尔|CARDIO|尼可地尔片,喜格迈|5mg tid
伊伐布雷定|CARDIO|盐酸伊伐布雷定片,可兰特|5mg bid
地高辛|CARDIO|地高辛片|0.125mg qd
胺碘酮|CARDIO|盐酸胺碘酮片,可达龙|0.2g qd
非布司他|URATE|非布司他片,优立通,风定宁|20mg qd;40mg qd
别嘌醇|URATE|别嘌醇片,别嘌醇缓释胶囊,赛来力|0.1g qd;0.1g bid;0.25g qd
苯溴马隆|URATE|苯溴马隆片,立加利仙|50mg qd;25mg qd
秋水仙碱|GOUTACUTE|秋水仙碱片|0.5mg bid;0.5mg qd
依托考昔|NSAID|依托考昔片,安康信|60mg qd;120mg qd
塞来昔布|NSAID|塞来昔布胶囊,西乐葆|0.2g qd
双氯芬酸|NSAID|双氯芬酸钠缓释片,扶他林|75mg qd
碳酸氢钠|ALK|5%碳酸氢钠注射液,碳酸氢钠片,小苏打片,小苏打|0.5g tid;1.0g tid
枸橼酸钾|ELEC|枸橼酸钾颗粒,枸橼酸钾缓释片|1袋 tid
氯化钾|ELEC|氯化钾注射液,氯化钾缓释片,补达秀,10%氯化钾口服液|1g tid;0.5g tid
左甲状腺素|THY|左甲状腺素钠片,优甲乐,雷替斯,L-T4|25μg qd;50μg qd;75μg qd;100μg qd;12.5μg qd
甲巯咪唑|ATD|甲巯咪唑片,赛治,他巴唑|10mg tid;10mg bid;5mg qd;15mg qd
丙硫氧嘧啶|ATD|丙硫氧嘧啶片,PTU|100mg tid;50mg tid
碳酸钙D3|CALC|碳酸钙D3片,钙尔奇D,钙尔奇D600,碳酸钙D3咀嚼片|1片 qd;1片 bid
碳酸钙|CALC|碳酸钙片,碳酸钙咀嚼片|0.75g tid
骨化三醇|VITD|骨化三醇胶丸,罗盖全|0.25μg qd;0.25μg bid
阿法骨化醇|VITD|阿法骨化醇软胶囊,阿法迪三,阿法D3|0.5μg qd;0.25μg qd
维生素D|VITD|维生素D滴剂,维生素D3,胆维丁|800IU qd;1粒 qd
阿仑膦酸钠|BISPH|阿仑膦酸钠片,福善美,固邦|70mg qw
利塞膦酸钠|BISPH|利塞膦酸钠片,积华固松|35mg qw
甲钴胺|NEURO|甲钴胺注射液,甲钴胺片,弥可保,甲钴胺分散片,弥可保片|0.5mg tid
硫辛酸|NEURO|硫辛酸注射液,α-硫辛酸,硫辛酸胶囊,亚宝力平,奥力宝|0.6g qd;0.2g tid
依帕司他|NEURO|依帕司他片,唐林|50mg tid
维生素B1|NEURO|维生素B1片,VitB1|10mg tid
腺苷钴胺|NEURO|腺苷钴胺片|0.5mg tid
胰激肽原酶|MICRO|胰激肽原酶肠溶片,怡开|120U tid;240U tid
羟苯磺酸钙|MICRO|羟苯磺酸钙胶囊,导升明,多贝斯|0.5g tid;0.5g bid
木丹颗粒|MICRO|木丹|1袋 tid
普瑞巴林|PAIN|普瑞巴林胶囊,乐瑞卡|75mg bid;75mg qn
加巴喷丁|PAIN|加巴喷丁胶囊,派汀|0.3g tid;0.1g tid
度洛西汀|PAIN|盐酸度洛西汀肠溶胶囊,欣百达|30mg qd;60mg qd
奥美拉唑|PPI|注射用奥美拉唑钠,奥美拉唑肠溶胶囊,奥美拉唑肠溶片,洛赛克|20mg qd;20mg bid
泮托拉唑|PPI|注射用泮托拉唑钠,泮托拉唑钠肠溶片,泮托拉唑钠肠溶胶囊,泰美尼克|40mg qd;20mg qd
雷贝拉唑|PPI|雷贝拉唑钠肠溶片,波利特,济诺|10mg qd;20mg qd
艾司奥美拉唑|PPI|埃索美拉唑,埃索美拉唑镁肠溶片,耐信|20mg qd;40mg qd
兰索拉唑|PPI|兰索拉唑肠溶片,达克普隆|30mg qd
铝碳酸镁|GI|铝碳酸镁咀嚼片,达喜|1g tid
莫沙必利|GI|枸橼酸莫沙必利片,加斯清,贝络纳|5mg tid
多潘立酮|GI|多潘立酮片,吗丁啉|10mg tid
瑞巴派特|GI|瑞巴派特片,膜固思达|0.1g tid
替普瑞酮|GI|替普瑞酮胶囊,施维舒|50mg tid
枸橼酸铋钾|GI|枸橼酸铋钾胶囊,丽珠得乐|0.3g qid
双歧杆菌三联活菌|GI|双歧杆菌三联活菌胶囊,培菲康|420mg bid
乳果糖|GI|乳果糖口服溶液,杜密克|15ml qd
聚乙二醇4000|GI|聚乙二醇4000散,福松|10g qd
蒙脱石|GI|蒙脱石散,思密达|3g tid
复方α-酮酸|CKDX|复方α-酮酸片,开同,α-酮酸|4片 tid;3片 tid
司维拉姆|CKDX|碳酸司维拉姆,碳酸司维拉姆片,诺维乐|0.8g tid
碳酸镧|CKDX|碳酸镧咀嚼片,福斯利诺|0.5g tid
百令胶囊|CKDX|百令|5粒 tid
金水宝胶囊|CKDX|金水宝|3粒 tid
黄葵胶囊|CKDX|黄葵|5粒 tid
尿毒清颗粒|CKDX|尿毒清|1袋 tid
海昆肾喜胶囊|CKDX|海昆肾喜|2粒 tid
药用炭|CKDX|药用炭片,爱西特|3片 tid
罗沙司他|ANEMIA|罗沙司他胶囊,爱瑞卓|100mg tiw;70mg tiw
琥珀酸亚铁|ANEMIA|琥珀酸亚铁片,速力菲|0.1g tid;0.2g tid
多糖铁复合物|ANEMIA|多糖铁复合物胶囊,力蜚能|150mg qd
叶酸|ANEMIA|叶酸片,斯利安|5mg tid;0.4mg qd
重组人促红素|ANEMIA|重组人促红素注射液,益比奥,EPO,促红素|3000IU biw
维生素B12|ANEMIA|维生素B12片,氰钴胺|25μg tid
多烯磷脂酰胆碱|LIVER|多烯磷脂酰胆碱注射液,多烯磷脂酰胆碱胶囊,易善复|456mg tid;228mg tid
水飞蓟宾|LIVER|水飞蓟宾胶囊,水林佳,水飞蓟宾葡甲胺片|70mg tid;140mg tid
双环醇|LIVER|双环醇片,百赛诺|25mg tid
复方甘草酸苷|LIVER|复方甘草酸苷片,美能|2片 tid
甘草酸二铵|LIVER|甘草酸二铵肠溶胶囊,天晴甘平|150mg tid
熊去氧胆酸|LIVER|熊去氧胆酸胶囊,优思弗|250mg bid
左氧氟沙星|ABX|左氧氟沙星注射液,左氧氟沙星片,盐酸左氧氟沙星,可乐必妥,来立信,左氧|0.5g qd
莫西沙星|ABX|莫西沙星氯化钠注射液,盐酸莫西沙星片,拜复乐|0.4g qd
头孢呋辛|ABX|头孢呋辛酯片,西力欣,达力新|0.25g bid
头孢克肟|ABX|头孢克肟分散片,世福素|0.1g bid
阿莫西林克拉维酸|ABX|阿莫西林克拉维酸钾片,安灭菌,奥格门汀|0.457g bid
呋喃妥因|ABX|呋喃妥因肠溶片,呋喃坦啶|50mg tid
磷霉素|ABX|磷霉素氨丁三醇散,复美欣|3g qod
阿奇霉素|ABX|阿奇霉素片,希舒美|0.5g qd
氨溴索|RESP|氨溴索注射液,盐酸氨溴索片,沐舒坦,氨溴索口服液|30mg tid
乙酰半胱氨酸|RESP|乙酰半胱氨酸泡腾片,富露施|0.6g qd
羧甲司坦|RESP|羧甲司坦片|0.5g tid
孟鲁司特|RESP|孟鲁司特钠片,顺尔宁|10mg qn
布地奈德福莫特罗|RESP|布地奈德福莫特罗粉吸入剂,信必可都保,信必可|1吸 bid
噻托溴铵|RESP|噻托溴铵粉吸入剂,思力华|18μg qd
艾司唑仑|SLEEP|艾司唑仑片,舒乐安定|1mg qn;2mg qn
阿普唑仑|SLEEP|阿普唑仑片,佳静安定|0.4mg qn
右佐匹克隆|SLEEP|右佐匹克隆片,文飞|3mg qn
唑吡坦|SLEEP|酒石酸唑吡坦片,思诺思|10mg qn
劳拉西泮|SLEEP|劳拉西泮片,罗拉|0.5mg qn
氟哌噻吨美利曲辛|PSY|氟哌噻吨美利曲辛片,黛力新|1片 qd;1片 bid
艾司西酞普兰|PSY|草酸艾司西酞普兰片,来士普|10mg qd
舍曲林|PSY|盐酸舍曲林片,左洛复|50mg qd
丁苯酞|NEUROX|丁苯酞软胶囊,恩必普|0.2g tid
银杏叶提取物|NEUROX|银杏叶提取物片,金纳多,银杏叶片|1片 tid
倍他司汀|NEUROX|甲磺酸倍他司汀片,敏使朗|6mg tid
多奈哌齐|NEUROX|盐酸多奈哌齐片,安理申|5mg qn
尼麦角林|NEUROX|尼麦角林片,思尔明|10mg tid
坦索罗辛|BPH|盐酸坦索罗辛缓释胶囊,哈乐|0.2mg qn
非那雄胺|BPH|非那雄胺片,保列治|5mg qd
普适泰|BPH|普适泰片,舍尼通|1片 bid
复方丹参滴丸|TCM|丹参滴丸,复方丹参|10丸 tid
麝香保心丸|TCM|麝香保心|2丸 tid
通心络胶囊|TCM|通心络|3粒 tid
脑心通胶囊|TCM|脑心通,步长脑心通|3粒 tid
血塞通|TCM|血塞通软胶囊,血塞通片|0.1g tid
芪苈强心胶囊|TCM|芪苈强心|4粒 tid
稳心颗粒|TCM|稳心|1袋 tid
参松养心胶囊|TCM|参松养心|4粒 tid
维生素C|VIT|维生素C片,VitC|0.1g tid
复合维生素B|VIT|复合维生素B片|2片 tid
维生素E|VIT|维生素E软胶囊|0.1g qd
谷维素|VIT|谷维素片|10mg tid
前列地尔|INPT|前列地尔注射液,凯时,保达新|10μg ivgtt qd|inpt
丹红注射液|INPT|丹红|20ml ivgtt qd|inpt
银杏达莫|INPT|银杏达莫注射液|20ml ivgtt qd|inpt
依达拉奉|INPT|依达拉奉注射液|30mg ivgtt bid|inpt
头孢哌酮舒巴坦|INPT|注射用头孢哌酮钠舒巴坦钠,舒普深|3g ivgtt q12h|inpt
哌拉西林他唑巴坦|INPT|注射用哌拉西林钠他唑巴坦钠,特治星|4.5g ivgtt q8h|inpt
头孢曲松|INPT|注射用头孢曲松钠,罗氏芬|2g ivgtt qd|inpt
头孢他啶|INPT|注射用头孢他啶,复达欣|2g ivgtt q12h|inpt
头孢唑肟|INPT|注射用头孢唑肟钠|2g ivgtt q12h|inpt
美罗培南|INPT|注射用美罗培南,美平|1g ivgtt q8h|inpt
奥硝唑|INPT|奥硝唑氯化钠注射液|0.5g ivgtt q12h|inpt
还原型谷胱甘肽|INPT|注射用还原型谷胱甘肽,阿拓莫兰|1.8g ivgtt qd|inpt
异甘草酸镁|INPT|异甘草酸镁注射液,天晴甘美|0.2g ivgtt qd|inpt
唑来膦酸|INPT|唑来膦酸注射液,密固达,依固|5mg ivgtt|inpt
鲑降钙素|INPT|鲑降钙素注射液,密盖息|50IU im qd|inpt
重组人脑利钠肽|INPT|新活素,冻干重组人脑利钠肽|0.5mg 泵入|inpt
依诺肝素|INPT|依诺肝素钠注射液,克赛|4000IU ih q12h|inpt
低分子肝素钙|INPT|低分子肝素钙注射液,速碧林|4100IU ih qd|inpt
人血白蛋白|INPT|人血白蛋白|10g ivgtt qd|inpt
复方氨基酸|INPT|复方氨基酸注射液|250ml ivgtt qd|inpt
维生素B6|INPT|维生素B6注射液|0.1g ivgtt qd|inpt
丹参多酚酸盐|INPT|注射用丹参多酚酸盐|200mg ivgtt qd|inpt
长春西汀|INPT|长春西汀注射液|20mg ivgtt qd|inpt
奥拉西坦|INPT|注射用奥拉西坦|4g ivgtt qd|inpt
小牛血清去蛋白|INPT|小牛血清去蛋白注射液,爱维治|20ml ivgtt qd|inpt
鼠神经生长因子|INPT|注射用鼠神经生长因子,恩经复|30μg im qd|inpt
甲泼尼龙|INPT|注射用甲泼尼龙琥珀酸钠,甲强龙|40mg ivgtt qd|inpt
地塞米松|INPT|地塞米松磷酸钠注射液|5mg iv|inpt
胰岛素泵|INPT|CSII|持续皮下输注|inpt
`;

export const CLASS_LABEL: Record<string, string[]> = {
  MET: ['双胍类', '二甲双胍类药物'],
  AGI: ['α-糖苷酶抑制剂', 'AGI'],
  SGLT2: ['SGLT2抑制剂', 'SGLT-2i', '钠-葡萄糖协同转运蛋白2抑制剂'],
  DPP4: ['DPP-4抑制剂', 'DPP-4i', '二肽基肽酶4抑制剂'],
  SU: ['磺脲类药物', '胰岛素促泌剂'],
  GLN: ['格列奈类', '餐时血糖调节剂'],
  TZD: ['噻唑烷二酮类', '胰岛素增敏剂'],
  GLP1: ['GLP-1受体激动剂', 'GLP-1RA', '肠促胰素类药物'],
  PRAND: ['餐时胰岛素', '速效胰岛素类似物'],
  BASAL: ['基础胰岛素', '长效胰岛素'],
  PREMIX: ['预混胰岛素', '预混胰岛素类似物'],
  TCMDM: ['中成药辅助降糖'],
  STATIN: ['他汀类', '他汀', '他汀类调脂药'],
  EZE: ['胆固醇吸收抑制剂'],
  FIB: ['贝特类', '降甘油三酯药物'],
  LIPOX: ['调脂药物'],
  CCB: ['CCB', '钙通道阻滞剂', '钙拮抗剂'],
  ARB: ['ARB', '血管紧张素II受体拮抗剂'],
  ACEI: ['ACEI', 'ACE抑制剂'],
  ARNI: ['ARNI', '血管紧张素受体脑啡肽酶抑制剂'],
  BB: ['β受体阻滞剂', 'β阻滞剂'],
  MRA: ['醛固酮受体拮抗剂'],
  LOOP: ['袢利尿剂', '利尿剂'],
  THZ: ['噻嗪类利尿剂', '利尿剂'],
  ALPHA: ['α受体阻滞剂'],
  AP: ['抗血小板药物', '抗血小板聚集'],
  PADX: ['改善循环药物', '扩血管药物'],
  AC: ['抗凝药物', '抗凝'],
  NITRATE: ['硝酸酯类', '扩冠药物'],
  CARDIO: ['改善心肌代谢药物'],
  URATE: ['降尿酸药物', '降尿酸治疗'],
  GOUTACUTE: ['抗炎止痛'],
  NSAID: ['NSAIDs', '非甾体抗炎药'],
  ALK: ['碱化尿液', '纠酸'],
  ELEC: ['补钾'],
  THY: ['甲状腺激素替代', '补充甲状腺激素'],
  ATD: ['抗甲状腺药物', 'ATD'],
  CALC: ['补钙', '钙剂'],
  VITD: ['活性维生素D', '维生素D'],
  BISPH: ['双膦酸盐', '抗骨质疏松药物'],
  NEURO: ['营养神经', '营养神经药物'],
  MICRO: ['改善微循环'],
  PAIN: ['神经痛药物', '止痛'],
  PPI: ['PPI', '质子泵抑制剂', '护胃'],
  GI: ['胃肠动力药', '护胃'],
  CKDX: ['护肾', '延缓肾功能进展'],
  ANEMIA: ['纠正贫血'],
  LIVER: ['保肝', '护肝'],
  ABX: ['口服抗生素', '抗感染'],
  RESP: ['化痰', '平喘'],
  SLEEP: ['助眠', '镇静催眠'],
  PSY: ['抗焦虑', '抗抑郁'],
  NEUROX: ['改善脑循环'],
  BPH: ['改善排尿'],
  TCM: ['中成药'],
  VIT: ['维生素'],
  WBC: ['升白细胞'],
  INPT: ['静脉用药'],
};

function parse(): DrugInfo[] {
  const out: DrugInfo[] = [];
  for (const raw of TABLE.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [name, cls, aliases, doses, flags] = line.split('|');
    if (!name || !cls) throw new Error(`bad drug line: ${line}`);
    out.push({
      name,
      cls,
      aliases: (aliases ?? '').split(',').filter((a) => a && a !== name),
      doses: (doses ?? '').split(';').filter(Boolean),
      inpatientOnly: flags === 'inpt',
    });
  }
  return out;
}

export const DRUGS: readonly DrugInfo[] = parse();
export const DRUG_BY_NAME: ReadonlyMap<string, DrugInfo> = new Map(DRUGS.map((d) => [d.name, d]));

export function drug(name: string): DrugInfo {
  const d = DRUG_BY_NAME.get(name);
  if (!d) throw new Error(`unknown drug ${name}`);
  return d;
}

export function classOf(name: string): string {
  return drug(name).cls;
}

/** Drugs that may appear in discharge labels (not inpatient-only). */
export const DISCHARGEABLE: readonly string[] = DRUGS.filter((d) => !d.inpatientOnly).map((d) => d.name);

export const INSULIN_CLASSES = new Set(['PRAND', 'BASAL', 'PREMIX']);
