//! [`Layer`]: one layer of any kind, as the evaluator sees it.

use crate::cost::Cost;
use crate::error::Problem;
use crate::kv_cache::{cache_use, CacheUse};
use crate::layers::{
    Activation, AdaptivePoolSpec, BatchNormSpec, Buffer, ClassToken, ConvSpec, Custom, DropoutRate,
    Embedding, FlattenRange, FrozenBatchNorm2d, GroupNorm, IndexSelect, LatentAttention, LayerNorm,
    LayerNorm2d, Linear, Mamba, MultiheadAttention, Narrow, Parameter, Permute, PoolSpec,
    PositionEmbedding, Projection, RMSNorm, RecurrentSpec, Reshape, Roll, RotaryEmbedding, Scale,
    ScaledDotProductAttention, Select, StochasticDepth, TiedLinear, Transpose, Unflatten, Upsample,
};
use crate::phase::Phase;
use crate::shape::Shape;

/// One layer, built by a builder's `.into_layer()`.
///
/// ```
/// use nncost_core::{layers::Linear, Shape};
/// let layer = Linear::new(10).into_layer();
/// assert_eq!(layer.kind(), "Linear");
/// assert_eq!(layer.apply(&Shape::new(&[1, 4])).unwrap().1.params, 50);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Layer {
    /// `Conv1d/2d/3d`, `ConvTranspose1d/2d/3d`.
    Conv(ConvSpec),
    /// `Linear`.
    Linear(Linear),
    /// Elementwise activations (`ReLU`, `GELU`, `Softmax`, ...).
    Activation(Activation),
    /// `BatchNorm1d/2d/3d`.
    BatchNorm(BatchNormSpec),
    /// `GroupNorm`.
    GroupNorm(GroupNorm),
    /// `LayerNorm`.
    LayerNorm(LayerNorm),
    /// `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d`.
    Pool(PoolSpec),
    /// `AdaptiveAvgPool1d/2d/3d`, `AdaptiveMaxPool1d/2d/3d`.
    AdaptivePool(AdaptivePoolSpec),
    /// `Upsample`.
    Upsample(Upsample),
    /// `Flatten`.
    Flatten(FlattenRange),
    /// `Dropout` (the identity in inference).
    Dropout(DropoutRate),
    /// `Embedding`.
    Embedding(Embedding),
    /// A residual shortcut: identity or 1×1 conv + BatchNorm (`Projection`).
    Projection(Projection),
    /// `MultiheadAttention` (self, cross, grouped-query).
    MultiheadAttention(MultiheadAttention),
    /// `ScaledDotProductAttention` on fused q, k, v features.
    ScaledDotProductAttention(ScaledDotProductAttention),
    /// `RNN`, `LSTM`, `GRU`.
    Recurrent(RecurrentSpec),
    /// `RMSNorm`.
    RMSNorm(RMSNorm),
    /// A learned position table added to a sequence (`PositionEmbedding`).
    PositionEmbedding(PositionEmbedding),
    /// Learned tokens put before a sequence (`ClassToken`).
    ClassToken(ClassToken),
    /// A `Linear` reusing another layer's weight (`Linear::tied`).
    TiedLinear(TiedLinear),
    /// `Reshape` of each sample.
    Reshape(Reshape),
    /// `Unflatten` of one dim.
    Unflatten(Unflatten),
    /// `Transpose` of two dims.
    Transpose(Transpose),
    /// `Permute` of all dims.
    Permute(Permute),
    /// `Select`: one position of a dim, the dim removed.
    Select(Select),
    /// `Narrow`: a range of positions of a dim.
    Narrow(Narrow),
    /// `Scale`: multiplication by a constant.
    Scale(Scale),
    /// `Identity`.
    Identity,
    /// torchvision's `StochasticDepth` (the identity in inference).
    StochasticDepth(StochasticDepth),
    /// torchvision's `FrozenBatchNorm2d`.
    FrozenBatchNorm2d(FrozenBatchNorm2d),
    /// torchvision's `LayerNorm2d` (LayerNorm over the channels of NCHW).
    LayerNorm2d(LayerNorm2d),
    /// A learned tensor of any shape (`Parameter`), yielded as an operand.
    Parameter(Parameter),
    /// A fixed tensor of any shape (`Buffer`), yielded as an operand.
    Buffer(Buffer),
    /// Rows of a table gathered by an integer index buffer (`IndexSelect`).
    IndexSelect(IndexSelect),
    /// A layer whose figures the user states (`Custom`).
    Custom(Custom),
    /// `Roll`: a cyclic shift (a copy, as `torch.roll`).
    Roll(Roll),
    /// Rotary position embeddings (`RotaryEmbedding`).
    RotaryEmbedding(RotaryEmbedding),
    /// Multi-head latent attention (`LatentAttention`, DeepSeek's MLA).
    LatentAttention(LatentAttention),
    /// Mamba's selective state-space mixer (`Mamba`).
    Mamba(Mamba),
}

impl Layer {
    /// The PyTorch class name (`"Conv2d"`), shown in summaries and errors.
    pub const fn kind(&self) -> &'static str {
        match self {
            Layer::Conv(spec) => spec.kind(),
            Layer::Linear(_) => "Linear",
            Layer::Activation(act) => act.kind.name(),
            Layer::BatchNorm(spec) => spec.kind(),
            Layer::GroupNorm(_) => "GroupNorm",
            Layer::LayerNorm(_) => "LayerNorm",
            Layer::Pool(spec) => spec.kind(),
            Layer::AdaptivePool(spec) => spec.kind(),
            Layer::Upsample(_) => "Upsample",
            Layer::Flatten(_) => "Flatten",
            Layer::Dropout(_) => "Dropout",
            Layer::Embedding(_) => "Embedding",
            Layer::Projection(_) => "Projection",
            Layer::MultiheadAttention(_) => "MultiheadAttention",
            Layer::ScaledDotProductAttention(_) => "ScaledDotProductAttention",
            Layer::Recurrent(spec) => spec.kind(),
            Layer::RMSNorm(_) => "RMSNorm",
            Layer::PositionEmbedding(_) => "PositionEmbedding",
            Layer::ClassToken(_) => "ClassToken",
            Layer::TiedLinear(_) => "Linear (tied)",
            Layer::Reshape(_) => "Reshape",
            Layer::Unflatten(_) => "Unflatten",
            Layer::Transpose(_) => "Transpose",
            Layer::Permute(_) => "Permute",
            Layer::Select(_) => "Select",
            Layer::Narrow(_) => "Narrow",
            Layer::Scale(_) => "Scale",
            Layer::Identity => "Identity",
            Layer::StochasticDepth(_) => "StochasticDepth",
            Layer::FrozenBatchNorm2d(_) => "FrozenBatchNorm2d",
            Layer::LayerNorm2d(_) => "LayerNorm2d",
            Layer::Parameter(_) => "Parameter",
            Layer::Buffer(_) => "Buffer",
            Layer::IndexSelect(_) => "IndexSelect",
            Layer::Custom(custom) => custom.name,
            Layer::Roll(_) => "Roll",
            Layer::RotaryEmbedding(_) => "RotaryEmbedding",
            Layer::LatentAttention(_) => "LatentAttention",
            Layer::Mamba(_) => "MambaMixer",
        }
    }

    /// Output shape and cost of the layer applied to `input`, or what is wrong, over the whole
    /// sequence ([`Phase::WHOLE`]; see [`apply_in`](Self::apply_in)).
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        self.apply_in(input, &Phase::WHOLE)
    }

    /// Output shape and cost of the layer applied to `input` in `phase`: a cached step changes
    /// what attention and state-space layers compute (see [`Phase`]); every other layer costs
    /// the same in any phase.
    ///
    /// ```
    /// use nncost_core::{layers::{Linear, MultiheadAttention}, Phase, Shape};
    /// let x = Shape::new(&[1, 1, 64]);
    /// let fc = Linear::new(64).into_layer();
    /// assert_eq!(fc.apply_in(&x, &Phase::cached(100)), fc.apply(&x));
    /// let attn = MultiheadAttention::new(64, 4).into_layer();
    /// assert!(attn.apply_in(&x, &Phase::cached(100)).unwrap().1.macs > attn.apply(&x).unwrap().1.macs);
    /// ```
    pub const fn apply_in(&self, input: &Shape, phase: &Phase) -> Result<(Shape, Cost), Problem> {
        match self {
            Layer::Conv(spec) => spec.apply(input),
            Layer::Linear(linear) => linear.apply(input),
            Layer::Activation(act) => act.apply(input),
            Layer::BatchNorm(spec) => spec.apply(input),
            Layer::GroupNorm(norm) => norm.apply(input),
            Layer::LayerNorm(norm) => norm.apply(input),
            Layer::Pool(spec) => spec.apply(input),
            Layer::AdaptivePool(spec) => spec.apply(input),
            Layer::Upsample(up) => up.apply(input),
            Layer::Flatten(flatten) => flatten.apply(input),
            Layer::Dropout(dropout) => dropout.apply(input),
            Layer::Embedding(embedding) => embedding.apply(input),
            Layer::Projection(projection) => projection.apply(input),
            Layer::MultiheadAttention(mha) => mha.apply_in(input, phase),
            Layer::ScaledDotProductAttention(sdpa) => sdpa.apply_in(input, phase),
            Layer::Recurrent(spec) => spec.apply(input),
            Layer::RMSNorm(norm) => norm.apply(input),
            Layer::PositionEmbedding(table) => table.apply(input),
            Layer::ClassToken(tokens) => tokens.apply(input),
            Layer::TiedLinear(linear) => linear.apply(input),
            Layer::Reshape(op) => op.apply(input),
            Layer::Unflatten(op) => op.apply(input),
            Layer::Transpose(op) => op.apply(input),
            Layer::Permute(op) => op.apply(input),
            Layer::Select(op) => op.apply(input),
            Layer::Narrow(op) => op.apply(input),
            Layer::Scale(op) => op.apply(input),
            Layer::Identity => Ok((*input, Cost::ZERO)),
            Layer::StochasticDepth(op) => op.apply(input),
            Layer::FrozenBatchNorm2d(norm) => norm.apply(input),
            Layer::LayerNorm2d(norm) => norm.apply(input),
            Layer::Parameter(tensor) => tensor.apply(input),
            Layer::Buffer(tensor) => tensor.apply(input),
            Layer::IndexSelect(op) => op.apply(input),
            Layer::Custom(custom) => custom.apply(input),
            Layer::Roll(op) => op.apply(input),
            Layer::RotaryEmbedding(rope) => rope.apply(input),
            Layer::LatentAttention(mla) => mla.apply_in(input, phase),
            Layer::Mamba(mamba) => mamba.apply_in(input, phase),
        }
    }

    /// The KV cache (or recurrent state) the layer holds, reads and writes in `phase`, in values:
    /// nothing for layers without one, and nothing without a cache ([`Phase::WHOLE`]). See
    /// [`CacheUse`].
    ///
    /// ```
    /// use nncost_core::{layers::{Linear, ScaledDotProductAttention}, CacheUse, Phase, Shape};
    /// let fused = Shape::new(&[1, 1, 3 * 64]);
    /// let sdpa = ScaledDotProductAttention::new(4).into_layer();
    /// assert_eq!(sdpa.cache_in(&fused, &Phase::cached(3)).unwrap().held, 4 * 2 * 64);
    /// let fc = Linear::new(8).into_layer();
    /// assert_eq!(fc.cache_in(&fused, &Phase::cached(3)), Ok(CacheUse::NONE));
    /// ```
    pub const fn cache_in(&self, input: &Shape, phase: &Phase) -> Result<CacheUse, Problem> {
        cache_use(self, input, phase)
    }

    /// Output shape and cost of the layer applied to `input` with a second input `other`: a
    /// cross-attention's keys and values (their length and width are `other`'s), or an
    /// upsample's target (`other`'s spatial size, as `F.interpolate(x, size=y.shape[-2:])`).
    ///
    /// ```
    /// use nncost_core::{layers::{MultiheadAttention, Upsample}, Shape};
    /// let cross = MultiheadAttention::new(64, 4).bias(false).into_layer();
    /// let (out, cost) = cross.apply_pair(&Shape::new(&[1, 10, 64]), &Shape::new(&[1, 50, 32])).unwrap();
    /// assert_eq!(out, Shape::new(&[1, 10, 64]));
    /// // q, out: 64×64; k, v: 32×64 (the encoder's width), over 50 positions.
    /// assert_eq!(cost.params, 2 * 64 * 64 + 2 * 32 * 64);
    /// let up = Upsample::resize().into_layer();
    /// let (out, _) = up.apply_pair(&Shape::new(&[1, 8, 5, 5]), &Shape::new(&[1, 16, 10, 9])).unwrap();
    /// assert_eq!(out, Shape::new(&[1, 8, 10, 9]));
    /// ```
    pub const fn apply_pair(&self, input: &Shape, other: &Shape) -> Result<(Shape, Cost), Problem> {
        match self.with_second_input(input, other) {
            Ok(layer) => layer.apply(input),
            Err(problem) => Err(problem),
        }
    }

    /// The layer with its second input `other` taken into its settings: a cross-attention's
    /// source length and widths, an upsample's target size. The evaluator costs the result as
    /// a one-input layer (in a cached step, a cross-attention's source is projected at prefill
    /// and read from the cache afterwards).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Layer, Shape};
    /// let cross = MultiheadAttention::new(64, 4).into_layer();
    /// let Ok(Layer::MultiheadAttention(resolved)) =
    ///     cross.with_second_input(&Shape::new(&[1, 10, 64]), &Shape::new(&[1, 50, 32]))
    /// else {
    ///     panic!("a cross-attention")
    /// };
    /// assert_eq!((resolved.kv_len, resolved.kdim, resolved.vdim), (50, 32, 32));
    /// ```
    pub const fn with_second_input(&self, input: &Shape, other: &Shape) -> Result<Layer, Problem> {
        match self {
            Layer::MultiheadAttention(mha) => {
                if other.rank() != 3 {
                    return Err(Problem::Rank {
                        expected: "keys and values of 3 dims [N, S, E] as its second input",
                        got: *other,
                    });
                }
                let (positions, width) = (other.dim(1), other.dim(2));
                if mha.kv_len != 0 && mha.kv_len != positions {
                    return Err(Problem::Declared {
                        setting: "kv_len",
                        declared: mha.kv_len,
                        actual_what: "key positions",
                        actual: positions,
                    });
                }
                if mha.kdim != 0 && mha.kdim != width {
                    return Err(Problem::Declared {
                        setting: "kdim",
                        declared: mha.kdim,
                        actual_what: "key features",
                        actual: width,
                    });
                }
                Ok(Layer::MultiheadAttention(MultiheadAttention {
                    kv_len: positions,
                    kdim: width,
                    vdim: if mha.vdim == 0 { width } else { mha.vdim },
                    ..*mha
                }))
            }
            Layer::Upsample(up) => {
                if !up.resizes() {
                    return Err(Problem::Other(
                        "takes one input; to resize to another tensor's size, write `(x, target) -> Upsample::resize()`",
                    ));
                }
                if other.rank() != input.rank() || other.rank() < 3 || other.rank() > 5 {
                    return Err(Problem::Rank {
                        expected: "a target of the input's rank (3-D to 5-D) as its second input",
                        got: *other,
                    });
                }
                let spatial = other.rank() - 2;
                let mut values = [1; 3];
                let mut i = 0;
                while i < spatial {
                    values[i] = other.dim(2 + i);
                    i += 1;
                }
                Ok(Layer::Upsample(Upsample {
                    rank: spatial,
                    by_size: true,
                    values,
                    ..*up
                }))
            }
            Layer::ScaledDotProductAttention(_) => Err(Problem::Other(
                "takes one input (fused queries, keys and values) or three: `(q, k, v) -> ScaledDotProductAttention`",
            )),
            _ => Err(Problem::Other(
                "takes one input; only attention (keys and values) and Upsample (a target size) take a second",
            )),
        }
    }

    /// The layer itself (so `.into_layer()` works on a `Layer` value too).
    pub const fn into_layer(self) -> Layer {
        self
    }
}
