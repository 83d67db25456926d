import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
if TRAINING not in sys.path:
    sys.path.insert(0, TRAINING)
FIXTURES = os.path.join(HERE, "fixtures")

import torch  # noqa: E402

torch.set_num_threads(2)
