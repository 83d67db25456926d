"""Model/training configurations. `tiny` is for CI (about a minute end to end on 2 CPU cores);
`small` is the shipped model."""
import copy

CONFIGS = {
    "tiny": {
        "model": {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                  "intermediate_size": 192, "max_position_embeddings": 640, "rope_theta": 10000.0,
                  "rms_norm_eps": 1e-5, "tie_word_embeddings": True},
        "train": {"epochs": 4, "lr": 3e-3, "warmup_steps": 20, "weight_decay": 0.01, "batch_tokens": 4096,
                  "max_batch": 32, "patience": 3, "dev_subset": 40, "min_char_count": 2, "grad_clip": 1.0,
                  "max_target_tokens": 96, "time_budget_min": None},
    },
    "small": {
        "model": {"hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 8, "num_key_value_heads": 4,
                  "intermediate_size": 512, "max_position_embeddings": 640, "rope_theta": 10000.0,
                  "rms_norm_eps": 1e-5, "tie_word_embeddings": True},
        # Many distinct visits (the ~30k-visit training split of the default cohort) for few
        # epochs, half of them augmented, rather than many epochs over one small generator sample.
        "train": {"epochs": 2, "lr": 2e-3, "warmup_steps": 100, "weight_decay": 0.05, "batch_tokens": 6144,
                  "max_batch": 24, "patience": 3, "dev_subset": 150, "min_char_count": 2, "grad_clip": 1.0,
                  "max_target_tokens": 160, "time_budget_min": 110, "augment_rate": 0.5},
    },
}


def get_config(name):
    if name not in CONFIGS:
        raise SystemExit("unknown config %r (choose from %s)" % (name, ", ".join(CONFIGS)))
    return copy.deepcopy(CONFIGS[name])
