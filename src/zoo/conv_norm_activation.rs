//! torchvision's `Conv2dNormActivation` (`torchvision.ops.misc`): a convolution, BatchNorm and
//! an activation numbered `0`, `1`, `2`, the building brick of its MobileNets, EfficientNets
//! and RegNets, shared by their zoo models.

use crate::prelude::*;

network! {
    /// torchvision's `Conv2dNormActivation(in, OUT, K, stride=S, activation_layer=Act)`
    /// (`torchvision.ops.misc`): a `K`×`K` convolution without bias (padding `(K - 1) / 2`),
    /// `BatchNorm2d` and the activation `Act`, numbered `0`, `1`, `2` as its `nn.Sequential`.
    pub block Conv2dNormActivation<Act: ModelCost, const OUT: u64, const K: u64, const S: u64 = 1> {
        _: (
            Conv2d::new(OUT, K).stride(S).padding((K - 1) / 2).bias(false),
            BatchNorm2d,
            Act,
        ),
    }

    /// The depthwise `Conv2dNormActivation` of MobileNetV2's, MobileNetV3's and EfficientNet's
    /// blocks: a `K`×`K` convolution with
    /// one group per channel, dilation `D` (padding `(K - 1) / 2 · D`), `BatchNorm2d` and `Act`.
    /// `S` is the block's configured stride; a dilated block does not stride (torchvision's
    /// `stride = 1 if cnf.dilation > 1 else cnf.stride`), which is how `dilated=True` keeps
    /// the last stage at output stride 16.
    pub block DepthwiseConv2dNormActivation<Act: ModelCost, const K: u64, const S: u64, const D: u64> {
        _: (
            Conv2d::depthwise(K)
                .stride(if D > 1 { 1 } else { S })
                .padding((K - 1) / 2 * D)
                .dilation(D)
                .bias(false),
            BatchNorm2d,
            Act,
        ),
    }
}
