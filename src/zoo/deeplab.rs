//! DeepLabV3 with a MobileNetV3-Large backbone, as torchvision's
//! `deeplabv3_mobilenet_v3_large(aux_loss=True)`, and its heads (`DeepLabHead`, `ASPP`,
//! `FCNHead`).

use super::mobilenet_v3::MobileNetV3LargeFeatures;
use crate::prelude::*;
use crate::Tensors;

network! {
    /// torchvision's `ASPPConv(in, OUT, RATE)`: a 3×3 convolution with dilation and padding
    /// `RATE`, no bias, then `BatchNorm2d` and `ReLU` (`0`, `1`, `2`).
    pub block ASPPConv<const OUT: u64, const RATE: u64> {
        _: (
            Conv2d::new(OUT, 3).padding(RATE).dilation(RATE).bias(false),
            BatchNorm2d,
            ReLU,
        ),
    }

    /// torchvision's `ASPPPooling(in, OUT)`: global average pool, 1×1 convolution without
    /// bias, `BatchNorm2d`, `ReLU`, then `F.interpolate(size=x.shape[-2:], mode="bilinear")`
    /// back to the input's size (the 1×1 map broadcast; 0 MACs, 7 FLOPs per output value).
    /// torchvision's `nn.Sequential` indices `0`..`3` are numbered entries: the interpolation
    /// reads the last one by its number.
    pub block ASPPPooling<const OUT: u64>(x) {
        0: AdaptiveAvgPool2d::new(1, 1),
        1: Conv2d::new(OUT, 1).bias(false),
        2: BatchNorm2d,
        3: ReLU,
        interpolate: (3, x) -> Upsample::resize().bilinear(),
    }

    /// Atrous spatial pyramid pooling, torchvision's `ASPP(in, [R1, R2, R3], OUT)` (Chen et al.,
    /// "Rethinking Atrous Convolution for Semantic Image Segmentation", arXiv:1706.05587): five
    /// branches on the same input — a 1×1 convolution, three [`ASPPConv`]s with dilations `R1`,
    /// `R2`, `R3`, and [`ASPPPooling`] — concatenated (`convs`), then `project`: a 1×1
    /// convolution to `OUT`, `BatchNorm2d`, `ReLU`, `Dropout(0.5)`.
    ///
    /// torchvision's `convs` is an `nn.ModuleList` numbered `0`..`4`: the branches are numbered
    /// entries. (`ASPP` itself is spelt `Aspp`: an all-caps name is
    /// a constant to `network!`.)
    pub block Aspp<const OUT: u64, const R1: u64, const R2: u64, const R3: u64> {
        convs: concat {
            0: (Conv2d::new(OUT, 1).bias(false), BatchNorm2d, ReLU),
            1: ASPPConv<OUT, R1>,
            2: ASPPConv<OUT, R2>,
            3: ASPPConv<OUT, R3>,
            4: ASPPPooling<OUT>,
        },
        project: (Conv2d::new(OUT, 1).bias(false), BatchNorm2d, ReLU, Dropout::new(0.5)),
    }

    /// torchvision's `DeepLabHead(in, CLASSES)`: [`Aspp`] with rates 12, 24, 36 to 256
    /// channels, a 3×3 convolution without bias, `BatchNorm2d`, `ReLU`, and a 1×1
    /// convolution to `CLASSES` (`0`..`4`).
    pub block DeepLabHead<const CLASSES: u64> {
        _: (
            Aspp<256, 12, 24, 36>,
            Conv2d::new(256, 3).padding(1).bias(false),
            BatchNorm2d,
            ReLU,
            Conv2d::new(CLASSES, 1),
        ),
    }

    /// torchvision's `FCNHead(in, CHANNELS)` (the auxiliary classifier of its segmentation
    /// models): a 3×3 convolution to `in // 4` channels without bias, `BatchNorm2d`, `ReLU`,
    /// `Dropout(0.1)`, and a 1×1 convolution to `CHANNELS` (`0`..`4`).
    pub block FCNHead<const CHANNELS: u64> {
        _: (
            Conv2d::ratio(1, 4, 3).padding(1).bias(false),
            BatchNorm2d,
            ReLU,
            Dropout::new(0.1),
            Conv2d::new(CHANNELS, 1),
        ),
    }

    /// DeepLabV3 (Chen et al., "Rethinking Atrous Convolution for Semantic Image Segmentation",
    /// arXiv:1706.05587) on MobileNetV3-Large, as torchvision's
    /// `deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, aux_loss=True)` on
    /// 3×520×520 images: the dilated [`MobileNetV3LargeFeatures`] as `backbone`, a
    /// [`DeepLabHead`] on its last output (`classifier`), an [`FCNHead`] on its output stride 8
    /// features (`aux_classifier`, which runs in inference too), each resized bilinearly back
    /// to the input's size (`F.interpolate(size=input_shape)`): the outputs `out` and `aux`.
    ///
    /// **11,029,328 params, 10,452,447,938 MACs** at 3×520×520, batch 1 (the backbone
    /// 1,937,374,688, the classifier 8,498,976,000, the auxiliary head 16,097,250; the
    /// interpolations none); buffers 28,004 floating-point and 28,058 in all (54 BatchNorms'
    /// `num_batches_tracked`); outputs `out` and `aux` [1, 21, 520, 520]: torchvision's
    /// figures, asserted at compile time.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::DeepLabV3MobileNetV3Large;
    /// assert_eq!(DeepLabV3MobileNetV3Large::PARAMS, 11_029_328);
    /// let aux = DeepLabV3MobileNetV3Large::OUTPUT_SHAPES.get("aux");
    /// assert_eq!(aux, Some(Shape::new(&[1, 21, 520, 520])));
    /// ```
    #[input(3, 520, 520)]
    pub model DeepLabV3MobileNetV3Large -> (out, aux) {
        backbone: MobileNetV3LargeFeatures<2>,
        classifier: DeepLabHead<21>,
        out: (classifier, input) -> Upsample::resize().bilinear(),
        aux_classifier: backbone.4 -> FCNHead<21>,
        aux: (aux_classifier, input) -> Upsample::resize().bilinear(),
    }
}

crate::const_assert!(DeepLabV3MobileNetV3Large::PARAMS == 11_029_328);
crate::const_assert!(DeepLabV3MobileNetV3Large::MACS == 10_452_447_938);
crate::const_assert!(DeepLabV3MobileNetV3Large::BUFFERS == 28_004);
crate::const_assert!(DeepLabV3MobileNetV3Large::ALL_BUFFERS == 28_058);
crate::const_assert!(super::outputs_are(
    DeepLabV3MobileNetV3Large::OUTPUT_SHAPES,
    Tensors::one("out", Shape::new(&[1, 21, 520, 520])).with("aux", Shape::new(&[1, 21, 520, 520])),
));
