import unittest

import torch

from training.tests._util import FIXTURES  # noqa: F401
from dischargerx_train.decode import CandidateTrie, constrained_greedy, set_metrics
from dischargerx_train.model import LlamaLM
from dischargerx_train.tokenizer import CharTokenizer


class DecodeTest(unittest.TestCase):
    def test_constrained_output_is_subset_without_duplicates(self):
        names = ["二甲双胍", "二甲双胍缓释", "阿卡波糖", "阿司匹林", "氯吡格雷"]
        tok = CharTokenizer.build(["糖尿病"], names, min_count=1)
        for seed in range(5):
            torch.manual_seed(seed)
            m = LlamaLM(dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                             intermediate_size=64, max_position_embeddings=128, rope_theta=1e4, rms_norm_eps=1e-5,
                             vocab_size=len(tok))).eval()
            out = constrained_greedy(m, tok, tok.encode("糖尿病"), CandidateTrie(names, tok))
            self.assertTrue(set(out) <= set(names))
            self.assertEqual(len(out), len(set(out)))

    def test_metrics(self):
        m = set_metrics([["a", "b"], []], [["a", "c"], []])
        self.assertAlmostEqual(m["jaccard"], (1 / 3 + 1) / 2)
        self.assertAlmostEqual(m["f1"], (0.5 + 1) / 2)
        self.assertAlmostEqual(m["score"], (m["jaccard"] + m["f1"]) / 2)


if __name__ == "__main__":
    unittest.main()
