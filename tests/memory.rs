//! Memory figures: dtypes, weight bytes, activation bytes, peak memory and memory traffic.
//! Every expected number is worked out by hand in the test, from the execution model in the
//! crate docs (layers run in order, nothing in place, each tensor read once per reader).
#![deny(warnings, clippy::all, clippy::pedantic)]

use nncost::prelude::*;
use nncost::{evaluate_at, Entry, Node, Precision};
use nncost_test_blocks::{BasicBlock, Stem};

// The generated code must work through a renamed dependency too.
extern crate nncost as nn;

network! {
    /// ResNet-18 at f32 (the default), int8 and int4 weights.
    #[input(3, 224, 224)]
    pub model ResNet18 {
        stem: Stem,
        layer1: [BasicBlock<64, 1>; 2],
        layer2: (BasicBlock<128, 2>, BasicBlock<128, 1>),
        layer3: (BasicBlock<256, 2>, BasicBlock<256, 1>),
        layer4: (BasicBlock<512, 2>, BasicBlock<512, 1>),
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    #[input(3, 224, 224)]
    #[dtype(weights = int8)]
    pub model ResNet18Int8 { net: ResNet18 }

    #[input(3, 224, 224)]
    #[dtype(weights = int4, activations = int8)]
    #[budget(weights <= 5.75MiB, activations <= 8.3MB, peak_memory <= 7.5MB)]
    pub model ResNet18Int4 { net: ResNet18 }

    /// One elementwise add of two branches, each a 1×1 conv, on a batch of 2.
    #[input(4, 5, 5)]
    #[batch(2)]
    pub model AddTwo {
        sum: add { a: Conv2d::new(3, 1), b: Conv2d::new(3, 1) },
    }

    /// The same at f16.
    #[input(4, 5, 5)]
    #[batch(2)]
    #[dtype(f16)]
    pub model AddTwoHalf { body: AddTwo }

    /// One convolution: 8 → 16 channels, 3×3, padding 1, batch 2, 10×10.
    #[input(8, 10, 10)]
    #[batch(2)]
    pub model OneConv { conv: Conv2d::new(16, 3).padding(1) }

    /// The same convolution with int8 weights and bf16 activations.
    #[input(8, 10, 10)]
    #[batch(2)]
    #[dtype(weights = int8, activations = bf16)]
    pub model OneConvQuant { conv: Conv2d::new(16, 3).padding(1) }

    /// A stem and one residual block with an identity shortcut.
    #[input(4, 8, 8)]
    pub model SmallResidual {
        stem: Conv2d::new(8, 3).padding(1),
        block: residual {
            conv1: Conv2d::new(8, 3).padding(1),
            relu: ReLU,
            conv2: Conv2d::new(8, 3).padding(1),
        },
        head: ReLU,
    }

    /// A residual block with a projection shortcut, then a wide 1×1 convolution.
    #[input(4, 8, 8)]
    pub model ProjectedResidual {
        block: residual {
            conv: Conv2d::new(8, 3).padding(1),
        } shortcut {
            proj: Conv2d::new(8, 1),
        },
        head: Conv2d::new(32, 1),
    }

    /// A stem and two branches concatenated.
    #[input(4, 8, 8)]
    pub model TwoBranches {
        stem: Conv2d::new(8, 1),
        mix: concat {
            a: { conv: Conv2d::new(8, 1), relu: ReLU },
            b: Conv2d::new(8, 3).padding(1),
        },
    }

    /// `DenseNet`'s pattern: the input itself is one branch of the concatenation.
    #[input(4, 8, 8)]
    pub model Dense {
        layer: concat {
            keep: Dropout,
            grow: { conv: Conv2d::new(4, 3).padding(1), relu: ReLU },
        },
    }

    /// Views and a folded `BatchNorm`.
    #[input(16, 4, 4)]
    pub model NormFlatten {
        bn: BatchNorm2d::new(),
        flatten: Flatten,
        drop: Dropout,
        fc: Linear::new(10),
    }

    /// Weights of an odd number of int4 values round up to a byte.
    #[input(2)]
    #[dtype(int4)]
    pub model OddInt4 { fc: Linear::new(1) }

    /// A dtype chosen by a const expression.
    #[input(16)]
    #[dtype(weights = if Q { DType::Int8 } else { DType::F32 })]
    pub model Quantizable<const Q: bool> { fc: Linear::new(16) }

    /// A model nested in another keeps the outer model's dtypes.
    #[input(8, 10, 10)]
    #[batch(2)]
    #[dtype(weights = int8, activations = bf16)]
    pub model Nested { inner: OneConv }
}

network! {
    #[input(2)] #[dtype(f64)] model DF64 { fc: Linear::new(1) }
    #[input(2)] #[dtype(f32)] model DF32 { fc: Linear::new(1) }
    #[input(2)] #[dtype(f16)] model DF16 { fc: Linear::new(1) }
    #[input(2)] #[dtype(bf16)] model DBF16 { fc: Linear::new(1) }
    #[input(2)] #[dtype(fp8)] model DFp8 { fc: Linear::new(1) }
    #[input(2)] #[dtype(int32)] model DInt32 { fc: Linear::new(1) }
    #[input(2)] #[dtype(int16)] model DInt16 { fc: Linear::new(1) }
    #[input(2)] #[dtype(int8)] model DInt8 { fc: Linear::new(1) }
    #[input(2)] #[dtype(int4)] model DInt4 { fc: Linear::new(1) }
}

nn::network! {
    /// Declared through the renamed crate.
    #[input(10)]
    #[dtype(weights = fp8, activations = f16)]
    #[budget(weights <= 200B, memory_access <= 1KiB)]
    pub model Renamed { fc: Linear::new(10) }
}

nncost::assert_budget!(ResNet18: weights <= 44.75MiB, peak_memory <= 51MiB, memory_access <= 116MB);
nncost::const_assert!(ResNet18::WEIGHT_BYTES == 46_758_048);
nncost::const_assert!(ResNet18Int8::WEIGHT_BYTES == 11_689_512);
nncost::const_assert!(ResNet18Int4::WEIGHT_BYTES == 5_844_756);

#[test]
fn resnet18_weight_bytes_by_dtype() {
    assert_eq!(ResNet18::PARAMS, 11_689_512);
    assert_eq!(ResNet18::WEIGHT_BYTES, 11_689_512 * 4);
    assert_eq!(ResNet18::WEIGHT_BYTES, 46_758_048);
    assert_eq!(ResNet18Int8::WEIGHT_BYTES, 11_689_512);
    assert_eq!(ResNet18Int4::WEIGHT_BYTES, 5_844_756);
    assert_eq!(ResNet18Int4::PRECISION.activations, DType::Int8);
    // Activations at int8 are a quarter of f32's, exactly (every tensor is whole bytes).
    assert_eq!(
        ResNet18Int4::ACTIVATION_BYTES * 4,
        ResNet18::ACTIVATION_BYTES
    );
}

#[test]
fn resnet18_memory_figures() {
    // Tensors (elements): the input; conv1, bn1, relu at 64×112×112; the max pool at 64×56×56;
    // then per block conv1, bn1, relu, conv2, bn2, add, relu_out (7) plus a projection in the
    // first block of stages 2-4 (the identity shortcuts are views); avgpool 512; fc 1000.
    let input = 3 * 224 * 224;
    let stage = |c: u64, hw: u64, projections: u64| (14 + projections) * c * hw * hw;
    let elements = input
        + 3 * 64 * 112 * 112
        + 64 * 56 * 56
        + stage(64, 56, 0)
        + stage(128, 28, 1)
        + stage(256, 14, 1)
        + stage(512, 7, 1)
        + 512
        + 1000;
    assert_eq!(ResNet18::ACTIVATION_BYTES, 4 * elements);
    assert_eq!(ResNet18::ACTIVATION_BYTES, 32_821_152);
    // The most alive at once: bn1's input and output, 2 × 64×112×112 values.
    assert_eq!(
        ResNet18::PEAK_MEMORY_BYTES,
        ResNet18::WEIGHT_BYTES + 4 * 2 * 64 * 112 * 112
    );
    assert_eq!(ResNet18::PEAK_MEMORY_BYTES, 53_180_576);
    assert_eq!(ResNet18::MEMORY_ACCESS_BYTES, 115_507_264);
    #[allow(clippy::cast_precision_loss)]
    let intensity = ResNet18::FLOPS as f64 / ResNet18::MEMORY_ACCESS_BYTES as f64;
    assert!((ResNet18::ARITHMETIC_INTENSITY - intensity).abs() < 1e-12);
}

#[test]
fn elementwise_add_reads_two_tensors_and_writes_one() {
    let n = 2 * 3 * 5 * 5; // N·C·H·W of each branch output
    let add = row(&AddTwo::summary(), "sum.add");
    assert_eq!(add.kind, "Add");
    assert_eq!(add.memory.access, 3 * n * 4);
    assert_eq!(add.memory.activations, n * 4);
    let half = row(&AddTwoHalf::summary(), "body.sum.add");
    assert_eq!(half.memory.access, 3 * n * 2);
    // The whole model: each conv reads the input (2·4·5·5), 3·4 + 3 weights, writes n.
    let conv = 2 * 4 * 5 * 5 + (3 * 4 + 3) + n;
    assert_eq!(AddTwo::MEMORY_ACCESS_BYTES, 4 * (2 * conv + 3 * n));
}

#[test]
fn conv_traffic_is_input_weights_output() {
    let input = 2 * 8 * 10 * 10;
    let weights = 16 * 8 * 3 * 3 + 16;
    let output = 2 * 16 * 10 * 10;
    assert_eq!(OneConv::MEMORY_ACCESS_BYTES, 4 * (input + weights + output));
    assert_eq!(OneConv::MEMORY_ACCESS_BYTES, 23_872);
    // int8 weights (1 byte), bf16 activations (2 bytes).
    assert_eq!(
        OneConvQuant::MEMORY_ACCESS_BYTES,
        2 * input + weights + 2 * output
    );
    assert_eq!(OneConvQuant::WEIGHT_BYTES, weights);
    assert_eq!(OneConvQuant::ACTIVATION_BYTES, 2 * (input + output));
    // The model's dtypes apply to blocks and models nested in it.
    assert_eq!(
        Nested::MEMORY_ACCESS_BYTES,
        OneConvQuant::MEMORY_ACCESS_BYTES
    );
    // The summary row says the same, and its intensity is FLOPs per byte.
    let summary = OneConv::summary();
    let conv = row(&summary, "conv");
    assert_eq!(conv.memory.access, 23_872);
    assert_eq!(summary.output_bytes(&conv), 4 * output);
    #[allow(clippy::cast_precision_loss)]
    let intensity = conv.cost.flops as f64 / 23_872.0;
    assert!((conv.arithmetic_intensity() - intensity).abs() < 1e-12);
}

#[test]
fn peak_of_a_small_residual_network() {
    // Elements of each tensor: the input 4·8·8 = 256, every other tensor 8·8·8 = 512.
    // stem:        input 256 + stem 512                         = 768, then the input is freed
    // block.conv1: x 512 (kept for the shortcut) + conv1 512    = 1024
    // block.relu:  x + conv1 + relu                             = 1536, conv1 freed
    // block.conv2: x + relu + conv2                             = 1536, relu freed
    // add:         x + conv2 + sum                              = 1536, x and conv2 freed
    // head:        sum + head                                   = 1024
    let weights = (8 * 4 * 9 + 8) + 2 * (8 * 8 * 9 + 8);
    assert_eq!(SmallResidual::PARAMS, weights);
    assert_eq!(SmallResidual::PEAK_MEMORY_BYTES, 4 * weights + 4 * 1536);
    assert_eq!(SmallResidual::PEAK_MEMORY_BYTES, 12_000);
    // All of them at once: the input and six tensors of 512.
    assert_eq!(SmallResidual::ACTIVATION_BYTES, 4 * (256 + 6 * 512));
    // Traffic: stem 256 + 296 + 512; conv1 and conv2 512 + 584 + 512 each; two ReLUs 1024
    // each; the add 3 · 512.
    assert_eq!(
        SmallResidual::MEMORY_ACCESS_BYTES,
        4 * ((256 + 296 + 512) + 2 * (512 + 584 + 512) + 2 * 1024 + 3 * 512)
    );
}

#[test]
fn a_projection_shortcut_frees_the_block_input() {
    // Elements: input 256; conv, proj, add 512 each; head 32·8·8 = 2048.
    // block.conv:  input (kept for the shortcut) + conv      = 768
    // block.proj:  input + conv (kept for the add) + proj   = 1280, the input freed (last reader)
    // add:         conv + proj + sum                        = 1536, conv and proj freed
    // head:        sum + head                               = 2560
    let weights = (8 * 4 * 9 + 8) + (8 * 4 + 8) + (32 * 8 + 32);
    assert_eq!(ProjectedResidual::PARAMS, weights);
    assert_eq!(ProjectedResidual::PEAK_MEMORY_BYTES, 4 * weights + 4 * 2560);
    assert_eq!(
        ProjectedResidual::ACTIVATION_BYTES,
        4 * (256 + 3 * 512 + 2048)
    );
}

#[test]
fn peak_of_a_two_branch_concat_network() {
    // Elements: input 4·8·8 = 256; stem, a.conv, a.relu, b 8·8·8 = 512 each; concat 1024.
    // stem:     input + stem                          = 768, input freed
    // a.conv:   stem (kept for branch b) + a.conv     = 1024
    // a.relu:   stem + a.conv + a.relu                = 1536, a.conv freed
    // b:        stem + a.relu (kept until the merge) + b = 1536, stem freed (its last reader)
    // concat:   a.relu + b + the concatenation        = 2048
    let weights = (8 * 4 + 8) + (8 * 8 + 8) + (8 * 8 * 9 + 8);
    assert_eq!(TwoBranches::PARAMS, weights);
    assert_eq!(TwoBranches::PEAK_MEMORY_BYTES, 4 * weights + 4 * 2048);
    assert_eq!(TwoBranches::PEAK_MEMORY_BYTES, 10_976);
    assert_eq!(TwoBranches::ACTIVATION_BYTES, 4 * (256 + 4 * 512 + 1024));
    let concat = row(&TwoBranches::summary(), "mix.concat");
    assert_eq!(concat.kind, "Concat");
    // The merge reads both branch outputs and writes their concatenation.
    assert_eq!(concat.memory.access, 4 * (512 + 512 + 1024));
    assert_eq!(concat.memory.peak, 4 * 2048);
    assert_eq!(
        TwoBranches::MEMORY_ACCESS_BYTES,
        4 * ((256 + 40 + 512) + (512 + 72 + 512) + 1024 + (512 + 584 + 512) + 2048)
    );
}

#[test]
fn an_input_that_is_also_a_branch_output_lives_until_the_merge() {
    // Elements: input 256 (also the `keep` branch's output: Dropout is a view); conv and relu
    // 4·8·8 = 256; the concatenation 512.
    // grow.conv:  input + conv                = 512
    // grow.relu:  input + conv + relu         = 768, conv freed
    // concat:     input + relu + concat       = 1024, then the input and relu are freed
    let weights = 4 * 4 * 9 + 4;
    assert_eq!(Dense::PEAK_MEMORY_BYTES, 4 * weights + 4 * 1024);
    assert_eq!(Dense::ACTIVATION_BYTES, 4 * (256 + 256 + 256 + 512));
    assert_eq!(
        Dense::MEMORY_ACCESS_BYTES,
        4 * ((256 + weights + 256) + (256 + 256) + (256 + 256 + 512))
    );
}

#[test]
fn batch_norm_reads_a_folded_scale_and_shift_and_views_move_nothing() {
    let n = 16 * 4 * 4;
    let summary = NormFlatten::summary();
    // BatchNorm: input and output, plus 2·16 folded values (not the 4·16 of PyTorch's state).
    assert_eq!(row(&summary, "bn").memory.access, 4 * (n + 2 * 16 + n));
    for view in ["flatten", "drop"] {
        let r = row(&summary, view);
        assert_eq!(r.memory, nncost::Memory::ZERO, "{view}");
        assert_eq!(summary.output_bytes(&r), 4 * n);
    }
    // Only the input, the BN output and the fc output are tensors.
    assert_eq!(NormFlatten::ACTIVATION_BYTES, 4 * (n + n + 10));
    // fc reads the BN output through the views: n values, n·10 + 10 weights, writes 10.
    assert_eq!(
        row(&summary, "fc").memory.access,
        4 * (n + (n * 10 + 10) + 10)
    );
}

#[test]
fn int4_packs_two_values_a_byte_rounding_up() {
    // Linear 2 → 1: 3 parameters, 1.5 bytes, so 2; tensors of 2 and 1 values take 1 byte each.
    assert_eq!(OddInt4::PARAMS, 3);
    assert_eq!(OddInt4::WEIGHT_BYTES, 2);
    assert_eq!(OddInt4::ACTIVATION_BYTES, 1 + 1);
    assert_eq!(OddInt4::MEMORY_ACCESS_BYTES, 1 + 2 + 1);
}

#[test]
fn every_dtype_name_is_understood() {
    let declared = [
        DF64::PRECISION,
        DF32::PRECISION,
        DF16::PRECISION,
        DBF16::PRECISION,
        DFp8::PRECISION,
        DInt32::PRECISION,
        DInt16::PRECISION,
        DInt8::PRECISION,
        DInt4::PRECISION,
    ];
    assert_eq!(declared.len(), DType::ALL.len());
    for (precision, dtype) in declared.iter().zip(DType::ALL) {
        assert_eq!(*precision, Precision::uniform(dtype));
    }
    // 3 parameters: 24, 12, 6 bytes at 64, 32 and 16 bits.
    assert_eq!(
        [DF64::WEIGHT_BYTES, DF32::WEIGHT_BYTES, DF16::WEIGHT_BYTES],
        [24, 12, 6]
    );
}

#[test]
fn dtype_from_a_const_expression() {
    assert_eq!(Quantizable::<true>::PRECISION.weights, DType::Int8);
    assert_eq!(Quantizable::<false>::PRECISION.weights, DType::F32);
    assert_eq!(Quantizable::<true>::PRECISION.activations, DType::F32);
    assert_eq!(Quantizable::<true>::WEIGHT_BYTES, 16 * 16 + 16);
    assert_eq!(Quantizable::<false>::WEIGHT_BYTES, 4 * (16 * 16 + 16));
    assert_eq!(Renamed::WEIGHT_BYTES, 110);
    assert_eq!(Renamed::MEMORY_ACCESS_BYTES, 2 * 10 + 110 + 2 * 10);
}

#[test]
fn overflow_names_the_figure_and_the_layer() {
    // 2⁶¹ values: 2⁶³ bytes at f32 fit in u64; the ReLU reads and writes them, 2⁶⁴ bytes.
    const NET: Node = Node::Seq(&[Entry::new("relu", Node::Layer(ReLU.into_layer()))]);
    let input = Shape::new(&[1 << 31, 1 << 30]);
    let err = evaluate_at("Big", &NET, input, Precision::DEFAULT).unwrap_err();
    assert_eq!(
        err.message().as_str(),
        "Big.relu (ReLU): memory access bytes would exceed u64::MAX (18,446,744,073,709,551,615) \
         on the input [2147483648, 1073741824]; use a smaller input or batch"
    );
    // At f16 it fits: 2⁶² bytes read, 2⁶² written.
    let ok = evaluate_at("Big", &NET, input, Precision::uniform(DType::F16)).unwrap();
    assert_eq!(ok.memory.access, 1 << 63);
}

#[test]
fn summary_shows_memory_columns_and_totals() {
    let table = SmallResidual::summary().to_string();
    for needle in [
        "out bytes",
        "traffic",
        "FLOP/B",
        "dtypes: weights f32, activations f32",
        "peak memory 12,000 B (11.7 KiB)",
        "activations 13,312 B (13.0 KiB)",
    ] {
        assert!(table.contains(needle), "missing {needle:?} in\n{table}");
    }
}

/// The summary row at `path`.
fn row(summary: &nncost::Summary, path: &str) -> nncost::Row {
    let paths = summary.paths();
    let i = paths
        .iter()
        .position(|p| p == path)
        .unwrap_or_else(|| panic!("no row {path} in {paths:?}"));
    summary.rows[i]
}
