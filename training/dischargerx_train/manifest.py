"""Integrity manifest of an exported model folder: manifest.json lists every file the export
wrote (path, bytes, SHA-256) and a content version. The app build embeds it, the browser worker
checks the first download against it and the Node CLI verifies the folder before loading
(src/model-folder/format.ts is the same format; scripts/model-manifest.ts writes it from Node).

Not listed: the model card (*.md, edited by people), the calibration files decoding.json and
fusion.json (written later by `npm run calibrate` / `npm run fit-fusion`), reference.json (a test artefact) and the manifest itself."""
import hashlib
import json
import os
import re

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = "dischargerx-manifest-1"
_ONNX = re.compile(r"(\.(onnx|onnx_data|onnx\.data)$)|(\.onnx_data_\d+$)")


def _listed(path):
    if path.startswith("onnx/"):
        name = path[5:]
        return "/" not in name and bool(_ONNX.search(name))
    return "/" not in path and path.endswith(".json") and path not in (
        "reference.json", "decoding.json", "fusion.json", MANIFEST_FILE)


def manifest_files(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            if name == "onnx":
                out += ["onnx/" + f for f in sorted(os.listdir(full)) if _listed("onnx/" + f)]
        elif _listed(name):
            out.append(name)
    return out


def sha256(path):
    """Hex SHA-256 of a file, read in 1 MiB blocks (also the training log's data hashes)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_manifest(folder):
    files = []
    for rel in manifest_files(folder):
        full = os.path.join(folder, *rel.split("/"))
        files.append({"path": rel, "bytes": os.path.getsize(full), "sha256": sha256(full)})
    text = "".join("%s %d %s\n" % (f["path"], f["bytes"], f["sha256"]) for f in sorted(files, key=lambda f: f["path"]))
    version = "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return {"format": MANIFEST_FORMAT, "version": version, "files": files}


def write_manifest(folder):
    manifest = build_manifest(folder)
    if not manifest["files"]:
        raise ValueError("%s: no model files to list" % folder)
    tmp = os.path.join(folder, MANIFEST_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(folder, MANIFEST_FILE))
    return manifest
