#!/bin/bash
# Train several runs side by side on a lent GPU (training/README.md, "Training on a lent GPU"),
# each with --no-export, and pack each into $OUT/NAME.tar for training/carry_run.py unpack here.
#   bash training/device-train.sh CARRY_DIR 'NAME|DATA|ARGS' ['NAME|DATA|ARGS' ...]
# CARRY_DIR holds *.jsonl.xz (xz: 11x on these records, gzip 5x) that make the data folders:
# FOLDER__SPLIT.jsonl.xz -> /tmp/dx/FOLDER/SPLIT.jsonl; FOLDER__SPLIT.parts lists such .xz files, one a
# line, joined in that order (a bigger cohort carries no file twice). Prompts come from
# runs/prompt-cache (train.py --prepare-prompts, here).
set -u
carry=$1; shift
out=${OUT:?OUT is the folder that comes back}
budget=${BUDGET_MIN:-7}
export PYTHONUNBUFFERED=1
python3 -c "import sys; sys.path.insert(0, 'training'); from dischargerx_train.device_data import unpack_data; print(unpack_data(sys.argv[1], '/tmp/dx'))" "$carry" || exit 1
nvidia-smi -L; python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))"
for spec in "$@"; do
  IFS='|' read -r name data extra <<<"$spec"
  # shellcheck disable=SC2086
  ( python3 training/train.py --data "/tmp/dx/$data" --out "/tmp/m-$name" --run-dir "/tmp/r-$name" --config small \
      --no-node-check --no-export --prompt-cache runs/prompt-cache --threads 2 --time-budget "$budget" $extra \
      > "/tmp/$name.log" 2>&1 && python3 training/carry_run.py pack "/tmp/r-$name" "$out/$name.tar" >> "/tmp/$name.log" 2>&1
    echo "$name exit $?" ) &
done
wait
for spec in "$@"; do
  name=${spec%%|*}
  echo "== $name"; grep -E '"event": "(data|epoch|trained|paused)"|Error|error' "/tmp/$name.log" | cut -c1-400 | tail -n 8
done
tar -C /tmp -cf "$out/logs.tar" $(cd /tmp && ls ./*.log)
ls -la "$out"
