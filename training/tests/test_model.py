import os
import tempfile
import unittest

import numpy as np
import torch

from training.tests._util import FIXTURES  # noqa: F401  (sets sys.path, threads)
from dischargerx_train import ort_node
from dischargerx_train.export_onnx import export_onnx
from dischargerx_train.model import LlamaLM

CFG = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
           max_position_embeddings=128, rope_theta=10000.0, rms_norm_eps=1e-5, vocab_size=50, tie_word_embeddings=True)


class ModelTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.m = LlamaLM(CFG).eval()

    def test_kv_cache_matches_full_forward(self):
        ids = torch.randint(0, 50, (2, 9))
        with torch.no_grad():
            full, _ = self.m(ids)
            a, past = self.m(ids[:, :6])
            b, _ = self.m(ids[:, 6:], attention_mask=torch.ones(2, 9, dtype=torch.long),
                          position_ids=torch.arange(6, 9).expand(2, 3), past=past)
        self.assertLess((torch.cat([a, b], 1) - full).abs().max().item(), 1e-5)

    def test_left_padding_invariance(self):
        ids = torch.randint(5, 50, (1, 7))
        padded = torch.cat([torch.zeros(1, 3, dtype=torch.long), ids], 1)
        am = torch.tensor([[0, 0, 0] + [1] * 7])
        pos = (am.cumsum(-1) - 1).clamp(min=0)
        with torch.no_grad():
            ref, _ = self.m(ids)
            out, _ = self.m(padded, attention_mask=am, position_ids=pos)
        self.assertLess((out[:, 3:] - ref).abs().max().item(), 1e-5)

    def test_grouped_attention_matches_the_repeated_kv_training_path(self):
        # Export and inference read each K/V head once for its group of query heads; training
        # repeats K/V per head. Both must be the same function of the weights.
        ids = torch.randint(0, 50, (2, 9))
        am = torch.ones(2, 9, dtype=torch.long)
        am[1, :3] = 0
        pos = (am.cumsum(-1) - 1).clamp(min=0)
        with torch.no_grad():
            grouped, _ = self.m.eval()(ids, attention_mask=am, position_ids=pos)
            repeated, _ = self.m.train()(ids, attention_mask=am, position_ids=pos)
        self.m.eval()
        self.assertLess((grouped[:, 3:] - repeated[:, 3:]).abs().max().item(), 1e-5)

    def test_exported_graph_has_no_repeat_kv(self):
        import onnx
        with tempfile.TemporaryDirectory() as td:
            path = export_onnx(self.m, os.path.join(td, "onnx", "model.onnx"))
            ops = [n.op_type for n in onnx.load(path).graph.node]
        self.assertEqual(ops.count("Expand"), 0)
        self.assertGreater(ops.count("MatMul"), 0)

    def test_untied(self):
        m = LlamaLM(dict(CFG, tie_word_embeddings=False))
        self.assertFalse(m.tied)
        self.assertEqual(m(torch.randint(0, 50, (1, 4)))[0].shape, (1, 4, 50))

    @unittest.skipUnless(ort_node.node_available(), "node + onnxruntime-node required")
    def test_onnx_export_runs_in_onnxruntime_node(self):
        with tempfile.TemporaryDirectory() as td:
            path = export_onnx(self.m, os.path.join(td, "onnx", "model.onnx"))
            ids = torch.randint(0, 50, (3, 5))
            am = torch.ones(3, 5, dtype=torch.long)
            am[2, :2] = 0
            pos = (am.cumsum(-1) - 1).clamp(min=0)
            feeds = {"input_ids": ids.numpy(), "attention_mask": am.numpy(), "position_ids": pos.numpy()}
            for i in range(2):
                for kv in ("key", "value"):
                    feeds["past_key_values.%d.%s" % (i, kv)] = np.zeros((3, 2, 0, 8), np.float32)
            out = ort_node.run(path, feeds)
            with torch.no_grad():
                ref, pres = self.m(ids, attention_mask=am, position_ids=pos)
            diff = np.abs(out["logits"] - ref.numpy())
            diff[2, :2] = 0  # fully padded query rows are undefined
            self.assertLess(diff.max(), 1e-4)
            self.assertEqual(out["present.1.value"].shape, (3, 2, 5, 8))
            self.assertTrue(np.array_equal(out["new_key_values.1.value"], out["present.1.value"]))
            # one cached step
            feeds2 = {"input_ids": np.array([[7], [8], [9]]), "attention_mask": np.ones((3, 6), np.int64),
                      "position_ids": pos.numpy()[:, -1:] + 1}
            feeds2["attention_mask"][2, :2] = 0
            for i in range(2):
                for kv in ("key", "value"):
                    feeds2["past_key_values.%d.%s" % (i, kv)] = out["present.%d.%s" % (i, kv)].astype(np.float32)
            out2 = ort_node.run(path, feeds2)
            with torch.no_grad():
                ref2, _ = self.m(torch.tensor(feeds2["input_ids"]), attention_mask=torch.tensor(feeds2["attention_mask"]),
                                 position_ids=torch.tensor(feeds2["position_ids"]), past=pres)
            self.assertLess(np.abs(out2["logits"] - ref2.numpy()).max(), 1e-4)
            # The call's own rows are exactly the tail of the whole cache.
            for i in range(2):
                for kv in ("key", "value"):
                    present = out2["present.%d.%s" % (i, kv)]
                    self.assertEqual(out2["new_key_values.%d.%s" % (i, kv)].shape, (3, 2, 1, 8))
                    self.assertTrue(np.array_equal(out2["new_key_values.%d.%s" % (i, kv)], present[:, :, -1:]))


if __name__ == "__main__":
    unittest.main()
