//! `MultiheadAttention`: the q, k, v and output projections around the attention products.

use super::keys::{cross_keys, self_keys, sequence, Keys};
use super::rope::ROPE_FLOPS_PER_ELEMENT;
use super::scores::{products, score_setters, Products, Scores};
use super::{mul3, require_kv_heads, SEQUENCE_RANK};
use crate::cost::Cost;
use crate::error::Problem;
use crate::kv_cache::CacheUse;
use crate::layer::Layer;
use crate::layers::{require_divisible, require_positive};
use crate::phase::Phase;
use crate::shape::Shape;

/// Multi-head attention with its projections, as `torch.nn.MultiheadAttention(embed_dim,
/// num_heads)` called with `batch_first=True` and `need_weights=False`, and as the attention
/// blocks of Hugging Face's decoders (LLaMA, Mistral, Qwen2: `q_proj`, `k_proj`, `v_proj`,
/// `o_proj` with rotary embeddings and grouped-query heads).
///
/// **Self-attention** (the default): queries, keys and values are the input `[N, .., L, E]`
/// (any dims between the batch and the positions are independent sequences, as Swin's windows
/// `[N, windows, 49, C]`). **Cross-attention**: [`.kv_len(S)`](Self::kv_len) declares that keys
/// and values come from another sequence of `S` positions (an encoder's output, image features)
/// with [`.kdim(K)`](Self::kdim) and [`.vdim(V)`](Self::vdim) features (default `E`); that source
/// is outside this layer's input, so only its projections are costed here. **Grouped-query
/// attention**: [`.kv_heads(G)`](Self::kv_heads) gives keys and values `G` heads shared by
/// `H / G` query heads each (as LLaMA's `num_key_value_heads`; `G = 1` is multi-query attention).
///
/// With `B` the batch times the leading dims, `d` the query/key head size (`E / H` unless
/// [`.head_dim(d)`](Self::head_dim)), `dv` the value head size (`d` unless
/// [`.v_head_dim(dv)`](Self::v_head_dim)) and `S'` the keys (`S`, plus one for each of
/// `add_bias_kv` and `add_zero_attn`):
/// - Output: the input's shape.
/// - Params: `E·H·d` (q) + `K·G·d` (k) + `V·G·dv` (v) + `H·dv·E` (out), plus each projection's
///   bias (`H·d`, `G·d`, `G·dv`, `E`; all four by default, see [`.bias`](Self::bias),
///   [`.qkv_bias`](Self::qkv_bias), [`.out_bias`](Self::out_bias)), plus `G·d + G·dv` with
///   `add_bias_kv`, plus a relative-position table's.
/// - MACs: `B·L·E·H·d` (q) + `B·S·K·G·d` (k) + `B·S·V·G·dv` (v) + `B·H·L·S'·d` (`QKᵀ`) +
///   `B·H·L·S'·dv` (`AV`) + `B·L·H·dv·E` (out).
/// - FLOPs: `2 × MACs`, plus one add per projected element of each bias, plus
///   [`ROPE_FLOPS_PER_ELEMENT`] per rotated element of q and k with [`.rope(true)`](Self::rope),
///   plus [`Scores::flops_per_score`] per score `B·H·L·S'` (scale and softmax, masks, biases).
///
/// The MACs are what `FlopCounterMode` measures on `nn.MultiheadAttention` when the products run
/// through `scaled_dot_product_attention` (nncost's fixtures match it exactly), and on Hugging
/// Face's attention in eager mode.
///
/// **Masks** change neither MACs nor the other FLOPs: nncost counts the full `L×S` products,
/// which is what a dense kernel computes before masking and what `FlopCounterMode`'s formula for
/// `scaled_dot_product_attention` reports (it ignores `is_causal`). FlashAttention-style kernels
/// skip the fully masked tiles and do about half the work on long sequences;
/// [`visible_pairs`](super::visible_pairs) gives the pairs they compute.
///
/// **In a cached step** ([`Phase::cached`], `#[input(tokens = T, cached = P)]`) the layer projects
/// its `T` new positions only and attends to the `P` cached keys plus those `T` (a sliding
/// window keeps `min(P, W − 1)`); its cache holds `B·G·(d + dv)` values per position (see
/// [`cache_in`](Self::cache_in)). A cross-attention's source is projected at prefill and read
/// from the cache at every later step.
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
    /// Query heads `H`.
    pub num_heads: u64,
    /// Key/value heads `G` (grouped-query attention); `H` is divisible by `G`. Default `H`.
    pub kv_heads: u64,
    /// Query/key head size `d` (default `E / H`).
    pub head_dim: u64,
    /// Value head size `dv`; 0 means `d`.
    pub v_head_dim: u64,
    /// Key features `K`; 0 means `E`.
    pub kdim: u64,
    /// Value features `V`; 0 means `E`.
    pub vdim: u64,
    /// Key/value length `S` of cross-attention; 0 means self-attention (`S = L`).
    pub kv_len: u64,
    /// A bias on the query projection.
    pub q_bias: bool,
    /// A bias on the key projection.
    pub k_bias: bool,
    /// A bias on the value projection.
    pub v_bias: bool,
    /// A bias on the output projection.
    pub out_bias: bool,
    /// A learnable key and value appended to the sequence (PyTorch's `add_bias_kv`).
    pub add_bias_kv: bool,
    /// A zero key and value appended to the sequence (PyTorch's `add_zero_attn`).
    pub add_zero_attn: bool,
    /// Rotary position embeddings on queries and keys (counted in FLOPs only).
    pub rope: bool,
    /// Rotated dims per head with `rope`; 0 means the whole head (`d`).
    pub rotary_dim: u64,
    /// Masks, score biases, scaling and the sliding window.
    pub scores: Scores,
}

impl MultiheadAttention {
    /// Attention of width `embed_dim` with `num_heads` heads of size `embed_dim / num_heads`;
    /// `embed_dim` must be divisible by `num_heads`, and the input's features must be
    /// `embed_dim`.
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
        MultiheadAttention::with_head_dim(embed_dim, num_heads, embed_dim / num_heads)
    }

    /// Attention of width `embed_dim` with `num_heads` heads of size `head_dim`, which need not
    /// be `embed_dim / num_heads` (Gemma, Qwen3: the heads are wider or narrower than the model).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// // Width 3072, 16 heads of 256 (Gemma-7B): q, k, v project to 4096.
    /// let attn = MultiheadAttention::with_head_dim(3072, 16, 256).bias(false).into_layer();
    /// let (_, cost) = attn.apply(&Shape::new(&[1, 8, 3072])).unwrap();
    /// assert_eq!(cost.params, 4 * 3072 * 4096);
    /// ```
    #[track_caller]
    pub const fn with_head_dim(
        embed_dim: u64,
        num_heads: u64,
        head_dim: u64,
    ) -> MultiheadAttention {
        require_positive("MultiheadAttention", "embed_dim", embed_dim);
        require_positive("MultiheadAttention", "num_heads", num_heads);
        require_positive("MultiheadAttention", "head_dim", head_dim);
        MultiheadAttention {
            embed_dim,
            num_heads,
            kv_heads: num_heads,
            head_dim,
            v_head_dim: 0,
            kdim: 0,
            vdim: 0,
            kv_len: 0,
            q_bias: true,
            k_bias: true,
            v_bias: true,
            out_bias: true,
            add_bias_kv: false,
            add_zero_attn: false,
            rope: false,
            rotary_dim: 0,
            scores: Scores::DEFAULT,
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

    /// The query/key head size `d` (default `embed_dim / num_heads`); see
    /// [`with_head_dim`](Self::with_head_dim).
    #[track_caller]
    pub const fn head_dim(mut self, head_dim: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "head_dim", head_dim);
        self.head_dim = head_dim;
        self
    }

    /// The value head size `dv`, when it differs from the query/key head size (DeepSeek's
    /// attention: 192 for queries and keys, 128 for values). `AV` and the output projection
    /// use it.
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// let attn = MultiheadAttention::with_head_dim(64, 2, 24).v_head_dim(16).bias(false);
    /// let (_, cost) = attn.into_layer().apply(&Shape::new(&[1, 5, 64])).unwrap();
    /// // q, k: 64 → 2·24; v: 64 → 2·16; out: 2·16 → 64.
    /// assert_eq!(cost.params, 2 * 64 * 48 + 2 * 64 * 32);
    /// assert_eq!(cost.macs, 5 * cost.params + 2 * 5 * 5 * (24 + 16));
    /// ```
    #[track_caller]
    pub const fn v_head_dim(mut self, v_head_dim: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "v_head_dim", v_head_dim);
        self.v_head_dim = v_head_dim;
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

    /// Whether the four projections have biases (default `true`, as PyTorch; LLaMA and Mistral
    /// have none: `false`).
    pub const fn bias(mut self, bias: bool) -> MultiheadAttention {
        self.q_bias = bias;
        self.k_bias = bias;
        self.v_bias = bias;
        self.out_bias = bias;
        self
    }

    /// Whether the q, k and v projections have biases, leaving the output projection's as it
    /// is. Qwen2 has them on q, k, v and not on the output: `.bias(false).qkv_bias(true)`.
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Shape};
    /// let qwen = MultiheadAttention::new(896, 14).kv_heads(2).bias(false).qkv_bias(true);
    /// let (_, cost) = qwen.into_layer().apply(&Shape::new(&[1, 4, 896])).unwrap();
    /// // q: 896 → 896, k and v: 896 → 128 each, out: 896 → 896; biases 896 + 2·128.
    /// assert_eq!(cost.params, 2 * 896 * 896 + 2 * 896 * 128 + 896 + 2 * 128);
    /// ```
    pub const fn qkv_bias(mut self, bias: bool) -> MultiheadAttention {
        self.q_bias = bias;
        self.k_bias = bias;
        self.v_bias = bias;
        self
    }

    /// Whether each of the q, k, v and output projections has a bias (Whisper: the key
    /// projection has none, `.projection_biases(true, false, true, true)`).
    pub const fn projection_biases(mut self, q: bool, k: bool, v: bool, out: bool) -> Self {
        self.q_bias = q;
        self.k_bias = k;
        self.v_bias = v;
        self.out_bias = out;
        self
    }

    /// Whether the output projection has a bias.
    pub const fn out_bias(mut self, bias: bool) -> MultiheadAttention {
        self.out_bias = bias;
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

    /// Rotary position embeddings (RoPE) on the queries and keys after their projections, as
    /// LLaMA's `apply_rotary_pos_emb`: [`ROPE_FLOPS_PER_ELEMENT`] per rotated element; no
    /// parameters, no MACs (see [`RotaryEmbedding`](super::RotaryEmbedding)).
    ///
    /// ```
    /// use nncost_core::{layers::{MultiheadAttention, ROPE_FLOPS_PER_ELEMENT}, Shape};
    /// let x = Shape::new(&[1, 10, 64]);
    /// let plain = MultiheadAttention::new(64, 4).kv_heads(2).apply(&x).unwrap().1;
    /// let rope = MultiheadAttention::new(64, 4).kv_heads(2).rope(true).apply(&x).unwrap().1;
    /// // 10 queries of 4·16 values and 10 keys of 2·16 values are rotated.
    /// assert_eq!(rope.flops - plain.flops, ROPE_FLOPS_PER_ELEMENT * 10 * (64 + 32));
    /// ```
    pub const fn rope(mut self, rope: bool) -> MultiheadAttention {
        self.rope = rope;
        self
    }

    /// Rotary embeddings on the first `rotary_dim` dims of each head only (GPT-NeoX's and
    /// Phi's `partial_rotary_factor`).
    #[track_caller]
    pub const fn partial_rope(mut self, rotary_dim: u64) -> MultiheadAttention {
        require_positive("MultiheadAttention", "rotary_dim", rotary_dim);
        self.rope = true;
        self.rotary_dim = rotary_dim;
        self
    }

    score_setters!("MultiheadAttention");

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::MultiheadAttention(self)
    }

    /// Output shape and cost for queries of shape `input` (`[N, .., L, E]`), or what is wrong,
    /// over the whole sequence ([`Phase::WHOLE`]).
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        self.apply_in(input, &Phase::WHOLE)
    }

    /// The value head size `dv`.
    const fn value_head_dim(&self) -> u64 {
        if self.v_head_dim == 0 {
            self.head_dim
        } else {
            self.v_head_dim
        }
    }

    /// The positions this layer works on in `phase` for `len` queries.
    const fn keys(&self, len: u64, phase: &Phase) -> Result<Keys, Problem> {
        if self.kv_len == 0 {
            self_keys(len, phase, self.scores.window)
        } else {
            Ok(cross_keys(self.kv_len, phase))
        }
    }

    /// The MACs of the attention itself, `QKᵀ` and `AV`, for queries of shape `input`
    /// (`[N, .., L, E]`) in `phase`: the layer's MACs less its four projections. It is what
    /// `FlopCounterMode` counts under `scaled_dot_product_attention` (the projections run as
    /// `addmm`/`mm`).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Phase, Shape};
    /// let mha = MultiheadAttention::new(64, 4);
    /// let x = Shape::new(&[2, 10, 64]);
    /// // Two products of N·H·L·L·d = 2·4·10·10·16 each.
    /// let attention = 2 * (2 * 4 * 10 * 10 * 16);
    /// assert_eq!(mha.attention_macs_in(&x, &Phase::WHOLE), Ok(attention));
    /// assert_eq!(mha.apply(&x).unwrap().1.macs - attention, 4 * 2 * 10 * 64 * 64);
    /// ```
    pub const fn attention_macs_in(&self, input: &Shape, phase: &Phase) -> Result<u64, Problem> {
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let keys = tri!(self.keys(seq.len, phase));
        let extra = self.add_bias_kv as u64 + self.add_zero_attn as u64;
        let (macs, _) = tri!(products(
            &Products {
                batch: seq.batch,
                heads: self.num_heads,
                queries: seq.len,
                keys: checked!(checked_add, keys.present, extra, "MACs"),
                qk_dim: self.head_dim,
                v_dim: self.value_head_dim(),
            },
            &self.scores
        ));
        Ok(macs)
    }

    /// Output shape and cost for queries of shape `input` in `phase`, or what is wrong.
    pub const fn apply_in(&self, input: &Shape, phase: &Phase) -> Result<(Shape, Cost), Problem> {
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let e = self.embed_dim;
        if seq.features != e {
            return Err(Problem::Mismatch {
                what: "embed_dim",
                declared: e,
                actual_what: "features",
                actual: seq.features,
            });
        }
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
        let keys = tri!(self.keys(seq.len, phase));
        let extra = self.add_bias_kv as u64 + self.add_zero_attn as u64;
        let present = checked!(checked_add, keys.present, extra, "MACs");
        tri!(self.scores.check_positions(seq.len, present));
        let (h, g) = (self.num_heads, self.kv_heads);
        let (d, dv) = (self.head_dim, self.value_head_dim());
        let q_width = checked!(checked_mul, h, d, "parameters");
        let k_width = checked!(checked_mul, g, d, "parameters");
        let v_width = checked!(checked_mul, g, dv, "parameters");
        let o_width = checked!(checked_mul, h, dv, "parameters");

        // Parameters: four projection weights, their biases, the learned key/value, a table.
        let mut params = checked!(checked_mul, e, q_width, "parameters");
        params = checked!(
            checked_add,
            params,
            tri!(mul3(kdim, k_width, 1, "parameters")),
            "parameters"
        );
        params = checked!(
            checked_add,
            params,
            tri!(mul3(vdim, v_width, 1, "parameters")),
            "parameters"
        );
        params = checked!(
            checked_add,
            params,
            tri!(mul3(o_width, e, 1, "parameters")),
            "parameters"
        );
        let biases = tri!(bias_sum(
            [self.q_bias, self.k_bias, self.v_bias, self.out_bias],
            [q_width, k_width, v_width, e],
            [1, 1, 1, 1],
            "parameters"
        ));
        params = checked!(checked_add, params, biases, "parameters");
        if self.add_bias_kv {
            params = checked!(checked_add, params, k_width, "parameters");
            params = checked!(checked_add, params, v_width, "parameters");
        }
        let (table, index) = tri!(self.scores.table(h));
        params = checked!(checked_add, params, table, "parameters");

        // Projections: q and out over the L queries, k and v over the positions projected.
        let q_rows = checked!(checked_mul, seq.batch, seq.len, "MACs");
        let kv_rows = checked!(checked_mul, seq.batch, keys.projected, "MACs");
        let mut macs = tri!(mul3(q_rows, e, q_width, "MACs"));
        macs = checked!(
            checked_add,
            macs,
            tri!(mul3(kv_rows, kdim, k_width, "MACs")),
            "MACs"
        );
        macs = checked!(
            checked_add,
            macs,
            tri!(mul3(kv_rows, vdim, v_width, "MACs")),
            "MACs"
        );
        macs = checked!(
            checked_add,
            macs,
            tri!(mul3(q_rows, o_width, e, "MACs")),
            "MACs"
        );
        let mut flops = checked!(checked_mul, macs, 2, "FLOPs");
        let bias_adds = tri!(bias_sum(
            [self.q_bias, self.k_bias, self.v_bias, self.out_bias],
            [q_width, k_width, v_width, e],
            [q_rows, kv_rows, kv_rows, q_rows],
            "FLOPs"
        ));
        flops = checked!(checked_add, flops, bias_adds, "FLOPs");
        if self.rope {
            let r = if self.rotary_dim == 0 {
                d
            } else {
                self.rotary_dim
            };
            let q_rot = tri!(mul3(q_rows, h, r, "FLOPs"));
            let k_rot = tri!(mul3(kv_rows, g, r, "FLOPs"));
            let rotated = checked!(checked_add, q_rot, k_rot, "FLOPs");
            let rope = checked!(checked_mul, rotated, ROPE_FLOPS_PER_ELEMENT, "FLOPs");
            flops = checked!(checked_add, flops, rope, "FLOPs");
        }

        // The attention itself.
        let (core_macs, core_flops) = tri!(products(
            &Products {
                batch: seq.batch,
                heads: h,
                queries: seq.len,
                keys: present,
                qk_dim: d,
                v_dim: dv,
            },
            &self.scores
        ));
        macs = checked!(checked_add, macs, core_macs, "MACs");
        flops = checked!(checked_add, flops, core_flops, "FLOPs");
        tri!(crate::layers::numel(input));
        Ok((
            *input,
            Cost {
                params,
                integer_buffers: index,
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }

    /// The KV cache this layer holds, reads and writes in `phase` (values): `B·G·(d + dv)` per
    /// position, for `P + T` positions after the step (at most the sliding window's `W`; a
    /// cross-attention's `S`). Nothing without a cache ([`Phase::WHOLE`]).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Phase, Shape};
    /// // LLaMA-2-7B's attention: 32 heads of 128, no grouping; one token after 4,096.
    /// let attn = MultiheadAttention::new(4096, 32).bias(false).causal(true);
    /// let cache = attn.cache_in(&Shape::new(&[1, 1, 4096]), &Phase::cached(4_096)).unwrap();
    /// assert_eq!(cache.held, 2 * 32 * 128 * 4_097);
    /// assert_eq!((cache.read, cache.written), (2 * 32 * 128 * 4_096, 2 * 32 * 128));
    /// ```
    pub const fn cache_in(&self, input: &Shape, phase: &Phase) -> Result<CacheUse, Problem> {
        if !phase.cache {
            return Ok(CacheUse::NONE);
        }
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let keys = tri!(self.keys(seq.len, phase));
        let width = checked!(
            checked_add,
            self.head_dim,
            self.value_head_dim(),
            crate::kv_cache::KV_VALUES
        );
        let per_position = tri!(mul3(
            seq.batch,
            self.kv_heads,
            width,
            crate::kv_cache::KV_VALUES
        ));
        CacheUse::positions(per_position, keys.held, keys.read, keys.written)
    }
}

/// `Σ enabled[i] · widths[i] · rows[i]`, checked.
const fn bias_sum(
    enabled: [bool; 4],
    widths: [u64; 4],
    rows: [u64; 4],
    what: &'static str,
) -> Result<u64, Problem> {
    let mut sum: u64 = 0;
    let mut i = 0;
    while i < 4 {
        if enabled[i] {
            let n = checked!(checked_mul, widths[i], rows[i], what);
            sum = checked!(checked_add, sum, n, what);
        }
        i += 1;
    }
    Ok(sum)
}
