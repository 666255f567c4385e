//! Blocks and a model declared in a crate other than the one that uses them, with `nncost`
//! renamed to `nn`, to prove that declarations compose across crates and survive a rename.
//!
//! It also holds `#[derive(ModelCost)]` structs (with `#[nncost(crate = nn)]`) of every shape:
//! generic over a backend, const generics, lifetimes, where-clauses, tuple structs, residual
//! and concat groups, a model with a budget. The lints below prove their generated code
//! lint-clean, as pin-project's lint test does.
#![deny(warnings, missing_docs, clippy::all)]
#![deny(
    clippy::pedantic,
    rust_2018_idioms,
    single_use_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unreachable_pub,
    unused_qualifications,
    unused_results,
    unsafe_code,
    unused_extern_crates,
    unused_import_braces,
    unused_lifetimes,
    variant_size_differences,
    non_ascii_idents,
    explicit_outlives_requirements,
    meta_variable_misuse,
    missing_copy_implementations,
    noop_method_call,
    redundant_lifetimes,
    unit_bindings,
    unnameable_types
)]
// Prose in the docs above names models (ResNet, SqueezeNet) without backticks.
#![allow(clippy::doc_markdown)]

// Layer expressions such as `Conv2d::new(64, 3)` resolve to nncost's layers inside
// declarations: only the unit layers written as types need importing.
use nn::layers::ReLU;

nn::network! {
    /// ResNet basic block with `C` output channels and stride `S`.
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

    /// A stem for 224×224 images, as ResNet's.
    pub block Stem {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: nn::layers::MaxPool2d::new(3).stride(2).padding(1),
    }

    /// A small complete model, usable as a block elsewhere.
    #[input(3, 32, 32)]
    pub model Tiny {
        conv: Conv2d::new(8, 3).padding(1),
        relu: ReLU,
    }
}

/// A weight tensor of a framework generic over its backend `B`, standing in for burn's
/// `Param<Tensor<B, 4>>` or candle's `Tensor`: nncost never looks inside it.
#[derive(Debug, Default)]
pub struct Weights<B> {
    /// The backend's storage.
    pub data: Vec<B>,
}

/// ResNet basic block as a framework holds it (torchvision's `BasicBlock` fields), costed with
/// `#[derive(ModelCost)]`: the residual runs over `conv1..=bn2` with `downsample` as shortcut,
/// then a ReLU that has no field of its own (torchvision reuses `relu`). Costs exactly what
/// [`BasicBlock`] costs.
#[derive(Debug, nn::ModelCost)]
#[nncost(
    crate = nn,
    residual(conv1..=bn2, shortcut = downsample, after(relu_out: ReLU))
)]
pub struct DerivedBasicBlock<B, const C: u64, const S: u64> {
    /// 3×3 convolution with stride `S`.
    #[layer(Conv2d::new(C, 3).stride(S).padding(1).bias(false))]
    pub conv1: Weights<B>,
    /// Batch norm after `conv1`.
    #[layer(BatchNorm2d::new())]
    pub bn1: Weights<B>,
    /// ReLU.
    #[layer(ReLU)]
    pub relu: ReLU,
    /// 3×3 convolution.
    #[layer(Conv2d::new(C, 3).padding(1).bias(false))]
    pub conv2: Weights<B>,
    /// Batch norm after `conv2`.
    #[layer(BatchNorm2d::new())]
    pub bn2: Weights<B>,
    /// Identity when the shape already matches, else 1×1 conv + BN.
    #[layer(Projection::conv_bn(C).stride(S))]
    pub downsample: Option<Weights<B>>,
    /// Training-time state nncost does not cost.
    #[nncost(skip)]
    pub step: u64,
}

/// A derived block whose field is a `network!` block of this crate ([`Stem`]).
#[derive(nn::ModelCost)]
#[nncost(crate = nn)]
pub struct DerivedStem<B> {
    /// ResNet's stem, declared with `network!`.
    pub stem: Stem,
    /// The backend, which does not change the cost.
    #[nncost(skip)]
    pub backend: core::marker::PhantomData<B>,
}

/// SqueezeNet's fire module as a tuple struct (fields `0` to `4`): squeeze, then the 1×1 and
/// 3×3 expansions concatenated. Costs exactly what `network!`'s fire module costs.
#[derive(Debug, nn::ModelCost)]
#[nncost(crate = nn, concat(1..=2, 3..=4))]
pub struct DerivedFire<const S: u64, const E: u64>(
    #[layer({ squeeze: Conv2d::new(S, 1), squeeze_relu: ReLU })] pub (),
    #[layer(Conv2d::new(E, 1))] pub (),
    #[layer(ReLU)] pub (),
    #[layer(Conv2d::new(E, 3).padding(1))] pub (),
    #[layer(ReLU)] pub (),
);

nn::network! {
    /// A `network!` block built from a derived block of this crate.
    pub block Layer1 {
        blocks: [DerivedBasicBlock<(), 64, 1>; 2],
    }
}

/// A view over borrowed weights, with a lifetime and a where-clause.
#[derive(Debug, nn::ModelCost)]
#[nncost(crate = nn)]
pub struct Borrowed<'w, B, const F: u64>
where
    B: Copy,
{
    /// A projection to `F` features.
    #[layer(nn::layers::Linear::new(F))]
    pub fc: &'w [B],
    /// Two activations, as an array type (no attribute: its element type is costed).
    pub acts: [ReLU; 2],
}

/// A derived model with a batch and a budget, from blocks of this crate.
#[derive(nn::ModelCost)]
#[nncost(crate = nn, input(3, 224, 224), batch = 2, budget(params <= 200K, macs <= 1G))]
pub struct StemNet {
    /// ResNet's stem.
    pub stem: DerivedStem<u8>,
    /// One basic block.
    pub block: DerivedBasicBlock<f32, 64, 1>,
}
