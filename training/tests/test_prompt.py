"""Prompts are built by src/clinical/prompt.ts (through Node); these tests check that the Python
side gets exactly the pinned fixture text, that the Python char tokenizer gives the pinned ids
(src/clinical/prompt.test.ts checks the same ids with transformers.js), and the target format."""
import json
import os
import unittest

from training.tests._util import FIXTURES
from dischargerx_train.prompt import build_prompt, build_prompts, format_target, load_spec
from dischargerx_train.tokenizer import CharTokenizer


class PromptParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(FIXTURES, "prompt_parity.json"), encoding="utf-8") as f:
            cls.fx = json.load(f)
        cls.spec = load_spec()
        cls.built = build_prompts(cls.fx["records"])

    def test_fixture_is_current(self):
        self.assertEqual(self.fx["spec_version"], self.spec["version"])
        self.assertEqual(self.built, self.fx["prompts"], "regenerate with training/make_fixtures.py")

    def test_single_and_batch_agree(self):
        self.assertEqual(build_prompt(self.fx["records"][0]), self.built[0])
        self.assertEqual(build_prompts([]), [])

    def test_budget_and_shape(self):
        for p in self.built:
            self.assertLessEqual(len(p), self.spec["totalBudget"])
            self.assertTrue(p.startswith(self.spec["demographics"]["label"]))
            self.assertTrue(p.endswith(self.spec["answerCue"]))

    def test_token_ids(self):
        tok = CharTokenizer.load(os.path.join(FIXTURES, "tokenizer"))
        for p, ids in zip(self.fx["prompts"], self.fx["token_ids"]):
            self.assertEqual(tok.encode(p), ids)
        for t, ids in zip(self.fx["targets"], self.fx["target_token_ids"]):
            self.assertEqual(format_target(t["drugs"], t["order"]), t["text"])
            self.assertEqual(tok.encode(t["text"], add_bos=False), ids)

    def test_truncation_keeps_diagnosis_and_priority(self):
        p = self.built[1]  # the long record
        self.assertIn("【诊断】2型糖尿病伴多个并发症", p)
        self.assertIn("【主诉】", p)

    def test_mention_line_groups_statuses(self):
        i = next(k for k, r in enumerate(self.fx["records"]) if r.get("就诊标识") == "P-mentions")
        line = next(l for l in self.built[i].split("\n") if l.startswith(self.spec["mentions"]["label"]))
        self.assertEqual(line, "【用药】在用:二甲双胍、西格列汀、氨氯地平、阿托伐他汀；停用:阿卡波糖、格列美脲；"
                               "院内:门冬胰岛素、硫辛酸；否认:阿司匹林")


if __name__ == "__main__":
    unittest.main()
