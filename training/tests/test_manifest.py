"""manifest.json: the Python export writes exactly what the Node side (scripts/model-manifest.ts,
src/model-folder) writes and checks — the committed manifest of the shipped model is reproduced
byte-for-byte in content, and an altered file changes it."""
import json
import os
import shutil
import tempfile
import unittest

from training.dischargerx_train.manifest import MANIFEST_FILE, build_manifest, write_manifest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = os.path.join(ROOT, "models", "dischargerx-small")


class ManifestTest(unittest.TestCase):
    def test_matches_the_committed_manifest_of_the_shipped_model(self):
        with open(os.path.join(SHIPPED, MANIFEST_FILE), encoding="utf-8") as f:
            committed = json.load(f)
        self.assertEqual(build_manifest(SHIPPED), committed)

    def test_lists_export_files_only_and_notices_an_altered_byte(self):
        d = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(d, "onnx"))
            for name, data in [("config.json", b"{}"), ("README.md", b"card"), ("decoding.json", b"{}"),
                               ("onnx/model.onnx", b"\\x00" * 10)]:
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
            m = write_manifest(d)
            self.assertEqual([f["path"] for f in m["files"]], ["config.json", "onnx/model.onnx"])
            with open(os.path.join(d, "onnx/model.onnx"), "r+b") as f:
                f.write(b"\\x01")
            self.assertNotEqual(build_manifest(d)["version"], m["version"])
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
