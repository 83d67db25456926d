"""Re-export without a checkpoint: the weights read back from an exported fp32 graph."""
import io
import json
import os
import shutil
import tempfile
import unittest
from contextlib import redirect_stdout

import numpy as np
import onnx
import torch

from training.tests._util import FIXTURES
from dischargerx_train import ort_node
from dischargerx_train import reexport as R
from dischargerx_train.export_onnx import export_onnx
from dischargerx_train.manifest import build_manifest, write_manifest
from dischargerx_train.model import LlamaLM
from dischargerx_train.quantize import FILES, quantize_file

MICRO = os.path.join(FIXTURES, "micro-model")


def micro_model():
    with open(os.path.join(MICRO, "config.json"), encoding="utf-8") as fh:
        cfg = json.load(fh)
    return LlamaLM({k: cfg[k] for k in R.MODEL_KEYS})


class ReexportTest(unittest.TestCase):
    def test_weights_of_an_older_graph_reproduce_its_pytorch_reference(self):
        # The micro fixture was exported before the shared-prefix inputs (and stores its equal,
        # untrained norm weights once, behind Identity nodes); reference.json holds the logits
        # the PyTorch model it came from gave on the whole prompt.
        model = micro_model().eval()
        names = [i.name for i in onnx.load(os.path.join(MICRO, "onnx", "model.onnx")).graph.input]
        self.assertNotIn("prefix_key_values.0.key", names)
        model.load_state_dict(R.state_dict_from_onnx(os.path.join(MICRO, "onnx", "model.onnx"), model))
        with open(os.path.join(MICRO, "reference.json"), encoding="utf-8") as fh:
            ref = json.load(fh)
        with torch.no_grad():
            logits, _ = model(torch.tensor([ref["input_ids"]]))
        self.assertLess(np.abs(logits[0].numpy() - np.array(ref["logits_all"])).max(), 1e-4)

    def test_every_parameter_comes_back_bit_for_bit(self):
        torch.manual_seed(3)
        model = micro_model().eval()
        with tempfile.TemporaryDirectory() as td:
            path = export_onnx(model, os.path.join(td, "model.onnx"))
            back = R.state_dict_from_onnx(path, micro_model())
        want = model.state_dict()
        self.assertEqual(sorted(back), sorted(want))
        for k, v in want.items():
            self.assertTrue(torch.equal(back[k], v), k)

    def test_a_numbered_name_moved_to_another_weight_is_not_a_change(self):
        # torch.onnx numbers unnamed initializers by graph position: after a graph change the same
        # name can label another weight while every old weight is still there, byte for byte.
        from onnx import helper, numpy_helper

        def graph_file(td, name, inits):
            g = helper.make_graph([], "g", [], [], [numpy_helper.from_array(a, n) for n, a in inits])
            path = os.path.join(td, name)
            onnx.save(helper.make_model(g), path)
            return path

        a = np.arange(6, dtype=np.float32).reshape(2, 3)
        b = np.arange(6, 12, dtype=np.float32).reshape(2, 3)
        with tempfile.TemporaryDirectory() as td:
            old = graph_file(td, "old.onnx", [("onnx::MatMul_1", a), ("onnx::MatMul_2", b)])
            shifted = graph_file(td, "shifted.onnx", [("onnx::MatMul_1", b), ("onnx::MatMul_3", a)])
            lost = graph_file(td, "lost.onnx", [("onnx::MatMul_1", b), ("onnx::MatMul_3", b + 1)])
            self.assertEqual(R.changed_weights(old, shifted), ([], 2))
            self.assertEqual(R.changed_weights(old, lost), (["onnx::MatMul_1"], 2))

    def test_untied_head_is_read_from_its_matmul(self):
        torch.manual_seed(4)
        cfg = dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                   max_position_embeddings=64, rope_theta=10000.0, rms_norm_eps=1e-5, vocab_size=40, tie_word_embeddings=False)
        model = LlamaLM(cfg).eval()
        with tempfile.TemporaryDirectory() as td:
            back = R.state_dict_from_onnx(export_onnx(model, os.path.join(td, "model.onnx")), LlamaLM(cfg))
        self.assertTrue(torch.equal(back["lm_head.weight"], model.lm_head.weight))

    @unittest.skipUnless(ort_node.node_available(), "node + onnxruntime-node required")
    def test_from_onnx_rewrites_the_folder_with_the_same_weights(self):
        with tempfile.TemporaryDirectory() as td:
            folder = os.path.join(td, "m")
            shutil.copytree(MICRO, folder)
            # The fixture's q4 predates the float logits projection; requantise it with today's
            # quantize.py so that only the graph differs, as for the shipped model.
            for mode, name in FILES.items():
                quantize_file(os.path.join(folder, "onnx", "model.onnx"), os.path.join(folder, "onnx", name), mode)
            write_manifest(folder)
            before = build_manifest(folder)["files"]
            keep = {f["path"]: f["sha256"] for f in before if not f["path"].startswith("onnx/")}
            buf = io.StringIO()
            with redirect_stdout(buf):
                self.assertEqual(R.main(["--model", folder, "--from-onnx"]), 0)
            report = json.loads(buf.getvalue().split(") ", 1)[1])
            self.assertLess(report["max_logit_diff_vs_old_fp32"], 1e-5)
            for key in ("fp32_weights_checked", "q8_weights_checked", "q4_weights_checked"):
                self.assertGreater(report[key], 0)
            names = [i.name for i in onnx.load(os.path.join(folder, "onnx", "model.onnx")).graph.input]
            self.assertIn("prefix_key_values.0.key", names)
            after = build_manifest(folder)
            with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as fh:
                self.assertEqual(json.load(fh), after)
            self.assertEqual({f["path"]: f["sha256"] for f in after["files"] if not f["path"].startswith("onnx/")}, keep)
            self.assertEqual(sorted(os.listdir(os.path.join(folder, "onnx"))),
                             ["model.onnx", "model_q4.onnx", "model_quantized.onnx"])  # nothing temporary left
            # Idempotent: the new graph read back gives the same graph and weights again.
            with redirect_stdout(io.StringIO()):
                R.main(["--model", folder, "--from-onnx"])
            self.assertEqual(build_manifest(folder)["version"], after["version"])


if __name__ == "__main__":
    unittest.main()
