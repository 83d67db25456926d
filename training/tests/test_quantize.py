import os
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from training.tests._util import FIXTURES  # noqa: F401
from dischargerx_train import ort_node
from dischargerx_train import quantize as Q


def tiny_graph(W):
    K, N = W.shape
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["H"], name="mm"), helper.make_node("Relu", ["H"], ["Y"], name="relu")],
        "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["b", "t", K])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["b", "t", N])], [numpy_helper.from_array(W, "W")])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)])
    m.ir_version = 8
    return m


def simulate_q8(X, W):
    """numpy model of DynamicQuantizeLinear + MatMulInteger + scales."""
    q, ws = Q.quantize_int8_weight(W)
    xmin, xmax = min(0.0, float(X.min())), max(0.0, float(X.max()))
    xs = np.float32((xmax - xmin) / 255.0)
    zp = np.clip(np.rint(-xmin / xs), 0, 255)
    xq = np.clip(np.rint(X / xs) + zp, 0, 255)
    return ((xq - zp) @ q.astype(np.float64)) * (xs * ws)


class QuantizeTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.W = rng.normal(size=(80, 24)).astype(np.float32)  # K=80: not a multiple of 32 (padding path)
        self.X = rng.normal(size=(2, 3, 80)).astype(np.float32)
        self.td = tempfile.TemporaryDirectory()
        self.src = os.path.join(self.td.name, "m.onnx")
        onnx.save(tiny_graph(self.W), self.src)

    def tearDown(self):
        self.td.cleanup()

    def test_q8_structure_and_error(self):
        q = Q.quantize_q8(onnx.load(self.src))
        onnx.checker.check_model(q)
        ops = [n.op_type for n in q.graph.node]
        self.assertEqual(ops, ["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Relu"])
        self.assertNotIn("W", [i.name for i in q.graph.initializer])
        qw, s = Q.quantize_int8_weight(self.W)
        self.assertEqual(qw.dtype, np.int8)
        self.assertTrue(np.all(np.abs(qw.astype(np.float32) * s - self.W) <= s / 2 + 1e-6))

    def test_q4_structure_and_error(self):
        q = Q.quantize_q4(onnx.load(self.src))
        n = q.graph.node[0]
        self.assertEqual((n.op_type, n.domain), ("MatMulNBits", "com.microsoft"))
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        self.assertEqual(attrs, {"K": 80, "N": 24, "bits": 4, "block_size": 32})
        r = Q.quantize_q4_weight(self.W, 32)
        self.assertEqual(r["B"].shape, (24, 3, 16))
        self.assertEqual(r["scales"].shape, (72,))
        self.assertEqual(r["zero_points"].shape, (48,))
        scales = np.repeat(r["scales"].reshape(24, 3), 32, axis=1)[:, :80].T
        self.assertTrue(np.all(np.abs(r["dequant"] - self.W) <= scales / 2 + 1e-5))

    @unittest.skipUnless(ort_node.node_available(), "node + onnxruntime-node required")
    def test_runs_in_onnxruntime_node(self):
        for mode in ("q8", "q4"):
            dst = os.path.join(self.td.name, "m_%s.onnx" % mode)
            Q.quantize_file(self.src, dst, mode)
            y = ort_node.run(dst, {"X": self.X})["Y"]
            if mode == "q4":
                ref = np.maximum(self.X @ Q.quantize_q4_weight(self.W, 32)["dequant"], 0)
                self.assertLess(np.abs(y - ref).max(), 1e-4)  # exact kernel semantics
            else:
                ref = np.maximum(simulate_q8(self.X, self.W), 0)
                self.assertLess(np.abs(y - ref).max(), 1e-3)
            fp = np.maximum(self.X @ self.W, 0)
            self.assertLess(np.abs(y - fp).max(), 0.5 if mode == "q8" else 3.0)


if __name__ == "__main__":
    unittest.main()
