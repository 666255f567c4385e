//! Attention: `MultiheadAttention` (self, cross, grouped-query) and scaled-dot-product attention
//! on fused `q‖k‖v` features.
//!
//! Shapes are batch first (`[N, L, E]`), as PyTorch's `batch_first=True`.
//!
//! **MACs.** The projections count as `Linear` layers do; the attention itself counts its two
//! matrix products, `QKᵀ` (`N·H·L·S·d`) and `AV` (`N·H·L·S·d`), `H` heads of size `d`, `L`
//! queries and `S` keys. This equals `torch.utils.flop_counter.FlopCounterMode` (divided by 2) on
//! `nn.MultiheadAttention` and `F.scaled_dot_product_attention`.
//!
//! **FLOPs.** `2 × MACs`, plus one add per output element of each projection bias, plus
//! [`SCORE_FLOPS`] per attention score (`N·H·L·S` scores): 1 for the scaling by `1/√d` and 5 for
//! the softmax (max, subtract, exp, sum, divide, as [`Softmax`](super::Softmax)); a causal mask
//! adds [`CAUSAL_MASK_FLOPS`] per score.
//!
//! **Causal masking** changes neither MACs nor the other FLOPs: nncost counts the full `L×S`
//! products, which is what a dense kernel computes before masking (and what `FlopCounterMode`'s
//! formula for `scaled_dot_product_attention` reports, since it ignores `is_causal`).
//! FlashAttention-style kernels skip the fully masked tiles and do about half the work for long
//! sequences; nncost does not model a kernel's tiling.

use super::{numel, require_divisible, require_positive};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// FLOPs per attention score besides the products: 1 for the scaling by `1/√d`, 5 for the softmax
/// (max, subtract, exp, sum, divide).
///
/// ```
/// use nncost_core::layers::{ScaledDotProductAttention, SCORE_FLOPS};
/// let (_, cost) = ScaledDotProductAttention::new(1).apply(&nncost_core::Shape::new(&[1, 4, 3 * 8])).unwrap();
/// assert_eq!(cost.flops, 2 * cost.macs + SCORE_FLOPS * 4 * 4);
/// ```
pub const SCORE_FLOPS: u64 = 6;

/// FLOPs per attention score added by a causal mask (adding `-inf` above the diagonal, or a
/// select): 1. The products are counted in full either way.
///
/// ```
/// use nncost_core::{layers::{ScaledDotProductAttention, CAUSAL_MASK_FLOPS}, Shape};
/// let x = Shape::new(&[1, 4, 3 * 8]);
/// let open = ScaledDotProductAttention::new(1).apply(&x).unwrap().1;
/// let causal = ScaledDotProductAttention::new(1).causal(true).apply(&x).unwrap().1;
/// assert_eq!(causal.macs, open.macs);
/// assert_eq!(causal.flops - open.flops, CAUSAL_MASK_FLOPS * 4 * 4);
/// ```
pub const CAUSAL_MASK_FLOPS: u64 = 1;

/// The attention core: `softmax(QKᵀ/√d)·V` for `n` sequences, `heads` query heads of size
/// `head_dim`, `queries` queries and `keys` keys. Returns `(MACs, FLOPs)`.
const fn attention_core(
    n: u64,
    heads: u64,
    queries: u64,
    keys: u64,
    head_dim: u64,
    causal: bool,
) -> Result<(u64, u64), Problem> {
    let scores = checked!(checked_mul, n, heads, "MACs");
    let scores = checked!(checked_mul, scores, queries, "MACs");
    let scores = checked!(checked_mul, scores, keys, "MACs");
    // QKᵀ and AV each take `head_dim` multiply-adds per score.
    let one = checked!(checked_mul, scores, head_dim, "MACs");
    let macs = checked!(checked_mul, one, 2, "MACs");
    let per_score = if causal {
        SCORE_FLOPS + CAUSAL_MASK_FLOPS
    } else {
        SCORE_FLOPS
    };
    let flops = checked!(checked_mul, macs, 2, "FLOPs");
    let extra = checked!(checked_mul, scores, per_score, "FLOPs");
    Ok((macs, checked!(checked_add, flops, extra, "FLOPs")))
}

/// `a · b · c`, checked.
const fn mul3(a: u64, b: u64, c: u64, what: &'static str) -> Result<u64, Problem> {
    let ab = checked!(checked_mul, a, b, what);
    Ok(checked!(checked_mul, ab, c, what))
}

/// Panics unless `kv_heads` is at least 1 and divides `num_heads` (grouped-query attention).
#[track_caller]
const fn require_kv_heads(layer: &str, num_heads: u64, kv_heads: u64) {
    require_positive(layer, "kv_heads", kv_heads);
    require_divisible(layer, "num_heads", num_heads, "kv_heads", kv_heads);
}

/// Multi-head attention with its projections, as `torch.nn.MultiheadAttention(embed_dim,
/// num_heads)` called with `batch_first=True` and `need_weights=False`.
///
/// **Self-attention** (the default): queries, keys and values are the input `[N, L, E]`.
/// **Cross-attention**: [`.kv_len(S)`](Self::kv_len) declares that keys and values come from
/// another sequence of `S` positions (an encoder's output, image features) with
/// [`.kdim(K)`](Self::kdim) and [`.vdim(V)`](Self::vdim) features (default `E`); that source is
/// outside this layer's input, so only its projections are costed here. **Grouped-query
/// attention**: [`.kv_heads(G)`](Self::kv_heads) gives keys and values `G` heads shared by
/// `H / G` query heads each (as LLaMA's `num_key_value_heads`; `G = 1` is multi-query attention).
///
/// With `d = E / H`, `S' = S` plus one for each of `add_bias_kv` and `add_zero_attn`:
/// - Output: `[N, L, E]`.
/// - Params: `E·E` (q) + `K·G·d` (k) + `V·G·d` (v) + `E·E` (out), plus `2·E + 2·G·d` biases if
///   `bias`, plus `2·G·d` if `add_bias_kv`.
/// - MACs: `N·L·E·E` (q) + `N·S·K·G·d` (k) + `N·S·V·G·d` (v) + `N·L·S'·E` (`QKᵀ`) +
///   `N·L·S'·E` (`AV`) + `N·L·E·E` (out).
/// - FLOPs: `2 × MACs`, plus one add per projected element for each bias, plus
///   [`SCORE_FLOPS`] (scale and softmax) per score `N·H·L·S'`, plus [`CAUSAL_MASK_FLOPS`] per
///   score with [`.causal(true)`](Self::causal), which does not change the MACs.
///
/// The MACs are what `FlopCounterMode` measures on `nn.MultiheadAttention` when the products run
/// through `scaled_dot_product_attention` (nncost's fixtures match it exactly).
///
/// **Causal masking** changes neither MACs nor the other FLOPs: nncost counts the full `L×S`
/// products, which is what a dense kernel computes before masking and what `FlopCounterMode`'s
/// formula for `scaled_dot_product_attention` reports (it ignores `is_causal`).
/// FlashAttention-style kernels skip the fully masked tiles and do about half the work on long
/// sequences; nncost does not model a kernel's tiling.
///
/// ```
/// use nncost_core::{layers::MultiheadAttention, Shape};
/// // Self-attention over 128 tokens of width 768 with 12 heads.
/// let mha = MultiheadAttention::new(768, 12).into_layer();
/// let (out, cost) = mha.apply(&Shape::new(&[1, 128, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// assert_eq!(cost.params, 4 * 768 * 768 + 4 * 768);
/// assert_eq!(cost.macs, 4 * 128 * 768 * 768 + 2 * 128 * 128 * 768);
///
/// // Cross-attention from 10 queries to 50 keys of width 32.
/// let cross = MultiheadAttention::new(64, 4).kv_len(50).kdim(32).vdim(32).bias(false);
/// let (out, cost) = cross.into_layer().apply(&Shape::new(&[2, 10, 64])).unwrap();
/// assert_eq!(out, Shape::new(&[2, 10, 64]));
/// assert_eq!(cost.macs, 2 * (10 * 64 * 64 + 2 * 50 * 32 * 64 + 2 * 10 * 50 * 64 + 10 * 64 * 64));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct MultiheadAttention {
    /// The query (and output) width `E`.
    pub embed_dim: u64,
    /// Query heads `H`; `E` is divisible by `H`.
    pub num_heads: u64,
    /// Key/value heads `G` (grouped-query attention); `H` is divisible by `G`. Default `H`.
    pub kv_heads: u64,
    /// Key features `K`; 0 means `E`.
    pub kdim: u64,
    /// Value features `V`; 0 means `E`.
    pub vdim: u64,
    /// Key/value length `S` of cross-attention; 0 means self-attention (`S = L`).
    pub kv_len: u64,
    /// Biases on the four projections.
    pub bias: bool,
    /// A learnable key and value appended to the sequence (PyTorch's `add_bias_kv`).
    pub add_bias_kv: bool,
    /// A zero key and value appended to the sequence (PyTorch's `add_zero_attn`).
    pub add_zero_attn: bool,
    /// A causal mask (counted in FLOPs only).
    pub causal: bool,
}

impl MultiheadAttention {
    /// Attention of width `embed_dim` with `num_heads` heads; `embed_dim` must be divisible by
    /// `num_heads`, and the input's features must be `embed_dim`.
    #[track_caller]
    pub const fn new(embed_dim: u64, num_heads: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "embed_dim", embed_dim);
        require_positive("MultiheadAttention", "num_heads", num_heads);
        require_divisible(
            "MultiheadAttention",
            "embed_dim",
            embed_dim,
            "num_heads",
            num_heads,
        );
        MultiheadAttention {
            embed_dim,
            num_heads,
            kv_heads: num_heads,
            kdim: 0,
            vdim: 0,
            kv_len: 0,
            bias: true,
            add_bias_kv: false,
            add_zero_attn: false,
            causal: false,
        }
    }

    /// Grouped-query attention: `kv_heads` key/value heads, each shared by `num_heads / kv_heads`
    /// query heads (`1` is multi-query attention). `num_heads` must be divisible by it.
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// let gqa = MultiheadAttention::new(512, 8).kv_heads(2).bias(false).into_layer();
    /// let (_, cost) = gqa.apply(&Shape::new(&[1, 16, 512])).unwrap();
    /// // q and out: 512×512 each; k and v: 512×(2·64) each.
    /// assert_eq!(cost.params, 2 * 512 * 512 + 2 * 512 * 128);
    /// ```
    #[track_caller]
    pub const fn kv_heads(mut self, kv_heads: u64) -> MultiheadAttention {
        require_kv_heads("MultiheadAttention", self.num_heads, kv_heads);
        self.kv_heads = kv_heads;
        self
    }

    /// Cross-attention: keys and values come from a sequence of `kv_len` positions that is not
    /// this layer's input (its width is [`kdim`](Self::kdim)/[`vdim`](Self::vdim)).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// // 1 query attending to 196 image tokens: the keys' projections dominate.
    /// let cross = MultiheadAttention::new(64, 1).kv_len(196).bias(false).into_layer();
    /// let (_, cost) = cross.apply(&Shape::new(&[1, 1, 64])).unwrap();
    /// assert_eq!(cost.macs, 2 * 64 * 64 + 2 * 196 * 64 * 64 + 2 * 196 * 64);
    /// ```
    #[track_caller]
    pub const fn kv_len(mut self, kv_len: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "kv_len", kv_len);
        self.kv_len = kv_len;
        self
    }

    /// The key source's features (PyTorch's `kdim`; default `embed_dim`). Other than
    /// `embed_dim` only with [`kv_len`](Self::kv_len): in self-attention the keys are the input.
    #[track_caller]
    pub const fn kdim(mut self, kdim: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "kdim", kdim);
        self.kdim = kdim;
        self
    }

    /// The value source's features (PyTorch's `vdim`; default `embed_dim`). Other than
    /// `embed_dim` only with [`kv_len`](Self::kv_len).
    #[track_caller]
    pub const fn vdim(mut self, vdim: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "vdim", vdim);
        self.vdim = vdim;
        self
    }

    /// Whether the four projections have biases (default `true`).
    pub const fn bias(mut self, bias: bool) -> MultiheadAttention {
        self.bias = bias;
        self
    }

    /// PyTorch's `add_bias_kv`: a learnable key and value appended to the keys (default `false`).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// let plain = MultiheadAttention::new(8, 2).into_layer();
    /// let extra = MultiheadAttention::new(8, 2).add_bias_kv(true).into_layer();
    /// let x = Shape::new(&[1, 5, 8]);
    /// let (a, b) = (plain.apply(&x).unwrap().1, extra.apply(&x).unwrap().1);
    /// assert_eq!(b.params - a.params, 2 * 8);
    /// assert_eq!(b.macs - a.macs, 2 * 5 * 8); // one more key for QKᵀ and AV
    /// ```
    pub const fn add_bias_kv(mut self, add_bias_kv: bool) -> MultiheadAttention {
        self.add_bias_kv = add_bias_kv;
        self
    }

    /// PyTorch's `add_zero_attn`: a zero key and value appended to the keys (default `false`).
    pub const fn add_zero_attn(mut self, add_zero_attn: bool) -> MultiheadAttention {
        self.add_zero_attn = add_zero_attn;
        self
    }

    /// A causal mask (`is_causal=True`): adds [`CAUSAL_MASK_FLOPS`] per score; MACs unchanged.
    pub const fn causal(mut self, causal: bool) -> MultiheadAttention {
        self.causal = causal;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::MultiheadAttention(self)
    }

    /// Keys each of `l` queries attends to: the `l` positions (self-attention) or `kv_len`,
    /// plus the learned and the zero key.
    const fn keys(&self, l: u64) -> Result<u64, Problem> {
        let s = if self.kv_len == 0 { l } else { self.kv_len };
        let extra = self.add_bias_kv as u64 + self.add_zero_attn as u64;
        Ok(checked!(checked_add, s, extra, "MACs"))
    }

    /// The MACs of the attention itself, `QKᵀ` and `AV`, on queries of shape `output`
    /// (`[N, L, E]`, the layer's output shape, which is its input's): the layer's MACs less
    /// its four projections. It is what `FlopCounterMode` counts under
    /// `scaled_dot_product_attention` (the projections run as `addmm`/`mm`).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// let mha = MultiheadAttention::new(64, 4);
    /// let x = Shape::new(&[2, 10, 64]);
    /// // Two products of N·H·L·L·d = 2·4·10·10·16 each.
    /// assert_eq!(mha.attention_macs(&x), Ok(2 * (2 * 4 * 10 * 10 * 16)));
    /// assert_eq!(mha.apply(&x).unwrap().1.macs - 2 * (2 * 4 * 10 * 10 * 16), 4 * 2 * 10 * 64 * 64);
    /// ```
    pub const fn attention_macs(&self, output: &Shape) -> Result<u64, Problem> {
        if output.rank() != 3 {
            return Err(Problem::Rank {
                expected: "3-D input [N, L, E] (batch first)",
                got: *output,
            });
        }
        let (n, l) = (output.dim(0), output.dim(1));
        let keys = tri!(self.keys(l));
        let head_dim = self.embed_dim / self.num_heads;
        let (macs, _) = tri!(attention_core(
            n,
            self.num_heads,
            l,
            keys,
            head_dim,
            self.causal
        ));
        Ok(macs)
    }

    /// Output shape and cost for queries of shape `input` (`[N, L, E]`), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 3 {
            return Err(Problem::Rank {
                expected: "3-D input [N, L, E] (batch first)",
                got: *input,
            });
        }
        let e = self.embed_dim;
        if input.dim(2) != e {
            return Err(Problem::Mismatch {
                what: "embed_dim",
                declared: e,
                actual_what: "features",
                actual: input.dim(2),
            });
        }
        let (n, l) = (input.dim(0), input.dim(1));
        let self_attention = self.kv_len == 0;
        let kdim = if self.kdim == 0 { e } else { self.kdim };
        let vdim = if self.vdim == 0 { e } else { self.vdim };
        if self_attention && kdim != e {
            return Err(Problem::Mismatch {
                what: "kdim",
                declared: kdim,
                actual_what: "features (in self-attention the keys are the input; declare .kv_len(S) for cross-attention)",
                actual: e,
            });
        }
        if self_attention && vdim != e {
            return Err(Problem::Mismatch {
                what: "vdim",
                declared: vdim,
                actual_what: "features (in self-attention the values are the input; declare .kv_len(S) for cross-attention)",
                actual: e,
            });
        }
        let s = if self_attention { l } else { self.kv_len };
        let head_dim = e / self.num_heads;
        let kv_width = checked!(checked_mul, self.kv_heads, head_dim, "parameters");
        let keys = tri!(self.keys(l));

        // Parameters: four projection weights, their biases, the learned key/value.
        let qo = checked!(checked_mul, e, e, "parameters");
        let k_w = checked!(checked_mul, kdim, kv_width, "parameters");
        let v_w = checked!(checked_mul, vdim, kv_width, "parameters");
        let mut params = checked!(checked_mul, qo, 2, "parameters");
        params = checked!(checked_add, params, k_w, "parameters");
        params = checked!(checked_add, params, v_w, "parameters");
        let kv_pair = checked!(checked_mul, kv_width, 2, "parameters");
        if self.bias {
            let b = checked!(checked_mul, e, 2, "parameters");
            params = checked!(checked_add, params, b, "parameters");
            params = checked!(checked_add, params, kv_pair, "parameters");
        }
        if self.add_bias_kv {
            params = checked!(checked_add, params, kv_pair, "parameters");
        }

        // Projections: q and out over the L queries, k and v over the S keys.
        let q_rows = checked!(checked_mul, n, l, "MACs");
        let kv_rows = checked!(checked_mul, n, s, "MACs");
        let q_macs = tri!(mul3(q_rows, e, e, "MACs"));
        let k_macs = tri!(mul3(kv_rows, kdim, kv_width, "MACs"));
        let v_macs = tri!(mul3(kv_rows, vdim, kv_width, "MACs"));
        let mut macs = checked!(checked_mul, q_macs, 2, "MACs");
        macs = checked!(checked_add, macs, k_macs, "MACs");
        macs = checked!(checked_add, macs, v_macs, "MACs");
        let mut flops = checked!(checked_mul, macs, 2, "FLOPs");
        if self.bias {
            let q_out = checked!(checked_mul, q_rows, e, "FLOPs");
            let kv_out = tri!(mul3(kv_rows, kv_width, 2, "FLOPs"));
            flops = checked!(checked_add, flops, q_out, "FLOPs");
            flops = checked!(checked_add, flops, q_out, "FLOPs");
            flops = checked!(checked_add, flops, kv_out, "FLOPs");
        }

        // The attention itself.
        let (core_macs, core_flops) = tri!(attention_core(
            n,
            self.num_heads,
            l,
            keys,
            head_dim,
            self.causal
        ));
        macs = checked!(checked_add, macs, core_macs, "MACs");
        flops = checked!(checked_add, flops, core_flops, "FLOPs");
        tri!(numel(input));
        Ok((
            *input,
            Cost {
                params,
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

/// Scaled-dot-product attention on fused query, key and value features, with no parameters:
/// `softmax(QKᵀ/√d)·V` per head, as `F.scaled_dot_product_attention` after a fused projection
/// (GPT-2's `c_attn`, a `qkv_proj`) and before the output projection.
///
/// The input `[N, L, (H + 2·G)·d]` holds the `H` query heads, then the `G` key heads, then the
/// `G` value heads, each of size `d` (`G = H` unless [`.kv_heads(G)`](Self::kv_heads)); `d` is
/// inferred. Keys and values are the same `L` positions (self-attention; for cross-attention use
/// [`MultiheadAttention::kv_len`], or build the products from branches with a `matmul` merge).
///
/// - Output: `[N, L, H·d]`.
/// - Params: 0. MACs: `N·H·L·L·d` for `QKᵀ` plus the same for `AV`.
/// - FLOPs: `2 × MACs` plus [`SCORE_FLOPS`] per score (`N·H·L·L`), plus [`CAUSAL_MASK_FLOPS`] per
///   score when [`causal`](Self::causal) (MACs unchanged, as for [`MultiheadAttention`]).
///
/// ```
/// use nncost_core::{layers::ScaledDotProductAttention, Shape};
/// let sdpa = ScaledDotProductAttention::new(12).causal(true).into_layer();
/// let (out, cost) = sdpa.apply(&Shape::new(&[1, 128, 3 * 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// assert_eq!(cost.macs, 2 * 12 * 128 * 128 * 64);
/// assert_eq!(cost.flops, 2 * cost.macs + 7 * 12 * 128 * 128);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct ScaledDotProductAttention {
    /// Query heads `H`.
    pub num_heads: u64,
    /// Key/value heads `G`; `H` is divisible by `G`. Default `H`.
    pub kv_heads: u64,
    /// A causal mask (counted in FLOPs only).
    pub causal: bool,
}

impl ScaledDotProductAttention {
    /// Attention with `num_heads` query heads (and as many key/value heads).
    #[track_caller]
    pub const fn new(num_heads: u64) -> ScaledDotProductAttention {
        require_positive("ScaledDotProductAttention", "num_heads", num_heads);
        ScaledDotProductAttention {
            num_heads,
            kv_heads: num_heads,
            causal: false,
        }
    }

    /// Grouped-query attention: `kv_heads` key/value heads in the fused input.
    ///
    /// ```
    /// use nncost_core::{layers::ScaledDotProductAttention, Shape};
    /// // 8 query heads and 2 key/value heads of size 64: (8 + 2·2)·64 = 768 fused features.
    /// let sdpa = ScaledDotProductAttention::new(8).kv_heads(2).into_layer();
    /// let (out, cost) = sdpa.apply(&Shape::new(&[1, 10, 768])).unwrap();
    /// assert_eq!(out, Shape::new(&[1, 10, 512]));
    /// assert_eq!(cost.macs, 2 * 8 * 10 * 10 * 64);
    /// ```
    #[track_caller]
    pub const fn kv_heads(mut self, kv_heads: u64) -> ScaledDotProductAttention {
        require_kv_heads("ScaledDotProductAttention", self.num_heads, kv_heads);
        self.kv_heads = kv_heads;
        self
    }

    /// A causal mask (`is_causal=True`): adds [`CAUSAL_MASK_FLOPS`] per score; MACs unchanged.
    pub const fn causal(mut self, causal: bool) -> ScaledDotProductAttention {
        self.causal = causal;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::ScaledDotProductAttention(self)
    }

    /// Output shape and cost for fused features of shape `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 3 {
            return Err(Problem::Rank {
                expected: "3-D input [N, L, (H + 2·G)·d] of fused q, k, v (batch first)",
                got: *input,
            });
        }
        let (n, l, fused) = (input.dim(0), input.dim(1), input.dim(2));
        let kv = checked!(checked_mul, self.kv_heads, 2, "tensor size");
        let groups = checked!(checked_add, self.num_heads, kv, "tensor size");
        if !fused.is_multiple_of(groups) {
            return Err(Problem::NotDivisible {
                what: "fused q, k, v features",
                value: fused,
                by_what: "num_heads + 2·kv_heads",
                by: groups,
            });
        }
        let head_dim = fused / groups;
        let out_width = checked!(checked_mul, self.num_heads, head_dim, "tensor size");
        let out = input.with_dim(2, out_width);
        tri!(numel(&out));
        let (macs, flops) = tri!(attention_core(
            n,
            self.num_heads,
            l,
            l,
            head_dim,
            self.causal
        ));
        Ok((
            out,
            Cost {
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causal_mask_costs_flops_only() {
        let x = Shape::new(&[2, 7, 24]);
        let open = MultiheadAttention::new(24, 4).apply(&x).unwrap().1;
        let causal = MultiheadAttention::new(24, 4)
            .causal(true)
            .apply(&x)
            .unwrap()
            .1;
        assert_eq!(open.macs, causal.macs);
        assert_eq!(open.params, causal.params);
        assert_eq!(causal.flops - open.flops, 2 * 4 * 7 * 7);
    }

    #[test]
    fn cross_attention_dims() {
        // kdim/vdim other than embed_dim need a declared key/value source.
        let mha = MultiheadAttention::new(16, 2).kdim(8);
        assert!(matches!(
            mha.apply(&Shape::new(&[1, 3, 16])),
            Err(Problem::Mismatch { what: "kdim", .. })
        ));
        let cross = mha.kv_len(5).apply(&Shape::new(&[1, 3, 16])).unwrap().1;
        // k: 8 → 16, v: 16 → 16.
        assert_eq!(cross.params, 16 * 16 * 3 + 8 * 16 + 4 * 16);
        assert!(MultiheadAttention::new(16, 2)
            .apply(&Shape::new(&[1, 3, 12]))
            .is_err());
        assert!(MultiheadAttention::new(16, 2)
            .apply(&Shape::new(&[3, 16]))
            .is_err());
    }

    #[test]
    fn sdpa_needs_divisible_features() {
        let sdpa = ScaledDotProductAttention::new(4).kv_heads(2);
        assert!(matches!(
            sdpa.apply(&Shape::new(&[1, 3, 10])),
            Err(Problem::NotDivisible { by: 8, .. })
        ));
    }

    #[test]
    fn overflow_is_named() {
        let x = Shape::new(&[1 << 20, 1 << 20, 64]);
        assert!(matches!(
            MultiheadAttention::new(64, 1).apply(&x),
            Err(Problem::Overflow { .. })
        ));
    }
}
