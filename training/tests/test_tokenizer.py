import json
import os
import tempfile
import unittest

from training.tests._util import FIXTURES
from dischargerx_train.tokenizer import CharTokenizer


class TokenizerTest(unittest.TestCase):
    def setUp(self):
        self.tok = CharTokenizer.build(["糖尿病糖尿病", "abc"], ["二甲双胍", "阿卡波糖"], min_count=2)

    def test_specials_first(self):
        self.assertEqual(self.tok.vocab[:5], ["<pad>", "<unk>", "<s>", "</s>", "<sep>"])
        self.assertEqual((self.tok.pad_id, self.tok.unk_id, self.tok.bos_id, self.tok.eos_id, self.tok.sep_id),
                         (0, 1, 2, 3, 4))

    def test_candidates_always_covered(self):
        for ch in "二甲双胍阿卡波糖":
            self.assertIn(ch, self.tok.tok2id)

    def test_unknown_and_specials(self):
        ids = self.tok.encode("糖😀<sep>x</s>", add_bos=True)
        self.assertEqual(ids[0], self.tok.bos_id)
        self.assertEqual(ids[1], self.tok.tok2id["糖"])
        self.assertEqual(ids[2], self.tok.unk_id)  # astral char, one code point -> one <unk>
        self.assertEqual(ids[3], self.tok.sep_id)
        self.assertEqual(ids[5], self.tok.eos_id)
        self.assertEqual(self.tok.encode("<se"), [2, self.tok.tok2id["<"], self.tok.tok2id["s"], self.tok.tok2id["e"]])

    def test_save_load_roundtrip_and_format(self):
        with tempfile.TemporaryDirectory() as td:
            self.tok.save(td, model_max_length=640)
            tok2 = CharTokenizer.load(td)
            self.assertEqual(tok2.vocab, self.tok.vocab)
            with open(os.path.join(td, "tokenizer.json"), encoding="utf-8") as f:
                tj = json.load(f)
            self.assertEqual(tj["model"]["type"], "WordPiece")
            self.assertEqual(tj["pre_tokenizer"]["type"], "Split")
            self.assertIsNone(tj["normalizer"])
            self.assertTrue(all(t["special"] for t in tj["added_tokens"]))
            with open(os.path.join(td, "tokenizer_config.json"), encoding="utf-8") as f:
                tc = json.load(f)
            self.assertEqual(tc["bos_token"], "<s>")
        text = "男，56岁\n【诊断】糖尿病"
        self.assertEqual(self.tok.decode(self.tok.encode(text)), text)  # template chars are always in vocab

    def test_fixture_tokenizer_loads(self):
        tok = CharTokenizer.load(os.path.join(FIXTURES, "tokenizer"))
        self.assertGreater(len(tok), 100)


if __name__ == "__main__":
    unittest.main()
