//! torchvision's `FeaturePyramidNetwork` with `LastLevelMaxPool`, and the ResNet-50-FPN
//! backbone of its detectors (`resnet_fpn_backbone`).

use super::resnet::{BottleneckStage, ResNetStem};
use crate::prelude::*;
use crate::Tensors;

network! {
    /// A feature pyramid over four levels, as torchvision's `FeaturePyramidNetwork(in_channels_list,
    /// C, extra_blocks=LastLevelMaxPool())`: Lin et al., "Feature Pyramid Networks for Object
    /// Detection" (CVPR 2017, arXiv:1612.03144).
    ///
    /// Each level `x0`..`x3` (finest first) gets a 1×1 lateral convolution to `C` channels
    /// (`inner_blocks`); from the coarsest down, the running top-down map is resized to the next
    /// level's size (`F.interpolate(size=..)`, nearest) and added to its lateral; a 3×3
    /// convolution (`layer_blocks`) makes each output. `extra_blocks` is `LastLevelMaxPool`:
    /// `max_pool2d(kernel 1, stride 2)` of the coarsest output. The outputs are torchvision's
    /// `"0"` to `"3"` and `"pool"`.
    ///
    /// The entries run in torchvision's order (each level's lateral just before it is merged),
    /// so the peak memory is that of torchvision's forward. torchvision keeps its convolutions
    /// in two `ModuleList`s applied in that interleaved order, each inside a
    /// `Conv2dNormActivation` without norm or activation; each is written where it runs, named
    /// by its place in the list (`"inner_blocks.3": x3 -> ..`), so its path is torchvision's
    /// `inner_blocks.3.0`.
    pub block FeaturePyramidNetwork<const C: u64>(x0, x1, x2, x3) -> (
        "layer_blocks.0" as "0",
        "layer_blocks.1" as "1",
        "layer_blocks.2" as "2",
        "layer_blocks.3" as "3",
        extra_blocks as "pool",
    ) {
        "inner_blocks.3": x3 -> (Conv2d::new(C, 1)),
        "layer_blocks.3": "inner_blocks.3" -> (Conv2d::new(C, 3).padding(1)),
        "inner_blocks.2": x2 -> (Conv2d::new(C, 1)),
        interpolate_2: ("inner_blocks.3", "inner_blocks.2") -> Upsample::resize(),
        last_inner_2: add("inner_blocks.2", interpolate_2),
        "layer_blocks.2": last_inner_2 -> (Conv2d::new(C, 3).padding(1)),
        "inner_blocks.1": x1 -> (Conv2d::new(C, 1)),
        interpolate_1: (last_inner_2, "inner_blocks.1") -> Upsample::resize(),
        last_inner_1: add("inner_blocks.1", interpolate_1),
        "layer_blocks.1": last_inner_1 -> (Conv2d::new(C, 3).padding(1)),
        "inner_blocks.0": x0 -> (Conv2d::new(C, 1)),
        interpolate_0: (last_inner_1, "inner_blocks.0") -> Upsample::resize(),
        last_inner_0: add("inner_blocks.0", interpolate_0),
        "layer_blocks.0": last_inner_0 -> (Conv2d::new(C, 3).padding(1)),
        extra_blocks: "layer_blocks.3" -> MaxPool2d::new(1).stride(2),
    }

    /// The ResNet-50-FPN backbone of torchvision's detectors (Faster/Mask R-CNN, RetinaNet):
    /// `resnet_fpn_backbone(backbone_name="resnet50", weights=None, trainable_layers=5)`, a
    /// `BackboneWithFPN` whose `body` is ResNet-50 up to `layer4` with torchvision's default
    /// `norm_layer=FrozenBatchNorm2d` (weight, bias, running mean and variance all buffers) and
    /// whose `fpn` is a [`FeaturePyramidNetwork`]`<256>` over `layer1` to `layer4`. It shares
    /// [`ResNetStem`] and [`BottleneckStage`] with [`ResNet50`](super::ResNet50).
    ///
    /// **26,799,296 params, 36,201,037,824 MACs** at 3×512×512, batch 1 (the body
    /// 21,353,201,664, the pyramid 14,847,836,160); buffers 106,240, all floating-point (53
    /// `FrozenBatchNorm2d`s, no `num_batches_tracked`); outputs `"0"` [1, 256, 128, 128], `"1"`
    /// [1, 256, 64, 64], `"2"` [1, 256, 32, 32], `"3"` [1, 256, 16, 16] and `"pool"`
    /// [1, 256, 8, 8]: torchvision's figures, asserted at compile time. With trainable
    /// `BatchNorm2d` the same backbone would have 53,120 more parameters (26,852,416).
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::ResNet50Fpn;
    /// assert_eq!(ResNet50Fpn::PARAMS, 26_799_296);
    /// assert_eq!(ResNet50Fpn::OUTPUT_SHAPES.get("pool"), Some(Shape::new(&[1, 256, 8, 8])));
    /// ```
    #[input(3, 512, 512)]
    pub model ResNet50Fpn -> (
        fpn.0 as "0",
        fpn.1 as "1",
        fpn.2 as "2",
        fpn.3 as "3",
        fpn.pool as "pool",
    ) {
        body: {
            _: ResNetStem<FrozenBatchNorm2d>,
            layer1: BottleneckStage<64, 3, 1, 1, 64, FrozenBatchNorm2d>,
            layer2: BottleneckStage<128, 4, 2, 1, 64, FrozenBatchNorm2d>,
            layer3: BottleneckStage<256, 6, 2, 1, 64, FrozenBatchNorm2d>,
            layer4: BottleneckStage<512, 3, 2, 1, 64, FrozenBatchNorm2d>,
        },
        fpn: (body.layer1, body.layer2, body.layer3, body.layer4) -> FeaturePyramidNetwork<256>,
    }
}

crate::const_assert!(ResNet50Fpn::PARAMS == 26_799_296);
crate::const_assert!(ResNet50Fpn::TRAINABLE_PARAMS == 26_799_296); // trainable_layers=5
crate::const_assert!(ResNet50Fpn::MACS == 36_201_037_824);
crate::const_assert!(ResNet50Fpn::BUFFERS == 106_240);
crate::const_assert!(ResNet50Fpn::ALL_BUFFERS == 106_240);
crate::const_assert!(super::outputs_are(
    ResNet50Fpn::OUTPUT_SHAPES,
    Tensors::one("0", Shape::new(&[1, 256, 128, 128]))
        .with("1", Shape::new(&[1, 256, 64, 64]))
        .with("2", Shape::new(&[1, 256, 32, 32]))
        .with("3", Shape::new(&[1, 256, 16, 16]))
        .with("pool", Shape::new(&[1, 256, 8, 8])),
));
