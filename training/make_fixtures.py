#!/usr/bin/python3
"""Regenerates training/tests/fixtures/{prompt_parity.json,tokenizer/,micro-model/}."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

torch.set_num_threads(2)
from dischargerx_train.fixtures import main  # noqa: E402

if __name__ == "__main__":
    main()
