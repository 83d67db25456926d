import json
import os
import tempfile
import unittest

from training.tests._util import FIXTURES
from dischargerx_train import ort_node
from dischargerx_train.train import lr_at, main, replace_model_folder


class PipelineTest(unittest.TestCase):
    def test_tiny_end_to_end(self):
        tiny = os.path.join(FIXTURES, "tiny")
        with tempfile.TemporaryDirectory() as td:
            out = os.path.join(td, "models", "t")
            args = ["--data", tiny, "--out", out, "--run-dir", os.path.join(td, "run"), "--config", "tiny",
                    "--candidates", os.path.join(tiny, "candidates.json"), "--epochs", "1", "--max-train", "60",
                    "--max-dev", "4"]
            if not ort_node.node_available():
                args.append("--no-node-check")
            main(args)
            for f in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                      "special_tokens_map.json", "drug_order.json", "onnx/model.onnx", "onnx/model_quantized.onnx",
                      "onnx/model_q4.onnx"):
                self.assertTrue(os.path.exists(os.path.join(out, f)), f)
            with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
                cfg = json.load(f)
            self.assertEqual(cfg["model_type"], "llama")
            self.assertEqual(cfg["architectures"], ["LlamaForCausalLM"])
            self.assertEqual(cfg["dischargerx"]["training"]["seed"], 13)
            self.assertIn("prompt_spec_version", cfg["dischargerx"])
            with open(os.path.join(out, "drug_order.json"), encoding="utf-8") as f:
                self.assertEqual(len(json.load(f)), 32)
            if ort_node.node_available():
                with open(os.path.join(td, "run", "export_report.json")) as f:
                    rep = json.load(f)
                self.assertLess(rep["fp32"]["max_abs_diff"], 1e-4)


class ResumeTest(unittest.TestCase):
    """A run paused mid-epoch and resumed trains the same weights as one that never stopped."""

    def run_tiny(self, td, name, *extra):
        tiny = os.path.join(FIXTURES, "tiny")
        out = os.path.join(td, name)
        args = ["--data", tiny, "--out", out, "--run-dir", os.path.join(td, name + "-run"), "--config", "tiny",
                "--candidates", os.path.join(tiny, "candidates.json"), "--epochs", "2", "--max-train", "60",
                "--max-dev", "4", "--no-node-check", *extra]
        return main(args), out, os.path.join(td, name + "-run")

    def test_pause_then_resume_equals_one_run(self):
        import torch

        with tempfile.TemporaryDirectory() as td:
            done, _, whole_run = self.run_tiny(td, "whole")
            self.assertIsNotNone(done)
            with open(os.path.join(whole_run, "log.jsonl"), encoding="utf-8") as f:
                steps = [json.loads(l) for l in f if '"epoch"' in l and '"train_loss"' in l]
            self.assertEqual(len(steps), 2)
            # pause inside the first epoch: the folder is not written, a checkpoint is
            paused, out, run = self.run_tiny(td, "split", "--stop-at-step", "2")
            self.assertIsNone(paused)
            self.assertFalse(os.path.exists(out))
            self.assertTrue(os.path.exists(os.path.join(run, "checkpoint.pt")))
            done, out, run = self.run_tiny(td, "split", "--resume")
            self.assertIsNotNone(done)
            self.assertTrue(os.path.exists(os.path.join(out, "onnx", "model.onnx")))
            a = torch.load(os.path.join(whole_run, "best.pt"))
            b = torch.load(os.path.join(run, "best.pt"))
            self.assertEqual(set(a), set(b))
            for k in a:
                self.assertTrue(torch.equal(a[k], b[k]), k)
            with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
                training = json.load(f)["dischargerx"]["training"]
            with open(os.path.join(td, "whole", "config.json"), encoding="utf-8") as f:
                whole = json.load(f)["dischargerx"]["training"]
            for k in ("steps", "planned_steps", "epochs_run", "best_epoch"):
                self.assertEqual(training[k], whole[k], k)

    def test_resume_refuses_a_missing_or_foreign_checkpoint(self):
        with tempfile.TemporaryDirectory() as td:
            with self.assertRaises(SystemExit) as e:
                self.run_tiny(td, "none", "--resume")
            self.assertIn("no checkpoint.pt", str(e.exception))
            self.run_tiny(td, "x", "--stop-at-step", "1")
            with self.assertRaises(SystemExit) as e:  # same run dir, other seed
                self.run_tiny(td, "x", "--resume", "--seed", "14")
            self.assertIn("seed 13 != 14", str(e.exception))
            with self.assertRaises(SystemExit) as e:  # same run dir, other share of augmented prompts
                self.run_tiny(td, "x", "--resume", "--augment-rate", "1.0")
            self.assertIn("augment_rate 0.0 != 1.0", str(e.exception))


class PromptCacheTest(unittest.TestCase):
    """--prepare-prompts where Node runs, then training with no Node call at all (a GPU machine)."""

    def test_train_from_prepared_prompts_without_node(self):
        from unittest import mock

        from dischargerx_train import prompt

        tiny = os.path.join(FIXTURES, "tiny")
        with tempfile.TemporaryDirectory() as td:
            cache = os.path.join(td, "prompts")
            common = ["--data", tiny, "--run-dir", os.path.join(td, "run"), "--config", "tiny", "--candidates",
                      os.path.join(tiny, "candidates.json"), "--epochs", "1", "--max-train", "40", "--max-dev", "4",
                      "--no-node-check", "--prompt-cache", cache]
            self.assertEqual(main(common + ["--out", os.path.join(td, "unused"), "--prepare-prompts"]), os.path.abspath(cache))
            self.assertNotIn(prompt.PROMPT_CACHE_ENV, os.environ)  # the run's cache does not outlive it
            self.assertGreaterEqual(len(os.listdir(cache)), 3)  # train (augmented), dev, the parity reference
            self.assertFalse(os.path.exists(os.path.join(td, "unused")))
            with mock.patch.object(prompt, "_build_with_node", side_effect=AssertionError("Node was called")):
                out = main(common + ["--out", os.path.join(td, "model")])
            self.assertTrue(os.path.exists(os.path.join(out, "onnx", "model.onnx")))
            # other records are a cache miss: they go to Node
            with mock.patch.object(prompt, "_build_with_node", return_value=["p"]) as node:
                self.assertEqual(prompt.build_prompts([{"主诉": "头晕"}], cache_dir=cache), ["p"])
            node.assert_called_once()


class CarryTest(unittest.TestCase):
    """Train with --no-export, pack, unpack elsewhere, --resume: the export equals an uninterrupted run's."""

    def test_packed_run_exports_the_same_model(self):
        import torch

        from dischargerx_train.carry import pack, unpack

        tiny = os.path.join(FIXTURES, "tiny")
        with tempfile.TemporaryDirectory() as td:
            def args(name, *extra):
                return ["--data", tiny, "--out", os.path.join(td, name), "--run-dir", os.path.join(td, name + "-run"),
                        "--config", "tiny", "--candidates", os.path.join(tiny, "candidates.json"), "--epochs", "1",
                        "--max-train", "40", "--max-dev", "4", "--no-node-check", *extra]
            self.assertIsNotNone(main(args("whole")))
            paused = main(args("gpu", "--stop-at-step", "1"))
            self.assertIsNone(paused)
            with self.assertRaises(SystemExit) as e:  # a paused run needs its optimizer: not packed
                pack(os.path.join(td, "gpu-run"), os.path.join(td, "gpu.tar"))
            self.assertIn("paused at step 1", str(e.exception))
            self.assertEqual(main(args("gpu", "--resume", "--no-export")), os.path.join(td, "gpu-run"))
            self.assertFalse(os.path.exists(os.path.join(td, "gpu")))  # nothing exported
            pack(os.path.join(td, "gpu-run"), os.path.join(td, "gpu.tar"))
            unpack(os.path.join(td, "gpu.tar"), os.path.join(td, "here-run"))
            with self.assertRaises(SystemExit):  # never over a run's own checkpoint
                unpack(os.path.join(td, "gpu.tar"), os.path.join(td, "here-run"))
            out = main(args("here", "--resume"))
            self.assertTrue(os.path.exists(os.path.join(out, "onnx", "model_quantized.onnx")))
            a = torch.load(os.path.join(td, "whole-run", "best.pt"))
            b = torch.load(os.path.join(td, "here-run", "best.pt"))
            for k in a:
                self.assertTrue(torch.equal(a[k], b[k]), k)
            with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
                here = json.load(f)["dischargerx"]
            with open(os.path.join(td, "whole", "config.json"), encoding="utf-8") as f:
                whole = json.load(f)["dischargerx"]
            self.assertEqual(here["dev_metrics"], whole["dev_metrics"])
            self.assertEqual(here["training"]["steps"], whole["training"]["steps"])
            with open(os.path.join(out, "onnx", "model.onnx"), "rb") as f, \
                    open(os.path.join(td, "whole", "onnx", "model.onnx"), "rb") as g:
                self.assertEqual(f.read(), g.read())


class UnpackDataTest(unittest.TestCase):
    def test_xz_splits_and_parts_make_byte_identical_folders(self):
        import lzma

        from dischargerx_train.device_data import unpack_data

        with tempfile.TemporaryDirectory() as td:
            carry, dest = os.path.join(td, "carry"), os.path.join(td, "dx")
            os.makedirs(carry)
            a, b = b'{"id": 1}\n{"id": 2}\n', b'{"id": 3}\n'
            for name, data in (("one__train.jsonl.xz", a), ("two__train.jsonl.xz", b), ("one__dev.jsonl.xz", b)):
                with lzma.open(os.path.join(carry, name), "wb") as f:
                    f.write(data)
            with open(os.path.join(carry, "both__train.parts"), "w") as f:
                f.write("one__train.jsonl.xz\ntwo__train.jsonl.xz\n")
            with open(os.path.join(carry, "README"), "w") as f:
                f.write("not data")
            counts = unpack_data(carry, dest)
            self.assertEqual(counts, {"both/train": 3, "one/dev": 1, "one/train": 2, "two/train": 1})
            with open(os.path.join(dest, "both", "train.jsonl"), "rb") as f:
                self.assertEqual(f.read(), a + b)


class ModelFolderTest(unittest.TestCase):
    def test_replace_keeps_the_card_and_drops_stale_calibration(self):
        with tempfile.TemporaryDirectory() as td:
            new, out = os.path.join(td, "hf"), os.path.join(td, "out")
            os.makedirs(os.path.join(new, "onnx"))
            os.makedirs(os.path.join(out, "onnx"))
            for folder, tag in ((new, "new"), (out, "old")):
                with open(os.path.join(folder, "onnx", "model.onnx"), "w") as f:
                    f.write(tag)
            with open(os.path.join(out, "README.md"), "w") as f:
                f.write("card")
            with open(os.path.join(out, "decoding.json"), "w") as f:
                f.write("{}")
            replace_model_folder(new, out)
            with open(os.path.join(out, "onnx", "model.onnx")) as f:
                self.assertEqual(f.read(), "new")
            with open(os.path.join(out, "README.md")) as f:
                self.assertEqual(f.read(), "card")
            self.assertFalse(os.path.exists(os.path.join(out, "decoding.json")))


class ScheduleTest(unittest.TestCase):
    def test_warmup_then_cosine_to_ten_percent_by_step(self):
        self.assertAlmostEqual(lr_at(0, 100, 1.0, 10), 0.1)
        self.assertAlmostEqual(lr_at(9, 100, 1.0, 10), 1.0)
        self.assertAlmostEqual(lr_at(10, 100, 1.0, 10), 1.0)
        self.assertAlmostEqual(lr_at(100, 100, 1.0, 10), 0.1)
        self.assertAlmostEqual(lr_at(55, 100, 1.0, 10), 0.55)
        steps = [lr_at(i, 100, 1.0, 10) for i in range(10, 101)]
        self.assertTrue(all(a >= b for a, b in zip(steps, steps[1:])))


if __name__ == "__main__":
    unittest.main()
