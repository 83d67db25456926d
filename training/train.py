#!/usr/bin/python3
"""Entry point: /usr/bin/python3 training/train.py --data DIR --out models/NAME [--config small|tiny]
[--candidates FILE] [--seed S] [--epochs E] [--max-train N] [--resume]

Exit code 75 when the run paused (time budget or --stop-at-step) before its planned steps: the
model folder is untouched and the same command with --resume continues from the checkpoint."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dischargerx_train.train import main  # noqa: E402

if __name__ == "__main__":
    if main(sys.argv[1:]) is None:
        sys.exit(75)
