"""Writes ultralytics' leaf module names of YOLOv8n (`named_modules()` of the `DetectionModel`
built from `yolov8n.yaml`, modules without children) for tests/zoo.rs's path checks. The
zoo's `Yolov8n` is the model's `nn.Sequential` (`DetectionModel.model`), so each name is
written without its `model.` prefix, as ultralytics' layer table numbers them.

Run with PyTorch 2.15 and ultralytics 8.4 (`pip install torch ultralytics`):
    python3 tests/data/ultralytics/module_names.py
"""
import os

from ultralytics.nn.tasks import DetectionModel

here = os.path.dirname(os.path.abspath(__file__))
model = DetectionModel("yolov8n.yaml", verbose=False)
leaves = [n for n, m in model.named_modules() if n and not list(m.children())]
assert all(n.startswith("model.") for n in leaves)
with open(os.path.join(here, "Yolov8n.txt"), "w") as f:
    f.write("\n".join(n[len("model.") :] for n in leaves) + "\n")
