"""The SOP as data: definition files, their validation, and the engine that applies them. Pure Python."""

from pathlib import Path

# The SOP definition shipped with Setu (docs/sop.md).
SOP_V1_PATH = Path(__file__).resolve().parent / "v1.yaml"
