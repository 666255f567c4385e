"""Writes torchvision's leaf module names (`named_modules()`, modules without children) of the
zoo's torchvision models, one file per model, for tests/zoo.rs's path checks.

Run with PyTorch 2.15 and torchvision 0.29 (`pip install torch torchvision`):
    python3 tests/data/torchvision/module_names.py
"""
import os

import torchvision
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

MODELS = {
    "AlexNet": lambda: torchvision.models.alexnet(),
    "Vgg11": lambda: torchvision.models.vgg11(),
    "Vgg16": lambda: torchvision.models.vgg16(),
    "Vgg16Bn": lambda: torchvision.models.vgg16_bn(),
    "Vgg19": lambda: torchvision.models.vgg19(),
    "SqueezeNet1_0": lambda: torchvision.models.squeezenet1_0(),
    "SqueezeNet1_1": lambda: torchvision.models.squeezenet1_1(),
    "ResNet34": lambda: torchvision.models.resnet34(),
    "ResNet101": lambda: torchvision.models.resnet101(),
    "ResNet152": lambda: torchvision.models.resnet152(),
    "ResNext50_32x4d": lambda: torchvision.models.resnext50_32x4d(),
    "WideResNet50_2": lambda: torchvision.models.wide_resnet50_2(),
    "ResNet18": lambda: torchvision.models.resnet18(),
    "ResNet50": lambda: torchvision.models.resnet50(),
    "MobileNetV3Large": lambda: torchvision.models.mobilenet_v3_large(),
    "ResNet50Fpn": lambda: resnet_fpn_backbone(
        backbone_name="resnet50", weights=None, trainable_layers=5
    ),
    "DeepLabV3MobileNetV3Large": lambda: deeplabv3_mobilenet_v3_large(
        weights=None, weights_backbone=None, aux_loss=True
    ),
    "MobileNetV2": lambda: torchvision.models.mobilenet_v2(),
    "MnasNet1_0": lambda: torchvision.models.mnasnet1_0(),
    "EfficientNetV2S": lambda: torchvision.models.efficientnet_v2_s(),
    "ConvNextSmall": lambda: torchvision.models.convnext_small(),
    "RegNetY800MF": lambda: torchvision.models.regnet_y_800mf(),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, build in MODELS.items():
    model = build()
    leaves = [n for n, m in model.named_modules() if n and not list(m.children())]
    with open(os.path.join(here, f"{name}.txt"), "w") as f:
        f.write("\n".join(leaves) + "\n")
