//! The classic CNNs, a detection backbone and a segmentation model, declared with
//! [`network!`](crate::network) in torchvision's layouts, and CLIP, Whisper, YOLOv8 and a set of
//! LLMs in Hugging Face's and ultralytics', exact to the last parameter and
//! multiply-accumulate (feature `zoo`, off by default).
//!
//! ```toml
//! nncost = { version = "0.1", features = ["zoo"] }
//! ```
//!
//! Every classifier takes one image (batch 1; 3×224×224, EfficientNetV2-S 3×384×384, its
//! evaluation size) and ends in torchvision's 1000-class classifier. Its figures are ordinary
//! associated consts, and the zoo asserts every model's `PARAMS` and `MACS` at compile time
//! against torchvision's numbers, so a change in nncost's arithmetic that moves any of them
//! fails the build:
//!
//! ```
//! use nncost::zoo::{MobileNetV2, ResNet50};
//! assert_eq!(ResNet50::PARAMS, 25_557_032);
//! assert_eq!(ResNet50::MACS, 4_089_184_256);
//! // Compare your model with a baseline, at compile time:
//! nncost::const_assert!(MobileNetV2::MACS * 13 < ResNet50::MACS);
//! ```
//!
//! | model | paper (first arXiv version) | params | MACs |
//! |---|---|---:|---:|
//! | [`AlexNet`] | Krizhevsky, 2014 ("One weird trick") | 61,100,840 | 714,188,480 |
//! | [`Vgg11`] | Simonyan & Zisserman, 2014 | 132,863,336 | 7,609,090,048 |
//! | [`Vgg16`] | Simonyan & Zisserman, 2014 | 138,357,544 | 15,470,264,320 |
//! | [`Vgg16Bn`] | Simonyan & Zisserman, 2014 | 138,365,992 | 15,470,264,320 |
//! | [`Vgg19`] | Simonyan & Zisserman, 2014 | 143,667,240 | 19,632,062,464 |
//! | [`ResNet18`] | He et al., 2015 | 11,689,512 | 1,814,073,344 |
//! | [`ResNet34`] | He et al., 2015 | 21,797,672 | 3,663,761,408 |
//! | [`ResNet50`] | He et al., 2015 | 25,557,032 | 4,089,184,256 |
//! | [`ResNet101`] | He et al., 2015 | 44,549,160 | 7,801,405,440 |
//! | [`ResNet152`] | He et al., 2015 | 60,192,808 | 11,513,626,624 |
//! | [`ResNext50_32x4d`] | Xie et al., 2016 | 25,028,904 | 4,230,479,872 |
//! | [`WideResNet50_2`] | Zagoruyko & Komodakis, 2016 | 68,883,240 | 11,398,021,120 |
//! | [`SqueezeNet1_0`] | Iandola et al., 2016 | 1,248,424 | 818,924,576 |
//! | [`SqueezeNet1_1`] | Iandola et al., 2016 (v1.1) | 1,235,496 | 349,151,936 |
//! | [`MobileNetV2`] | Sandler et al., 2018 | 3,504,872 | 300,774,272 |
//! | [`MnasNet1_0`] | Tan et al., 2018 | 4,383,312 | 314,415,872 |
//! | [`MobileNetV3Large`] | Howard et al., 2019 | 5,483,032 | 216,589,760 |
//! | [`RegNetY800MF`] | Radosavovic et al., 2020 | 6,432,512 | 833,856,256 |
//! | [`EfficientNetV2S`] (3×384×384) | Tan & Le, 2021 | 21,458,488 | 8,365,617,152 |
//! | [`ConvNextSmall`] | Liu et al., 2022 | 50,223,688 | 8,683,712,256 |
//! | [`ResNet50Fpn`] (3×512×512; outputs `0`–`3`, `pool`) | Lin et al., 2016 (FPN) | 26,799,296 | 36,201,037,824 |
//! | [`DeepLabV3MobileNetV3Large`] (3×520×520; outputs `out`, `aux`) | Chen et al., 2017 (DeepLabV3) | 11,029,328 | 10,452,447,938 |
//! | [`ClipVitB32`] (3×224×224 and 77 tokens) | Radford et al., 2021 | 151,277,313 | 7,388,582,400 |
//! | [`WhisperTiny`] (80×3000 and 32 tokens) | Radford et al., 2022 | 37,760,640 | 20,653,178,880 |
//! | [`Yolov8n`] (3×640×640) | Ultralytics, 2023 (software, no paper) | 3,157,200 | 4,371,993,600 |
//!
//! Every model's buffers and output shapes are asserted too, against torchvision 0.29:
//! `BUFFERS` (floating-point) and `ALL_BUFFERS` (PyTorch's `sum(b.numel() for b in
//! model.buffers())`, which adds each BatchNorm's `num_batches_tracked`); AlexNet, VGG without
//! BatchNorm, SqueezeNet and ConvNeXt have none.
//!
//! | model | `BUFFERS` | `ALL_BUFFERS` |
//! |---|---:|---:|
//! | VGG-16-BN | 8,448 | 8,461 |
//! | ResNet-18 / 34 | 9,600 / 17,024 | 9,620 / 17,060 |
//! | ResNet-50 / 101 / 152 | 53,120 / 105,344 / 151,424 | 53,173 / 105,448 / 151,579 |
//! | ResNeXt-50 32×4d, Wide ResNet-50-2 | 68,224 | 68,277 |
//! | MobileNetV2 | 34,112 | 34,164 |
//! | MnasNet 1.0 | 37,920 | 37,972 |
//! | MobileNetV3-Large | 24,400 | 24,446 |
//! | RegNetY-800MF | 30,432 | 30,479 |
//! | EfficientNetV2-S | 153,872 | 153,982 |
//! | ResNet-50-FPN (53 `FrozenBatchNorm2d`s: weight, bias, mean and variance all buffers) | 106,240 | 106,240 |
//! | DeepLabV3-MobileNetV3-Large | 28,004 | 28,058 |
//!
//! **Graphs.** [`ClipVitB32`], [`WhisperTiny`] and [`Yolov8n`] are not one image into 1000
//! classes, and use named tensors (see [Graphs](crate#graphs)): CLIP (Hugging Face's
//! `CLIPModel`) reads an image and token ids and returns the two similarity logits, both
//! embeddings and both towers' outputs; Whisper (`WhisperModel`) reads log-mel features and decoder token ids, every decoder
//! layer's cross-attention reading the encoder's output; YOLOv8n (ultralytics'
//! `yolov8n.yaml`) crosses skips in its neck and returns the decoded detections, the raw box
//! and class maps and the three feature levels. Their figures are Hugging Face's and
//! ultralytics' (PyTorch's `FlopCounterMode` / 2 for MACs), asserted with their buffers (CLIP's
//! 127 int64 `position_ids`, Whisper none, YOLOv8n 10,649 of which 10,592 floating-point),
//! their frozen parameters (Whisper's encoder position table, YOLOv8's DFL convolution: in
//! `PARAMS`, not in `TRAINABLE_PARAMS`) and every output's name and shape. Their modules keep
//! the reference's names: `text_model.encoder.layers.0.self_attn.q_proj`,
//! `decoder.layers.3.encoder_attn.k_proj`, and YOLOv8's `model.4.m.1.cv2.conv` as
//! `4.m.1.cv2.conv` (numbered entries, read by their numbers); ultralytics' blocks are in
//! [`yolov8`].
//!
//! The blocks are shared, as in torchvision: one [`Bottleneck`] (groups, width per group and
//! the norm layer as parameters) builds ResNet-50/101/152, ResNeXt, Wide-ResNet and the
//! detection backbone's body (with torchvision's `FrozenBatchNorm2d`), one [`ResNetStem`] and
//! one [`ResNetHead`] every ResNet; one [`InvertedResidual`] (expansion and width multiplier
//! as parameters) builds MobileNetV2 at every width, with MobileNetV3's
//! [`DepthwiseConv2dNormActivation`]; one [`MnasNetStack`] (kernel, stride, expansion and
//! repeats as parameters) builds all six of MnasNet's stacks; one [`SqueezeExcitation`]
//! serves EfficientNet's [`MBConv`], RegNet's [`BottleneckTransform`] and MobileNetV3's
//! [`InvertedResidualV3`], with no spatial size anywhere (its `[N, C, 1, 1]` scale broadcasts
//! in a `mul`); one [`MobileNetV3LargeFeatures`] is the classifier's backbone and, dilated,
//! DeepLab's. They are public, so your own variants reuse them.
//!
//! **Width and resolution.** [`MobileNetV2`] is torchvision's `mobilenet_v2()`;
//! [`MobileNetV2Scaled`]`<WIDTH_PCT, RESOLUTION>` takes a width multiplier (in percent) and the
//! input resolution as const generics, with those defaults (`MobileNetV2Scaled<50, 160>` is
//! width 0.5 at 160×160).
//!
//! **Layer paths** in summaries are torchvision's `named_modules()` names:
//! every leaf module of each torchvision model in the zoo is a summary row at its path (a
//! test compares all of them with the names torchvision itself writes): the ResNets'
//! `layer1.0.downsample.0`, MobileNetV2's `features.2.conv.1.0`, MnasNet's
//! `layers.8.0.layers.3`, EfficientNet's `features.4.0.block.2.fc1`, ConvNeXt's
//! `features.5.26.block.3` (and its parameter `features.5.26.layer_scale`), RegNet's
//! `trunk_output.block2.block2-0.f.b.0` (an entry named by a string, `"block2-0": ..`), the
//! pyramid's `fpn.inner_blocks.3.0` (a `ModuleList` member named where it runs,
//! `"inner_blocks.3": ..`), DeepLab's `classifier.0.project.0` and `aux_classifier.4`.
//! Numbered children are numbered entries (`4: ..`, read as `4` or `features.4`). The summary
//! has more rows than torchvision has modules: a name stands where torchvision's forward calls
//! a function (`flatten`, a residual's `add`, `interpolate`, MobileNetV2's
//! `adaptive_avg_pool2d`, MnasNet's `x.mean([2, 3])` as `mean`), and a module torchvision
//! applies twice has two names (BasicBlock's `relu1` and `relu`).
//!
//! ## Language models
//!
//! GPT-2 small ([`Gpt2`], [`Gpt2LmHead`]) and five LLMs in Hugging Face's layouts, with the
//! published configs: the LLMs' paths are transformers 5.24's module names
//! (`model.layers.N.self_attn.k_proj`, `mlp.gate_proj`, Mixtral's `mlp.gate` and
//! `mlp.experts`, `lm_head`), with a row named for what the forward calls where it calls a
//! function (`attention_interface`, the residual `add`s); `model.rotary_emb` holds its two
//! non-persistent buffers (`BUFFERS` is PyTorch's `model.buffers()` count: 128 values for
//! Llama 3). Two differences remain: Mamba's `mixer` is one layer ([`MambaBlock`]'s selective
//! scan), where Hugging Face has `in_proj`, `conv1d`, `x_proj`, `dt_proj` and `out_proj`
//! inside it; and GPT-2's `attn.attn_dropout`, which Hugging Face applies to the attention
//! weights inside its attention, has no row of its own in the fused `attn.attn`. The LLMs are
//! generic over the step they cost, `<TOKENS, CACHED = 0>`: `Llama3_8B<128>` is the prefill of
//! a 128-token prompt, `Llama3_8BDecode<4096>` (= `Llama3_8B<1, 4096>`) one decode step after
//! 4,096 positions, with its KV cache (see the crate docs' *LLM inference*). Figures at batch 1
//! against `FlopCounterMode` on Hugging Face's models with eager attention (every score of the
//! dense product counted):
//!
//! | model | tokens | params | MACs |
//! |---|---:|---:|---:|
//! | [`Llama3_8B`] | 128 | 8,030,261,248 | 964,891,246,592 |
//! | [`Mistral7B`] (v0.1, sliding window 4,096) | 8,192 | 7,241,732,096 | 75,840,532,512,768 |
//! | [`Mixtral8x7B`] (v0.1, top-2 of 8 experts) | 128 | 46,702,792,704 (active 12,879,925,248) | 1,636,114,104,320 |
//! | [`Qwen2_5_0_5B`] (tied head) | 128 | 494,032,768 | 63,931,678,720 |
//! | [`Qwen2_5_0_5BModel`] (no head) | 128 | 494,032,768 | 46,506,442,752 |
//! | [`Mamba130m`] (tied head) | 128 | 129,135,360 | 16,513,155,072 |
//!
//! Their blocks are public ([`GatedMlp`], [`LlamaAttention`], [`LlamaDecoderLayer`], [`LlamaModel`],
//! [`MistralDecoderLayer`], [`MixtralDecoderLayer`], [`Qwen2DecoderLayer`], [`MambaBlock`]), so
//! other configs reuse them: `LlamaModel<32_000, 4096, 32, 32, 32, 11_008>` is Llama-2-7B's
//! stack.

mod alexnet;
mod clip;
mod conv_norm_activation;
mod convnext;
mod deeplab;
mod eager_attention;
mod efficientnet;
mod feature_pyramid;
mod gpt2;
mod llama;
mod mamba;
mod mistral;
mod mixtral;
mod mnasnet;
mod mobilenet;
mod mobilenet_v3;
mod outputs;
mod qwen2;
mod regnet;
mod resnet;
mod squeeze_excitation;
mod squeezenet;
mod vgg;
mod whisper;
pub mod yolov8;

pub use alexnet::AlexNet;
pub use clip::{
    ClipAttention, ClipEncoderLayer, ClipMlp, ClipTextEmbeddings, ClipTextTransformer,
    ClipVisionEmbeddings, ClipVisionTransformer, ClipVitB32,
};
pub use conv_norm_activation::{Conv2dNormActivation, DepthwiseConv2dNormActivation};
pub use convnext::{CNBlock, ConvNextDownsample, ConvNextSmall};
pub use deeplab::{ASPPConv, ASPPPooling, Aspp, DeepLabHead, DeepLabV3MobileNetV3Large, FCNHead};
pub use eager_attention::{inv_sqrt, EagerAttention, SplitHeads};
pub use efficientnet::{
    EfficientNetV2S, FusedMBConv, FusedMBConvLayers, FusedMBConvStage, MBConv, MBConvLayers,
    MBConvSqueeze, MBConvStage,
};
pub use feature_pyramid::{FeaturePyramidNetwork, ResNet50Fpn};
pub use gpt2::{Gpt2, Gpt2Attention, Gpt2Block, Gpt2LmHead, Gpt2Mlp, GPT2_WTE};
pub use llama::{
    GatedMlp, Llama3_8B, Llama3_8BDecode, LlamaAttention, LlamaDecoderLayer, LlamaModel,
    LlamaRotaryEmbedding,
};
pub use mamba::{Mamba130m, MambaBlock, MAMBA_130M_EMBED};
pub use mistral::{Mistral7B, Mistral7BDecode, MistralDecoderLayer};
pub use mixtral::{Mixtral8x7B, Mixtral8x7BDecode, MixtralDecoderLayer, MixtralExpert};
pub use mnasnet::{
    MnasNet1_0, MnasNetInvertedResidual, MnasNetInvertedResidualLayers, MnasNetStack,
};
pub use mobilenet::{
    InvertedBody, InvertedResidual, InvertedStage, MobileNetV2, MobileNetV2Scaled,
};
pub use mobilenet_v3::{
    InvertedResidualV3, InvertedResidualV3Layers, MobileNetV3Large, MobileNetV3LargeFeatures,
    MobileNetV3Squeeze,
};
pub use qwen2::{
    Qwen2DecoderLayer, Qwen2_5_0_5B, Qwen2_5_0_5BDecode, Qwen2_5_0_5BModel, QWEN2_5_0_5B_EMBED,
};
pub use regnet::{
    AnyStage, BottleneckTransform, RegNetSqueeze, RegNetY800MF, ResBottleneckBlock, SimpleStemIN,
};
pub use resnet::{
    BasicBlock, BasicStage, Bottleneck, BottleneckStage, ResNet101, ResNet152, ResNet18, ResNet34,
    ResNet50, ResNetHead, ResNetStem, ResNext50_32x4d, WideResNet50_2,
};
pub use squeeze_excitation::{Squeeze, SqueezeChannels, SqueezeExcitation};
pub use squeezenet::{Fire, SqueezeNet1_0, SqueezeNet1_1, SqueezeNetClassifier};
pub use vgg::{Vgg11, Vgg16, Vgg16Bn, Vgg19, VggClassifier, VggConv, VggStage};
pub use whisper::{
    WhisperAttention, WhisperDecoder, WhisperDecoderLayer, WhisperEncoder, WhisperEncoderLayer,
    WhisperTiny,
};
pub use yolov8::Yolov8n;

/// torchvision's `_make_divisible(channels * width, divisor)` with `width = width_pct / 100`:
/// scales a channel count by a width multiplier given in percent and rounds it to a multiple
/// of `divisor`, to the nearest (halves up), never below `divisor`, and one `divisor` more when
/// rounding lost more than 10% (MnasNet's `_round_to_multiple_of` is the same rule).
///
/// The arithmetic is torchvision's, in `f64` as Python does it, so the result is the channel
/// count torchvision builds even where float rounding decides it: `200 × 0.58` is
/// `115.99999999999999` in floats, which rounds to 112 (exact arithmetic would give 120).
///
/// ```
/// use nncost::zoo::make_divisible;
/// assert_eq!(make_divisible(32, 100, 8), 32); // width 1.0 keeps torchvision's channels
/// assert_eq!(make_divisible(32, 75, 8), 24); // 24.0
/// assert_eq!(make_divisible(16, 35, 8), 8); // 5.6 rounds to 8 (never below the divisor)
/// assert_eq!(make_divisible(24, 35, 8), 8); // 8.4 -> 8
/// assert_eq!(make_divisible(32, 35, 8), 16); // 11.2 -> 8 loses > 10%, so 16
/// assert_eq!(make_divisible(1280, 140, 8), 1792);
/// assert_eq!(make_divisible(200, 58, 8), 112); // as torchvision, float rounding included
/// ```
pub const fn make_divisible(channels: u64, width_pct: u64, divisor: u64) -> u64 {
    assert!(
        divisor > 0,
        "make_divisible: the divisor must be at least 1"
    );
    // Python: v = channels * (width_pct / 100)
    let v = channels as f64 * (width_pct as f64 / 100.0);
    // new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    let rounded = (v + divisor as f64 / 2.0) as u64 / divisor * divisor;
    let rounded = if rounded < divisor { divisor } else { rounded };
    // if new_v < 0.9 * v: new_v += divisor
    if (rounded as f64) < 0.9 * v {
        rounded + divisor
    } else {
        rounded
    }
}

/// Whether a classifier's output is torchvision's `[1, 1000]` logits (batch 1).
pub(crate) const fn imagenet_logits(output: crate::Shape) -> bool {
    output.same_as(&crate::Shape::new(&[1, 1000]))
}

/// Whether a model's outputs are exactly `expected`: the same names, in the same order, with
/// the same shapes (for the zoo's compile-time asserts; `==` is not a `const fn`).
pub(crate) const fn outputs_are(actual: crate::Tensors, expected: crate::Tensors) -> bool {
    if actual.len() != expected.len() {
        return false;
    }
    let mut i = 0;
    while i < actual.len() {
        let (a, b) = (actual.name(i).as_bytes(), expected.name(i).as_bytes());
        if a.len() != b.len() || !actual.shape(i).same_as(&expected.shape(i)) {
            return false;
        }
        let mut j = 0;
        while j < a.len() {
            if a[j] != b[j] {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}
