//! nncost's generated code in a user crate that denies every warning, missing docs and clippy's
//! `all`, `pedantic` and `nursery` groups, plus a wall of allow-by-default rustc lints (as
//! pin-project's lint test does). It compiles in `cargo test --workspace`; CI's
//! `cargo clippy --workspace --all-targets -- -D warnings` runs clippy over it.
//!
//! Every form of `network!` is here (models and blocks, const/type/lifetime generics with a
//! where-clause, budgets, batch, dtypes, token inputs, `if`, `residual`/`shortcut`, `concat`,
//! `add`, `mul`, `matmul`, repeats, tuples, nested sequences, constants and `const fn`s) and
//! mixtures of experts `moe(..) { .. }`, cached steps `tokens = T, cached = P`, and
//! every form of `#[derive(ModelCost)]` (a model, groups, `before`/`after`, `skip`, a tuple
//! struct, arrays and tuples of costed types, `forward(..)` with a field applied twice,
//! `#[module(skip)]`, `output(..)`), with `assert_budget!` and `const_assert!` (its comparison
//! and plain forms); repeated names and `#[output]` in `network!`; generic code over the
//! `Model` trait's figures.
#![no_std]
#![deny(warnings, missing_docs)]
#![deny(clippy::all, clippy::pedantic, clippy::nursery)]
#![deny(
    absolute_paths_not_starting_with_crate,
    deprecated_in_future,
    elided_lifetimes_in_paths,
    explicit_outlives_requirements,
    keyword_idents,
    let_underscore_drop,
    macro_use_extern_crate,
    meta_variable_misuse,
    missing_abi,
    missing_copy_implementations,
    missing_debug_implementations,
    missing_unsafe_on_extern,
    non_ascii_idents,
    noop_method_call,
    redundant_lifetimes,
    rust_2018_idioms,
    single_use_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unit_bindings,
    unnameable_types,
    unreachable_pub,
    unsafe_code,
    unused_crate_dependencies,
    unused_extern_crates,
    unused_import_braces,
    unused_lifetimes,
    unused_macro_rules,
    unused_qualifications,
    unused_results,
    variant_size_differences
)]
#![deny(
    clippy::as_conversions,
    clippy::clone_on_ref_ptr,
    clippy::dbg_macro,
    clippy::default_numeric_fallback,
    clippy::indexing_slicing,
    clippy::missing_docs_in_private_items,
    clippy::panic,
    clippy::print_stdout,
    clippy::undocumented_unsafe_blocks,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::wildcard_imports
)]
// The crate-level doc names models and DSL words without backticks.
#![allow(clippy::doc_markdown)]

use core::marker::PhantomData;

// Layer expressions such as `Conv2d::new(64, 3)` resolve to nncost's layers inside
// declarations: only what is named outside them, and unit layers written as types, is imported.
use nncost::layers::{Conv2d, Embedding, Flatten, Identity, ReLU, Sigmoid, GELU};
// In scope as users have them (through the prelude): generated paths must not trip
// `unused_qualifications` on them.
use nncost::{network, DType, Entry, Merge, Model, ModelCost, ModelSummary, Node, Shape};

/// A stem convolution, given as a constant.
pub const STEM: Conv2d = Conv2d::new(16, 3).stride(2).padding(1).bias(false);

/// Channels scaled by a width percentage, in a user's `const fn`.
#[must_use]
pub const fn scaled(channels: u64, percent: u64) -> u64 {
    channels * percent / 100
}

/// The output shape of any model (generic code over the traits).
#[must_use]
pub const fn output_of<M: Model>() -> Shape {
    M::REPORT.output
}

/// Parameters plus MACs of any model, through the trait's figure consts.
#[must_use]
pub const fn work<M: Model>() -> u64 {
    M::PARAMS + M::MACS
}

/// Any model's per-layer table, through the prelude's `ModelSummary`.
#[must_use]
pub fn table<M: Model>() -> nncost::Summary {
    M::summary()
}

/// The kind of any costed type, as summaries show it.
#[must_use]
pub const fn kind_of<T: ModelCost>() -> &'static str {
    T::NODE.kind()
}

/// A user-defined costed type, written by hand: two branches summed.
#[derive(Debug, Clone, Copy)]
pub struct TwoPaths;

impl ModelCost for TwoPaths {
    const NODE: Node = Node::Parallel {
        branches: &[
            Entry::new("relu", ReLU::NODE),
            Entry::new("gelu", GELU::NODE),
        ],
        merge: Merge::Add,
    };
}

/// The token embedding of [`TinyLm`], tied to its head.
pub const WTE: Embedding = Embedding::new(1_000, 32);

network! {
    /// ResNet basic block with `C` output channels and stride `S`.
    #[derive(Debug, Clone, Copy)]
    pub block BasicBlock<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C).stride(S),
        },
        relu_out: ReLU,
    }

    /// An Inception-like block: parallel branches, concatenated, then summed and gated.
    #[derive(Debug, Clone, Copy)]
    pub block Mixed<const C: u64> {
        branches: concat {
            a: Conv2d::new(C, 1),
            b: { reduce: Conv2d::new(C / 2, 1), conv: Conv2d::new(C, 3).padding(1) },
            pool: { pool: MaxPool2d::new(3).stride(1).padding(1), proj: Conv2d::new(C, 1) },
        },
        sum: add { x: ReLU, y: GELU },
        gate: mul { x: ReLU, y: ReLU },
    }

    /// A block generic over a backend type and a lifetime, with a where-clause and an `if`.
    #[derive(Debug, Clone, Copy)]
    pub block Head<'w, B, const F: u64, const DEEP: bool>
    where
        B: Copy,
    {
        if DEEP {
            hidden: Linear::new(F),
            act: ReLU,
        } else if F > 1_000 {
            narrow: Linear::new(F / 2),
        } else {},
        out: Linear::new(10),
    }

    /// A small ResNet with a budget, a batch, dtypes, constants, repeats and tuples.
    #[derive(Debug, Clone, Copy)]
    #[input(3, 32, 32)]
    #[batch(2)]
    #[dtype(weights = int8, activations = f16)]
    #[budget(params <= 1M, macs <= 200M, flops <= 0.5G, weights <= 1MiB, peak_memory <= 4 MiB)]
    pub model SmallResNet<const W: u64> {
        stem: STEM,
        stage1: [BasicBlock<W, 1>; 2],
        stage2: (BasicBlock<{ 2 * 16 }, 2>, BasicBlock<32, 1>),
        mixed: Mixed<8>,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        paths: TwoPaths,
        fc: Linear::new(scaled(200, 50)),
        head: Head<'static, u8, 64, true>,
    }

    /// A concrete model (its figures are checked by `cargo check`).
    #[derive(Debug, Clone, Copy)]
    #[input(3, 32, 32)]
    #[dtype(bf16)]
    #[budget(params <= 100K)]
    pub model Tiny {
        conv: Conv2d::new(8, 3).padding(1),
        relu: ReLU,
        rest: { pool: AdaptiveAvgPool2d::new(1, 1), flatten: Flatten },
        fc: Linear::new(10),
    }

    /// Squeeze-and-excitation and a layer scale (broadcasting merges, `Identity`, a
    /// `Parameter`), widths from the input, buffers, a gather, a crop, sizes from `u64` consts
    /// and a custom layer.
    #[derive(Debug, Clone, Copy)]
    pub block Modern<const C: u64, const S: u64> {
        se: mul {
            input: Identity,
            scale: {
                pool: AdaptiveAvgPool2d::new(1, 1),
                fc1: Conv2d::new(S, 1),
                act: ReLU,
                fc2: Conv2d::new(C, 1),
                gate: Sigmoid,
            },
        },
        scaled: residual {
            layer_scale: mul {
                branch: Conv2d::depthwise(3).padding(1),
                gamma: Parameter::new(&[C, 1, 1]),
            },
            drop_path: StochasticDepth::row(0.1),
        },
        expand: Conv2d::ratio(2, 1, 1).bias(false),
        norm: LayerNorm2d::new(2 * C),
        frozen: FrozenBatchNorm2d::new(),
        split: Unflatten::new(1, [C, 2]),
        merge: Flatten::new(1, 2),
        // Sizes take any integer type (a block's `u64` consts as they are), so a bare literal
        // size falls back to `i32`: a crate denying `clippy::default_numeric_fallback` suffixes it.
        crop: Narrow::drop_last(-1, 1_u64),
        bias: add {
            x: Identity,
            table: { rows: Parameter::new(&[4, 1]), gather: IndexSelect::new(&[S]), fixed: Buffer::new(&[1]) },
        },
        op: Custom::new("Fused").params(C).flops(C * S),
    }

    /// A concrete model of [`Modern`] blocks.
    #[derive(Debug, Clone, Copy)]
    #[input(16, 8, 8)]
    #[budget(all_buffers <= 1K)]
    pub model ModernNet {
        block: Modern<16, 4>,
    }

    /// A pre-norm transformer block.
    #[derive(Debug, Clone, Copy)]
    pub block Block<const D: u64, const H: u64> {
        residual { ln_1: LayerNorm::new(D), attn: MultiheadAttention::new(D, H).causal(true) },
        residual { ln_2: LayerNorm::new(D), fc: Linear::new(4 * D), act: GELU, proj: Linear::new(D) },
    }

    /// A language model on token ids, its head tied to the embedding.
    #[derive(Debug, Clone, Copy)]
    #[input(tokens = 16)]
    #[dtype(weights = DType::Int8)]
    pub model TinyLm {
        wte: WTE,
        wpe: PositionEmbedding::new(64),
        h: [Block<32, 4>; 2],
        scores: matmul { q: Linear::new(8), k: { k: Linear::new(8), t: Transpose::new(1, 2) } },
        proj: Linear::new(32),
        lm_head: Linear::tied(WTE),
    }

    /// A decoding step of a mixture-of-experts LM over a KV cache, with its cache in fp8.
    #[derive(Debug, Clone, Copy)]
    #[input(tokens = 1, cached = 63)]
    #[dtype(weights = bf16, activations = bf16, kv_cache = fp8)]
    #[budget(kv_cache <= 8KiB, active_params <= 100K)]
    pub model MoeStep {
        wte: WTE,
        h: [Block<32, 4>; 2],
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4).bias(false),
            experts: { up: Linear::new(64), act: GELU, down: Linear::new(32) },
            shared_expert: Linear::new(32),
            shared_expert_gate: Linear::new(1),
        },
        lm_head: Linear::tied(WTE),
    }
}

nncost::assert_budget!(SmallResNet<16>: params <= 500K, macs <= 150M, memory_access <= 64MB);
nncost::assert_budget!(Tiny: activations <= 100KiB);
nncost::const_assert!(Tiny::PARAMS < SmallResNet::<16>::PARAMS);
nncost::const_assert!(Tiny::PARAMS == <Tiny as Model>::PARAMS);
nncost::const_assert!(Tiny::MACS != 0,);
nncost::const_assert!(Tiny::MACS * 10 >= Tiny::PARAMS);
nncost::const_assert!(Tiny::ARITHMETIC_INTENSITY > 0.5);
nncost::const_assert!(0.25 < Tiny::ARITHMETIC_INTENSITY);
nncost::const_assert!(Tiny::PARAMS < 100_000 && Tiny::MACS > 0);

/// A framework's weight tensor, generic over a backend.
#[derive(Debug, Clone, Copy)]
pub struct Param<B>(PhantomData<B>);

/// LeNet-5 as a framework struct: a derived model with a budget and layers without fields.
#[derive(Debug, Clone, Copy, nncost::ModelCost)]
#[nncost(input(1, 28, 28), batch = 2, dtype(f16), budget(params <= 62K, macs <= 1M))]
pub struct LeNet5<B> {
    /// 5×5 convolution.
    #[layer(Conv2d::new(6, 5).padding(2))]
    #[nncost(after(relu1: ReLU, pool1: MaxPool2d::new(2)))]
    pub conv1: Param<B>,
    /// 5×5 convolution.
    #[layer(Conv2d::new(16, 5))]
    #[nncost(after(relu2: ReLU, pool2: MaxPool2d::new(2), flatten: Flatten))]
    pub conv2: Param<B>,
    /// Fully connected.
    #[layer(Linear::new(120))]
    pub fc1: Param<B>,
    /// Its type is costed.
    pub relu3: ReLU,
    /// Fully connected, then ReLU.
    #[layer(Linear::new(84))]
    #[nncost(before(drop: nncost::layers::Dropout), after(relu4: ReLU))]
    pub fc2: Param<B>,
    /// The classifier.
    #[layer(Linear::new(10))]
    pub fc3: Param<B>,
    /// Not costed.
    #[nncost(skip)]
    pub dropout_p: u8,
}

/// torchvision's `BasicBlock` as a framework holds it: a residual over fields.
#[derive(Debug, Clone, Copy, nncost::ModelCost)]
#[nncost(residual(conv1..=bn2, shortcut = downsample, after(relu_out: ReLU)))]
pub struct DerivedBlock<B, const C: u64, const S: u64> {
    /// 3×3 convolution with stride `S`.
    #[layer(Conv2d::new(C, 3).stride(S).padding(1).bias(false))]
    pub conv1: Param<B>,
    /// Batch norm.
    #[layer(BatchNorm2d::new())]
    pub bn1: Param<B>,
    /// ReLU.
    pub relu: ReLU,
    /// 3×3 convolution.
    #[layer(Conv2d::new(C, 3).padding(1).bias(false))]
    pub conv2: Param<B>,
    /// Batch norm.
    #[layer(BatchNorm2d::new())]
    pub bn2: Param<B>,
    /// Identity when the shapes match, else 1×1 conv + BN.
    #[layer(Projection::conv_bn(C).stride(S))]
    pub downsample: Option<Param<B>>,
}

/// SqueezeNet's fire module as a tuple struct, with a concat over fields.
#[derive(Debug, Clone, Copy, nncost::ModelCost)]
#[nncost(concat(1..=2, 3..=4))]
pub struct Fire<const S: u64, const E: u64>(
    #[layer({ squeeze: Conv2d::new(S, 1), relu: ReLU })] pub (),
    #[layer(Conv2d::new(E, 1))] pub (),
    #[layer(ReLU)] pub (),
    #[layer(Conv2d::new(E, 3).padding(1))] pub (),
    #[layer(ReLU)] pub (),
);

/// A derived model from derived blocks, `network!` blocks, arrays and tuples of them.
#[derive(Debug, Clone, Copy, nncost::ModelCost)]
#[nncost(input(3, 32, 32), budget(params <= 2M))]
pub struct Mixture {
    /// Two derived blocks in a row.
    pub stage1: [DerivedBlock<f32, 3, 1>; 2],
    /// A derived and a `network!` block.
    pub stage2: (DerivedBlock<f32, 16, 2>, BasicBlock<16, 1>),
    /// A fire module.
    pub fire: Fire<4, 8>,
}

network! {
    /// A block with named inputs and outputs.
    pub block Pair(a, b) -> (sum, product) {
        /// The sum.
        sum: add(a, b),
        /// The product.
        product: mul(a, b),
    }

    /// A block spliced in by its layers' own names.
    pub block Pre {
        norm: LayerNorm::new(16),
    }

    /// Named tensors: two inputs, joins, a block with several outputs, a shared module, a
    /// train-only head, frozen parameters, a spliced block, flat repeats, repeated branches and
    /// a concat along the last dim.
    #[budget(params <= 1M)]
    pub model Graphs(x: [4, 16], ids: tokens(4)) -> (out, pair.product as product, mixed) {
        _: Pre,
        fc: Linear::new(16),
        again: fc -> fc,
        embed: ids -> Embedding::new(10, 16),
        pair: (again, embed) -> Pair,
        #[train_only]
        aux: pair.sum -> Linear::new(2),
        #[frozen]
        frozen: Linear::new(16),
        #[shared]
        tied: [Linear::new(16); 2],
        stage: (Linear::new(16), ..[Linear::new(16); 2]),
        cat: concat(dim = -1) { left: Linear::new(8), right: Linear::new(8) },
        experts: add { expert: [Linear::new(16); 2] },
        mixed: concat(experts, fc, dim = -1),
        out: mixed -> Linear::new(2),
    }
}

/// A framework's model as it is declared: the forward order given apart, one dropout and one
/// activation applied twice, a burn-skipped field, a checked output.
#[derive(Debug, Clone, Copy, nncost::ModelCost)]
#[nncost(
    input(1, 28, 28),
    output(10),
    forward(conv, act, pool, flatten: Flatten, fc1, act, drop, residual(norm, fc2), drop, head),
    budget(params <= 1M),
)]
pub struct Forward<B> {
    /// The classifier, declared first.
    #[layer(Linear::new(10))]
    pub head: Param<B>,
    /// 3×3 convolution.
    #[layer(Conv2d::new(8, 3))]
    pub conv: Param<B>,
    /// Applied twice.
    #[layer(ReLU)]
    pub act: (),
    /// Applied twice.
    #[layer(nncost::layers::Dropout::new(0.5))]
    pub drop: (),
    /// 2×2 max pooling.
    #[layer(MaxPool2d::new(2))]
    pub pool: (),
    /// Fully connected.
    #[layer(Linear::new(32))]
    pub fc1: Param<B>,
    /// Layer norm in the residual.
    #[layer(LayerNorm::new(32))]
    pub norm: Param<B>,
    /// Fully connected in the residual.
    #[layer(Linear::new(32))]
    pub fc2: Param<B>,
    /// Not a module (burn's attribute).
    #[module(skip)]
    pub rate: f32,
}

network! {
    /// Two pre-norm sub-blocks naming their norm alike, and a checked output.
    #[input(4, 16)]
    #[output(4, 16)]
    pub model SubBlocks {
        residual { norm: LayerNorm::new(16), fc: Linear::new(16) },
        residual { norm: LayerNorm::new(16), fc: Linear::new(16) },
        act: GELU,
        act: GELU,
    }
}

network! {
    /// Entries named by numbers and strings, and an attention reading separate q, k, v.
    #[input(tokens = 8)]
    pub model Labeled -> ("block1-0", attention) {
        0: Embedding::new(100, 64),
        "block1-0": 0 -> Linear::new(64),
        k_proj: 0 -> Linear::new(16),
        v_proj: 0 -> Linear::new(16),
        attention: ("block1-0", k_proj, v_proj)
            -> ScaledDotProductAttention::new(4).kv_heads(1).causal(true),
    }
}

nncost::assert_budget!(Mixture: macs <= 50M);
nncost::assert_budget!(LeNet5<u8>: flops <= 2M);

#[cfg(test)]
mod tests {
    use super::{
        Fire, Forward, LeNet5, Mixture, Model, ModelCost, Shape, SmallResNet, SubBlocks, Tiny,
        TinyLm,
    };

    #[test]
    fn the_models_evaluate() {
        assert_eq!(LeNet5::<u8>::PARAMS, 61_706);
        // conv 80, fc1 1,352·32 + 32, norm 64, fc2 32·32 + 32, head 32·10 + 10.
        assert_eq!(Forward::<u8>::PARAMS, 80 + 43_296 + 64 + 1_056 + 330);
        assert_eq!(SubBlocks::PARAMS, 2 * (32 + 272));
        assert_eq!(Tiny::OUTPUT_SHAPE, Shape::new(&[1, 10]));
        assert_eq!(<Tiny as Model>::NAME, "Tiny");
        assert_eq!(super::output_of::<Tiny>(), Tiny::OUTPUT_SHAPE);
        assert_eq!(super::kind_of::<Tiny>(), "Tiny");
        assert_eq!(super::work::<Tiny>(), Tiny::PARAMS + Tiny::MACS);
        assert_eq!(
            super::table::<Tiny>().rows.len(),
            Tiny::summary().rows.len()
        );
        assert_ne!(SmallResNet::<16>::MACS, Mixture::MACS);
        assert_ne!(TinyLm::MACS, 0);
        assert_eq!(<Fire<4, 8> as ModelCost>::NODE.kind(), "Fire");
        assert_eq!(super::Graphs::OUTPUT_SHAPES.len(), 3);
        // 8 tokens: 64·64 + 2·64·16 weights, 4 heads of 16 over 8 keys.
        assert_eq!(
            super::Labeled::MACS,
            8 * (64 * 64 + 2 * 64 * 16) + 2 * 4 * 8 * 8 * 16
        );
    }
}
