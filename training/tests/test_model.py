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

    def test_exported_layers_have_no_repeat_kv_and_compute_no_shapes(self):
        # Issue #10: per-call node count. A layer neither expands K/V per query head (repeat_kv)
        # nor reads shapes to build reshape targets (Shape -> Gather -> Unsqueeze -> Concat chains);
        # the mask's one Expand and Tile and the prefix length are computed once per call, outside
        # the layers.
        import onnx
        with tempfile.TemporaryDirectory() as td:
            path = export_onnx(self.m, os.path.join(td, "onnx", "model.onnx"))
            nodes = onnx.load(path).graph.node
        in_layers = [n.op_type for n in nodes if n.name.startswith("/layers.")]
        for op in ("Expand", "Tile", "Shape", "Gather"):
            self.assertEqual(in_layers.count(op), 0, op)
        self.assertEqual(sum(op == "Reshape" for op in in_layers), 6 * CFG["num_hidden_layers"])
        self.assertGreater(in_layers.count("MatMul"), 0)

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
                    feeds["prefix_key_values.%d.%s" % (i, kv)] = np.zeros((1, 2, 0, 8), np.float32)
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
                    feeds2["prefix_key_values.%d.%s" % (i, kv)] = np.zeros((1, 2, 0, 8), np.float32)
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


def kv_feeds(prefix, past, n_layers=2):
    """prefix_key_values.* / past_key_values.* feeds from per-layer (k, v) numpy pairs."""
    feeds = {}
    for i in range(n_layers):
        for j, kv in enumerate(("key", "value")):
            feeds["prefix_key_values.%d.%s" % (i, kv)] = np.ascontiguousarray(prefix[i][j], np.float32)
            feeds["past_key_values.%d.%s" % (i, kv)] = np.ascontiguousarray(past[i][j], np.float32)
    return feeds


def empty_kv(rows, n_layers=2, kv_heads=2, head_dim=8):
    return [(np.zeros((rows, kv_heads, 0, head_dim), np.float32),) * 2 for _ in range(n_layers)]


class SharedPrefixTest(unittest.TestCase):
    """The exported graph with the prompt's K/V fed once as a shared prefix (batch 1) and only
    each row's generated suffix as the past, against the PyTorch model on the whole contiguous
    cache: the prompt call, steps whose rows differ, a multi-token step, a fork and a masked
    unfilled tail (the decoder's slot arena, src/decoding/kv-arena.ts)."""

    def setUp(self):
        torch.manual_seed(1)
        self.m = LlamaLM(CFG).eval()

    def wrapper_out(self, ids, am, pos, prefix, past):
        from dischargerx_train.model import OnnxWrapper
        flat = [x for kv in past for x in kv] + [x for kv in prefix for x in kv]
        with torch.no_grad():
            return OnnxWrapper(self.m)(ids, am, pos, *[torch.as_tensor(np.asarray(x)) for x in flat])

    def reference(self, ids, pos, prompt_kv, suffix_kv, rows):
        """PyTorch logits on the contiguous cache: prompt K/V copied per row, then the suffix."""
        f = lambda x: torch.as_tensor(np.asarray(x, np.float32))  # noqa: E731  (onnxruntime results come back as float64)
        past = [(torch.cat([f(pk).expand(len(rows), -1, -1, -1), f(sk)], 2),
                 torch.cat([f(pv).expand(len(rows), -1, -1, -1), f(sv)], 2))
                for (pk, pv), (sk, sv) in zip(prompt_kv, suffix_kv)]
        L = past[0][0].shape[2] + ids.shape[1]
        with torch.no_grad():
            logits, _ = self.m(torch.as_tensor(ids), attention_mask=torch.ones(len(rows), L, dtype=torch.long),
                               position_ids=torch.as_tensor(pos), past=past)
        return logits.numpy()

    def run_steps(self, call):
        """Prompt, a 3-row step with different tokens, a fork to rows [0, 0, 2] with a 2-token step
        over a past whose last position is an unfilled (masked) tail. `call(ids, am, pos, prefix,
        past)` -> {name: array}. Returns the worst |logit diff| against PyTorch."""
        n = 7
        prompt = torch.randint(0, 50, (1, n))
        with torch.no_grad():
            ref0, pres = self.m(prompt)
        out = call(prompt.numpy(), np.ones((1, n), np.int64), np.arange(n)[None], empty_kv(1), empty_kv(1))
        worst = np.abs(out["logits"] - ref0.numpy()).max()
        prompt_kv = [(out["new_key_values.%d.key" % i], out["new_key_values.%d.value" % i]) for i in range(2)]
        for i in range(2):  # the prompt call's own rows are the prompt's K/V
            self.assertLess(np.abs(prompt_kv[i][0] - pres[i][0].numpy()).max(), 1e-5)
        # Step 1: three rows, different tokens, suffix empty.
        ids1 = np.array([[11], [12], [13]])
        pos1 = np.full((3, 1), n)
        out1 = call(ids1, np.ones((3, n + 1), np.int64), pos1, prompt_kv, empty_kv(3))
        ref1 = self.reference(ids1, pos1, prompt_kv, empty_kv(3), [0, 1, 2])
        worst = max(worst, np.abs(out1["logits"] - ref1).max())
        self.assertGreater(np.abs(out1["logits"][0] - out1["logits"][1]).max(), 1e-3)
        suffix = [(out1["new_key_values.%d.key" % i], out1["new_key_values.%d.value" % i]) for i in range(2)]
        # Fork: rows [0, 0, 2]; each slot gets one unfilled position after its suffix (garbage, masked).
        fork = [0, 0, 2]
        garbage = np.random.default_rng(0).normal(size=(3, 2, 1, 8)).astype(np.float32) * 50
        slots = [(np.concatenate([k[fork], garbage], 2), np.concatenate([v[fork], garbage], 2)) for k, v in suffix]
        ids2 = np.array([[21, 22], [23, 24], [25, 26]])
        pos2 = np.tile(np.arange(n + 1, n + 3), (3, 1))
        am2 = np.ones((3, n + 2 + 2), np.int64)
        am2[:, n + 1] = 0  # the unfilled tail position
        out2 = call(ids2, am2, pos2, prompt_kv, slots)
        ref2 = self.reference(ids2, pos2, prompt_kv, [(k[fork], v[fork]) for k, v in suffix], fork)
        worst = max(worst, np.abs(out2["logits"] - ref2).max())
        self.assertEqual(out2["new_key_values.0.key"].shape, (3, 2, 2, 8))
        self.assertEqual(out2["present.0.key"].shape, (3, 2, 4, 8))  # past + new, the prefix not repeated
        # Without a prefix and with the whole cache as the past (the transformers.js path): the same logits.
        full = [(np.concatenate([np.repeat(pk, 3, 0)[fork], k], 2), np.concatenate([np.repeat(pv, 3, 0)[fork], v], 2))
                for (pk, pv), (k, v) in zip(prompt_kv, slots)]
        out3 = call(ids2, am2, pos2, empty_kv(1), full)
        worst = max(worst, np.abs(out3["logits"] - ref2).max())
        return worst

    def test_pytorch_wrapper_matches_the_contiguous_cache(self):
        names = ["logits"] + ["present.%d.%s" % (i, kv) for i in range(2) for kv in ("key", "value")] + \
                ["new_key_values.%d.%s" % (i, kv) for i in range(2) for kv in ("key", "value")]

        def call(ids, am, pos, prefix, past):
            res = self.wrapper_out(torch.as_tensor(ids), torch.as_tensor(am), torch.as_tensor(pos), prefix, past)
            return {k: v.numpy() for k, v in zip(names, res)}

        self.assertLess(self.run_steps(call), 1e-5)

    @unittest.skipUnless(ort_node.node_available(), "node + onnxruntime-node required")
    def test_onnx_export_matches_pytorch(self):
        with tempfile.TemporaryDirectory() as td:
            path = export_onnx(self.m, os.path.join(td, "onnx", "model.onnx"))
            import onnx
            g = onnx.load(path).graph
            names = [i.name for i in g.input]
            self.assertIn("prefix_key_values.1.value", names)
            dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in g.input}
            self.assertEqual(dims["prefix_key_values.0.key"], [1, 2, "prefix_length", 8])
            self.assertEqual(dims["past_key_values.0.key"][0], "batch_size")
            self.assertEqual(dims["attention_mask"][0], "batch_size")

            def call(ids, am, pos, prefix, past):
                return ort_node.run(path, {"input_ids": ids, "attention_mask": am, "position_ids": pos,
                                           **kv_feeds(prefix, past)})

            self.assertLess(self.run_steps(call), 1e-4)


if __name__ == "__main__":
    unittest.main()
