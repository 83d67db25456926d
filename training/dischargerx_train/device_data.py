"""Data folders for a lent GPU from xz-packed splits (training/device-train.sh). No torch here: it
runs before training, with whatever Python the machine has."""
import glob
import lzma
import os
import re
def unpack_data(carry_dir, dest):
    """Data folders from xz-packed splits (training/device-train.sh): FOLDER__SPLIT.jsonl.xz becomes
    dest/FOLDER/SPLIT.jsonl; FOLDER__SPLIT.parts lists such files, one a line, joined in that order,
    so a bigger cohort carries no file twice. Returns {folder/split: record count}."""
    counts = {}
    for p in sorted(glob.glob(os.path.join(carry_dir, "*__*"))):
        m = re.match(r"(.+?)__([a-z]+)\.(jsonl\.xz|parts)$", os.path.basename(p))
        if not m:
            continue
        if m.group(3) == "parts":
            with open(p, encoding="utf-8") as f:
                srcs = [os.path.join(carry_dir, line.strip()) for line in f if line.strip()]
        else:
            srcs = [p]
        os.makedirs(os.path.join(dest, m.group(1)), exist_ok=True)
        out = os.path.join(dest, m.group(1), m.group(2) + ".jsonl")
        with open(out, "wb") as w:
            for src in srcs:
                with lzma.open(src) as r:
                    w.write(r.read())
        with open(out, "rb") as f:
            counts["%s/%s" % (m.group(1), m.group(2))] = sum(1 for _ in f)
    return counts
