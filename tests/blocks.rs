//! Modern building blocks written as PyTorch writes them, every figure worked by hand:
//! squeeze-and-excitation (a broadcasting `mul` with an `Identity` branch, no spatial size),
//! layer scale (a `Parameter` operand), Swin's relative position bias (a parameter table
//! gathered by an integer index buffer), and the other new forms (relative widths, buffers,
//! frozen BatchNorm, LayerNorm2d, crops, a custom layer).
//!
//! Byte figures are at f32 (4 bytes a value).

use nncost::prelude::*;

network! {
    /// torchvision's `SqueezeExcitation(C, S)`: `scale * input`.
    pub block Se<const C: u64, const S: u64> {
        mul {
            input: Identity,
            scale: {
                avgpool: AdaptiveAvgPool2d::new(1, 1),
                fc1: Conv2d::new(S, 1),
                act: ReLU,
                fc2: Conv2d::new(C, 1),
                gate: Sigmoid,
            },
        },
    }

    #[input(32, 14, 14)]
    model SeBlock { se: Se<32, 8> }
}

#[test]
fn squeeze_excitation_block() {
    let (c, s, hw) = (32, 8, 14 * 14);
    // fc1: C·S weights + S biases; fc2: S·C + C.
    assert_eq!(SeBlock::PARAMS, c * s + s + s * c + c);
    assert_eq!(SeBlock::PARAMS, 552);
    // The 1×1 convolutions on [1, C, 1, 1]: C·S each.
    assert_eq!(SeBlock::MACS, c * s + s * c);
    // avgpool: one add per input element (the divide included, over a single window);
    // fc1: 2·MACs + S bias adds; ReLU: S; fc2: 2·MACs + C; Sigmoid: 4·C; the mul: C·H·W.
    let flops = c * hw + (2 * c * s + s) + s + (2 * s * c + c) + 4 * c + c * hw;
    assert_eq!(SeBlock::FLOPS, flops);
    assert_eq!(SeBlock::FLOPS, 13_744);
    // Tensors: the input (C·H·W), avgpool (C), fc1 (S), ReLU (S), fc2 (C), Sigmoid (C) and the
    // product (C·H·W). `Identity` writes nothing, and nothing is upsampled to H×W.
    let activations = 4 * (c * hw + c + s + s + c + c + c * hw);
    assert_eq!(SeBlock::ACTIVATION_BYTES, activations);
    assert_eq!(SeBlock::ACTIVATION_BYTES, 50_624);
    // Traffic: avgpool reads C·H·W, writes C; fc1 reads C + its weights, writes S; ReLU S + S;
    // fc2 reads S + its weights, writes C; Sigmoid C + C; the mul reads the input (C·H·W) and
    // the scale (C) at their own sizes and writes C·H·W.
    let access = 4
        * ((c * hw + c)
            + (c + (c * s + s) + s)
            + (s + s)
            + (s + (s * c + c) + c)
            + (c + c)
            + (c * hw + c + c * hw));
    assert_eq!(SeBlock::MEMORY_ACCESS_BYTES, access);
    assert_eq!(SeBlock::MEMORY_ACCESS_BYTES, 78_368);
    // The input stays alive until the mul; the peak is the mul, writing C·H·W beside it and the
    // scale: weights + 4·(C·H·W + C + C·H·W).
    assert_eq!(
        SeBlock::PEAK_MEMORY_BYTES,
        4 * SeBlock::PARAMS + 4 * (c * hw + c + c * hw)
    );
    assert_eq!(SeBlock::OUTPUT_SHAPE, Shape::new(&[1, 32, 14, 14]));
    // The same block at any resolution: no spatial size is declared anywhere.
    network! {
        #[input(32, 7, 9)]
        model SeSmall { se: Se<32, 8> }
    }
    assert_eq!(SeSmall::PARAMS, SeBlock::PARAMS);
    assert_eq!(SeSmall::OUTPUT_SHAPE, Shape::new(&[1, 32, 7, 9]));
}

network! {
    /// ConvNeXt-style: `x + gamma * dwconv(x)`, `gamma` a learned `[C, 1, 1]` tensor.
    pub block LayerScaled<const C: u64> {
        residual {
            layer_scale: mul {
                branch: { dwconv: Conv2d::depthwise(3).padding(1) },
                gamma: Parameter::new(&[C, 1, 1]),
            },
        },
    }

    #[input(16, 8, 8)]
    model LayerScale { block: LayerScaled<16> }
}

#[test]
fn layer_scale_block() {
    let (c, hw) = (16, 8 * 8);
    // Depthwise 3×3: C·9 weights + C biases; the layer scale: C.
    assert_eq!(LayerScale::PARAMS, c * 9 + c + c);
    assert_eq!(LayerScale::PARAMS, 176);
    // Only the convolution multiplies-accumulates: C·H·W outputs × 9 taps. The layer scale is
    // 0 MACs, as FlopCounterMode counts it.
    assert_eq!(LayerScale::MACS, c * hw * 9);
    // Conv: 2·MACs + a bias add per output; the layer scale: one multiply per output element
    // (gamma broadcast over H·W); the residual add: one per element.
    assert_eq!(LayerScale::FLOPS, 2 * c * hw * 9 + c * hw + c * hw + c * hw);
    assert_eq!(LayerScale::FLOPS, 21_504);
    assert_eq!(LayerScale::BUFFERS, 0);
    // The mul reads the conv's output and gamma (C values) and writes C·H·W.
    let summary = LayerScale::summary();
    let paths = summary.paths();
    let mul = summary.rows[paths
        .iter()
        .position(|p| p == "block.layer_scale.mul")
        .unwrap()];
    assert_eq!(mul.memory.access, 4 * (c * hw + c + c * hw));
    // gamma itself writes nothing: it is weights, not an activation.
    let gamma = summary.rows[paths
        .iter()
        .position(|p| p == "block.layer_scale.gamma")
        .unwrap()];
    assert_eq!((gamma.kind, gamma.cost.params), ("Parameter", c));
    assert_eq!((gamma.memory.activations, gamma.memory.access), (0, 0));
    // Activations: the input, the conv's output, the product, the residual sum.
    assert_eq!(LayerScale::ACTIVATION_BYTES, 4 * 4 * c * hw);
    // Weights include gamma, once.
    assert_eq!(LayerScale::WEIGHT_BYTES, 4 * 176);
}

network! {
    /// Swin's relative position bias for a 7×7 window and `H` heads, added to the scores:
    /// `relative_position_bias_table[relative_position_index].view(49, 49, -1).permute(2, 0, 1)`.
    pub block RelativePositionBias<const H: u64> {
        add {
            scores: Identity,
            bias: {
                table: Parameter::new(&[(2 * 7 - 1) * (2 * 7 - 1), H]),
                gather: IndexSelect::new(&[49 * 49]),
                view: Unflatten::new(0, [49, 49]),
                heads_first: Permute::new([2, 0, 1]),
            },
        },
    }

    /// Scores of 4 windows (batch × windows) and 3 heads.
    #[input(3, 49, 49)]
    #[batch(4)]
    model SwinScores { bias: RelativePositionBias<3> }
}

#[test]
fn relative_position_bias_block() {
    let (windows, h) = (4, 3);
    // The table: 169 relative offsets × H heads.
    assert_eq!(SwinScores::PARAMS, 169 * h);
    // The index: 49·49 int64 values, a buffer PyTorch counts in `model.buffers()` but not a
    // floating-point one.
    assert_eq!(SwinScores::ALL_BUFFERS, 49 * 49);
    assert_eq!(SwinScores::BUFFERS, 0);
    // A gather and views: no MACs, no FLOPs; the add: one per score.
    assert_eq!(SwinScores::MACS, 0);
    assert_eq!(SwinScores::FLOPS, windows * h * 49 * 49);
    // [H, 49, 49] broadcasts over the windows.
    assert_eq!(SwinScores::OUTPUT_SHAPE, Shape::new(&[4, 3, 49, 49]));
    // Traffic: the gather reads the table and writes 2401·H values; the add reads the scores
    // and the bias at their own sizes and writes the sum.
    let gather = 169 * h + 49 * 49 * h;
    let add = windows * h * 49 * 49 + 49 * 49 * h + windows * h * 49 * 49;
    assert_eq!(SwinScores::MEMORY_ACCESS_BYTES, 4 * (gather + add));
    // Activations: the input, the gathered rows (views after it write nothing), the sum.
    assert_eq!(
        SwinScores::ACTIVATION_BYTES,
        4 * (windows * h * 49 * 49 + 49 * 49 * h + windows * h * 49 * 49)
    );
}

network! {
    /// DenseNet's transition (`out = in // 2`), a depthwise separable convolution and a
    /// channel-multiplier depthwise convolution, without repeating any channel count.
    pub block Relative {
        transition: {
            norm: BatchNorm2d::new(),
            relu: ReLU,
            conv: Conv2d::ratio(1, 2, 1).bias(false),
            pool: AvgPool2d::new(2).stride(2),
        },
        depthwise: Conv2d::depthwise(3).padding(1).bias(false),
        pointwise: Conv2d::new(64, 1).bias(false),
        doubled: Conv2d::depthwise(3).depth_multiplier(2).padding(1).bias(false),
        mlp: { fc1: Flatten, fc2: Linear::ratio(1, 4) },
    }

    #[input(256, 8, 8)]
    model RelativeWidths { body: Relative }
}

#[test]
fn widths_relative_to_the_input() {
    // BatchNorm(256): 2·256 params, 2·256 float buffers and num_batches_tracked.
    let bn = 2 * 256;
    // Transition 256 → 128 (1×1, no bias); depthwise 128 (3×3); pointwise 128 → 64; depthwise
    // ×2: 64 → 128 (each output channel one 3×3 filter); the flatten gives 128·4·4 = 2048
    // features, a quarter of them out: 2048·512 + 512.
    let params = bn + 256 * 128 + 128 * 9 + 128 * 64 + 128 * 9 + 2048 * 512 + 512;
    assert_eq!(RelativeWidths::PARAMS, params);
    assert_eq!(
        (RelativeWidths::BUFFERS, RelativeWidths::ALL_BUFFERS),
        (bn, bn + 1)
    );
    assert_eq!(RelativeWidths::OUTPUT_SHAPE, Shape::new(&[1, 512]));
}

network! {
    /// A fixed sinusoidal table added to a sequence (a float buffer), then learned positions
    /// looked up with Hugging Face's `position_ids` (an integer buffer).
    pub block FixedPositions<const L: u64, const D: u64> {
        sinusoid: add {
            x: Identity,
            pe: Buffer::new(&[L, D]),
        },
        learned: add {
            x: Identity,
            pos: {
                position_ids: Buffer::new(&[1, L]).integer(),
                wpe: Embedding::new(L, D),
            },
        },
    }

    #[input(16, 32)]
    model Fixed { body: FixedPositions<16, 32> }

    /// torchvision's detection backbone norm: everything frozen into buffers.
    #[input(64, 8, 8)]
    model Frozen { norm: FrozenBatchNorm2d::new() }

    /// ConvNeXt's stem: a 4×4 patchify convolution and LayerNorm2d over its channels.
    #[input(3, 32, 32)]
    model Stem {
        conv: Conv2d::new(96, 4).stride(4),
        norm: LayerNorm2d::new(96),
    }
}

#[test]
fn buffers_frozen_norms_and_layer_norm_2d() {
    // A float table of L·D and an integer one of L: BUFFERS counts the first, ALL_BUFFERS both.
    assert_eq!(Fixed::BUFFERS, 16 * 32);
    assert_eq!(Fixed::ALL_BUFFERS, 16 * 32 + 16);
    // The learned table: L rows of D.
    assert_eq!(Fixed::PARAMS, 16 * 32);
    // Two elementwise merges over [1, 16, 32]: one FLOP per element each.
    assert_eq!(Fixed::FLOPS, 2 * 16 * 32);
    // FrozenBatchNorm2d(64): weight, bias, running mean and var, all buffers; no params, no
    // num_batches_tracked; folded to 2 FLOPs per element, reading 2·C values.
    assert_eq!(
        (Frozen::PARAMS, Frozen::BUFFERS, Frozen::ALL_BUFFERS),
        (0, 256, 256)
    );
    assert_eq!(Frozen::FLOPS, 2 * 64 * 8 * 8);
    assert_eq!(
        Frozen::MEMORY_ACCESS_BYTES,
        4 * (64 * 64 + 2 * 64 + 64 * 64)
    );
    // LayerNorm2d(96): weight and bias per channel; 7 FLOPs per element.
    assert_eq!(Stem::PARAMS, 96 * 3 * 16 + 96 + 2 * 96);
    assert_eq!(Stem::FLOPS, (2 * 96 * 64 * 48 + 96 * 64) + 7 * 96 * 64);
}

network! {
    /// Mamba's causal depthwise convolution: pad K − 1 on both sides, convolve over S + K − 1
    /// positions, keep the first S (`x[..., :seqlen]`).
    pub block CausalConv<const K: u64> {
        conv: Conv1d::depthwise(K).padding(K - 1),
        crop: Narrow::drop_last(-1, K - 1),
        act: SiLU,
    }

    #[input(64, 100)]
    model Causal { conv: CausalConv<4> }

    /// A selective scan nncost has no layer for, stated exactly; with generic parameters.
    pub block Scan<const D: u64, const N: u64, const L: u64> {
        scan: Custom::new("SelectiveScan")
            .params(D * N)
            .flops(9 * L * D * N),
    }

    #[input(64, 100)]
    model Scanned { ssm: Scan<64, 16, 100> }

    /// Heads split with u64 consts, no `as i64`.
    pub block Heads<const H: u64, const D: u64> {
        split: Unflatten::new(-1, [H, D / H]),
        swap: Transpose::new(1, 2),
    }

    #[input(10, 768)]
    model Split { heads: Heads<12, 768> }
}

#[test]
fn crops_custom_layers_and_integer_shapes() {
    // The convolution runs over 100 + 3 positions: 64 channels × 103 × 4 taps.
    assert_eq!(Causal::MACS, 64 * 103 * 4);
    assert_eq!(Causal::OUTPUT_SHAPE, Shape::new(&[1, 64, 100]));
    // SiLU after the crop: 5 FLOPs on the 100 positions kept.
    assert_eq!(Causal::FLOPS, 2 * 64 * 103 * 4 + 64 * 103 + 5 * 64 * 100);
    // The custom layer's figures, as stated; shown under its name.
    assert_eq!((Scanned::PARAMS, Scanned::MACS), (64 * 16, 0));
    assert_eq!(Scanned::FLOPS, 9 * 100 * 64 * 16);
    assert_eq!(Scanned::summary().rows[1].kind, "SelectiveScan");
    // It reads its input and its 1,024 parameters and writes an output of the input's shape.
    assert_eq!(
        Scanned::MEMORY_ACCESS_BYTES,
        4 * (64 * 100 + 64 * 16 + 64 * 100)
    );
    assert_eq!(Split::OUTPUT_SHAPE, Shape::new(&[1, 12, 10, 64]));
}
