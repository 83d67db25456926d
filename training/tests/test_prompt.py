import json
import os
import unittest

from training.tests._util import FIXTURES
from dischargerx_train.prompt import build_prompt, format_target, format_bmi, compute_age, load_spec
from dischargerx_train.tokenizer import CharTokenizer


class PromptParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(FIXTURES, "prompt_parity.json"), encoding="utf-8") as f:
            cls.fx = json.load(f)
        cls.spec = load_spec()

    def test_fixture_is_current(self):
        self.assertEqual(self.fx["spec_version"], self.spec["version"])
        for rec, prompt in zip(self.fx["records"], self.fx["prompts"]):
            self.assertEqual(build_prompt(rec), prompt, "regenerate with training/make_fixtures.py")

    def test_budget_and_shape(self):
        for p in self.fx["prompts"]:
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

    def test_helpers(self):
        s = self.spec
        self.assertEqual(format_bmi(24.25, s), "24.3")
        self.assertEqual(format_bmi(24.95, s), "25.0")
        self.assertEqual(format_bmi("23.45", s), "23.5")
        self.assertEqual(format_bmi(None, s), s["demographics"]["bmiUnknown"])
        self.assertEqual(format_bmi(True, s), s["demographics"]["bmiUnknown"])
        self.assertEqual(format_bmi(999, s), s["demographics"]["bmiUnknown"])
        self.assertEqual(compute_age("1960-05-03", "2021-05-02", s), 60)
        self.assertEqual(compute_age("1960-05-03", "2021-05-03 08:00", s), 61)
        self.assertIsNone(compute_age("2030-01-01", "2024-01-01", s))
        self.assertIsNone(compute_age(None, "2024-01-01", s))

    def test_truncation_keeps_diagnosis_and_priority(self):
        rec = self.fx["records"][1]  # the long record
        p = build_prompt(rec)
        self.assertIn("【诊断】2型糖尿病伴多个并发症", p)
        self.assertIn("【主诉】", p)
        self.assertEqual(len(p), len(p[: self.spec["totalBudget"]]))


if __name__ == "__main__":
    unittest.main()
