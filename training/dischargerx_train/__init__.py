"""DischargeRx training pipeline: prompt, char tokenizer, Llama-style model, ONNX export, quantization."""
import os

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROMPT_SPEC_PATH = os.path.join(REPO_ROOT, "src", "clinical", "prompt-spec.json")
