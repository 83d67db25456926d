#!/usr/bin/python3
"""Move a run trained with --no-export to the machine that exports it (training/README.md, GPU):
  python3 training/carry_run.py pack RUN_DIR OUT.tar        # where it trained
  /usr/bin/python3 training/carry_run.py unpack IN.tar RUN_DIR   # here; then train.py ... --resume"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dischargerx_train.carry import pack, unpack  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("pack", "unpack"):
        raise SystemExit(__doc__)
    print((pack if sys.argv[1] == "pack" else unpack)(sys.argv[2], sys.argv[3]))
