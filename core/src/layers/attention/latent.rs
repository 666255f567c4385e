//! `LatentAttention`: DeepSeek-V2/V3's multi-head latent attention (MLA).

use super::keys::{self_keys, sequence};
use super::rope::ROPE_FLOPS_PER_ELEMENT;
use super::scores::{products, score_setters, Products, Scores};
use super::{mul3, SEQUENCE_RANK};
use crate::cost::Cost;
use crate::error::Problem;
use crate::kv_cache::CacheUse;
use crate::layer::Layer;
use crate::layers::{require_positive, RMS_FLOPS_PER_ELEMENT};
use crate::phase::Phase;
use crate::shape::Shape;

/// Multi-head latent attention (DeepSeek-V2, DeepSeek-V3), as Hugging Face's
/// `DeepseekV2Attention`: keys and values are compressed into a latent of `kv_lora_rank` values
/// per position plus a shared rotary key of `qk_rope_head_dim`, and up-projected per head.
///
/// Projections (width `E`, `H` heads, latent rank `r`, query rank `r_q`, head sizes `d_nope`,
/// `d_rope`, `d_v`; `d_qk = d_nope + d_rope`):
/// - queries: `q_a_proj` `E → r_q`, `q_a_layernorm` (RMSNorm), `q_b_proj` `r_q → H·d_qk`; or a
///   plain `q_proj` `E → H·d_qk` with [`.q_lora_rank(0)`](Self::q_lora_rank) (DeepSeek-V2-Lite);
/// - `kv_a_proj_with_mqa` `E → r + d_rope` (the latent and the rotary key), `kv_a_layernorm`
///   (RMSNorm over `r`), `kv_b_proj` `r → H·(d_nope + d_v)` (keys and values per head);
/// - `o_proj` `H·d_v → E`.
///
/// Params: those weights, the two norms' `r_q + r`, and with
/// [`.attention_bias(true)`](Self::attention_bias) biases on `q_a_proj`, `kv_a_proj_with_mqa` and
/// `o_proj`. MACs: the projections (as `Linear`) and the products `QKᵀ` (`B·H·L·S·d_qk`) and `AV`
/// (`B·H·L·S·d_v`). FLOPs: `2 × MACs`, the bias adds, the norms ([`RMS_FLOPS_PER_ELEMENT`] + 1
/// per element), RoPE ([`ROPE_FLOPS_PER_ELEMENT`] per element of the `H` query heads' and the one
/// shared key's `d_rope` values) and [`Scores::flops_per_score`] per score.
///
/// **The cache holds the latent**: `r + d_rope` values per position and sequence, MLA's reason to
/// exist (576 for DeepSeek-V2/V3, against `2·H·d` = 32,768 for a 128-head MHA of head size 128).
/// A cached step computes its new positions' latents, writes them, and up-projects **every**
/// latent present (`P` cached + `T` new) through `kv_b_proj` to score them: `kv_b_proj`'s MACs
/// grow with the context, as a latent cache without weight absorption runs it. Hugging Face's
/// `DeepseekV2Attention` instead up-projects each position once, when it is new, and caches the
/// up-projected keys and values (`H·(d_qk + d_v)` values per position: 5,120 for V2-Lite's 16
/// heads, 9× the latent); DeepSeek's and vLLM's decoding absorbs `kv_b_proj` into the query and
/// output projections and scores the latents directly ([`.absorbed(true)`](Self::absorbed)
/// costs that). At prefill (and over the whole sequence)
/// all three up-project each position once, and nncost's MACs equal `FlopCounterMode` on Hugging
/// Face's module.
///
/// ```
/// use nncost_core::{layers::LatentAttention, Phase, Shape};
/// // DeepSeek-V2-Lite's attention: width 2048, 16 heads, no query compression.
/// let mla = LatentAttention::new(2048, 16).q_lora_rank(0).into_layer();
/// let (out, cost) = mla.apply(&Shape::new(&[1, 10, 2048])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 10, 2048]));
/// let q = 2048 * 16 * 192;
/// let kv_a = 2048 * (512 + 64);
/// let kv_b = 512 * 16 * (128 + 128);
/// let o = 16 * 128 * 2048;
/// assert_eq!(cost.params, q + kv_a + 512 + kv_b + o);
/// assert_eq!(cost.macs, 10 * (q + kv_a + kv_b + o) + 16 * 10 * 10 * (192 + 128));
/// // Its cache: the latent and the rotary key, 576 values per position.
/// let cache = mla.cache_in(&Shape::new(&[1, 1, 2048]), &Phase::cached(99)).unwrap();
/// assert_eq!(cache.held, 100 * 576);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct LatentAttention {
    /// The width `E` (input and output).
    pub embed_dim: u64,
    /// Heads `H`.
    pub num_heads: u64,
    /// Query compression rank `r_q`; 0 means a plain `q_proj`.
    pub q_lora_rank: u64,
    /// Key/value latent rank `r`.
    pub kv_lora_rank: u64,
    /// Query/key head size without rotary embedding, `d_nope`.
    pub qk_nope_head_dim: u64,
    /// Rotary query/key head size, `d_rope` (one rotary key shared by all heads).
    pub qk_rope_head_dim: u64,
    /// Value head size `d_v`.
    pub v_head_dim: u64,
    /// Biases on `q_a_proj`, `kv_a_proj_with_mqa` and `o_proj` (`attention_bias`).
    pub attention_bias: bool,
    /// Decode steps score the latents directly, `kv_b_proj` absorbed into the query and output
    /// projections (DeepSeek's and vLLM's decoding).
    pub absorbed: bool,
    /// Masks and score options (causal by default).
    pub scores: Scores,
}

impl LatentAttention {
    /// MLA of width `embed_dim` with `num_heads` heads and Hugging Face's `DeepseekV2Config`
    /// defaults: `q_lora_rank` 1,536, `kv_lora_rank` 512, head sizes 128 (no rope), 64 (rope) and
    /// 128 (values), no biases, causal.
    #[track_caller]
    pub const fn new(embed_dim: u64, num_heads: u64) -> LatentAttention {
        require_positive("LatentAttention", "embed_dim", embed_dim);
        require_positive("LatentAttention", "num_heads", num_heads);
        LatentAttention {
            embed_dim,
            num_heads,
            q_lora_rank: 1536,
            kv_lora_rank: 512,
            qk_nope_head_dim: 128,
            qk_rope_head_dim: 64,
            v_head_dim: 128,
            attention_bias: false,
            absorbed: false,
            scores: Scores::DEFAULT.causal(true),
        }
    }

    /// The query compression rank (`q_lora_rank`); 0 for a plain `q_proj` (DeepSeek-V2-Lite).
    ///
    /// ```
    /// use nncost_core::{layers::LatentAttention, Shape};
    /// // DeepSeek-V3's attention: width 7,168, 128 heads, query rank 1,536.
    /// let v3 = LatentAttention::new(7168, 128).q_lora_rank(1536).kv_lora_rank(512).head_dims(128, 64, 128);
    /// let (_, cost) = v3.into_layer().apply(&Shape::new(&[1, 1, 7168])).unwrap();
    /// let q = 7168 * 1536 + 1536 + 1536 * 128 * 192;
    /// let kv = 7168 * 576 + 512 + 512 * 128 * 256;
    /// assert_eq!(cost.params, q + kv + 128 * 128 * 7168);
    /// ```
    pub const fn q_lora_rank(mut self, rank: u64) -> LatentAttention {
        self.q_lora_rank = rank;
        self
    }

    /// The key/value latent rank (`kv_lora_rank`).
    #[track_caller]
    pub const fn kv_lora_rank(mut self, rank: u64) -> LatentAttention {
        require_positive("LatentAttention", "kv_lora_rank", rank);
        self.kv_lora_rank = rank;
        self
    }

    /// The head sizes: queries and keys without rope (`qk_nope_head_dim`), with rope
    /// (`qk_rope_head_dim`), values (`v_head_dim`).
    #[track_caller]
    pub const fn head_dims(mut self, nope: u64, rope: u64, v: u64) -> LatentAttention {
        require_positive("LatentAttention", "qk_nope_head_dim", nope);
        require_positive("LatentAttention", "v_head_dim", v);
        self.qk_nope_head_dim = nope;
        self.qk_rope_head_dim = rope;
        self.v_head_dim = v;
        self
    }

    /// Biases on `q_a_proj`, `kv_a_proj_with_mqa` and `o_proj` (`attention_bias`, default
    /// `false`).
    pub const fn attention_bias(mut self, bias: bool) -> LatentAttention {
        self.attention_bias = bias;
        self
    }

    /// Decode steps with `kv_b_proj` absorbed (DeepSeek's and vLLM's decoding): each new query
    /// is mapped into the latent space (`H·d_nope·r` MACs per position), scored against the
    /// latents and rotary keys directly (`r + d_rope` per score), its values gathered as latents
    /// (`r` per score) and mapped out per head (`H·r·d_v`), so no cached latent is up-projected.
    /// Prefill and the whole sequence still up-project each position once, as Hugging Face does
    /// (absorbing only pays off against a long cache).
    ///
    /// ```
    /// use nncost_core::{layers::LatentAttention, Phase, Shape};
    /// let mla = LatentAttention::new(2048, 16).q_lora_rank(0);
    /// let x = Shape::new(&[1, 1, 2048]);
    /// let naive = mla.apply_in(&x, &Phase::cached(4095)).unwrap().1;
    /// let absorbed = mla.absorbed(true).apply_in(&x, &Phase::cached(4095)).unwrap().1;
    /// let (q, kv_a, o) = (2048 * 16 * 192, 2048 * 576, 16 * 128 * 2048);
    /// // Naive: the 4,096 latents up-projected, then 16 heads score 4,096 keys of 192 + 128.
    /// assert_eq!(naive.macs, q + kv_a + o + 4096 * 512 * 16 * 256 + 16 * 4096 * 320);
    /// // Absorbed: the query into the latent, 4,096 scores of 512 + 64, values of 512, out.
    /// let absorb = 16 * 128 * 512 + 16 * 512 * 128;
    /// assert_eq!(absorbed.macs, q + kv_a + o + absorb + 16 * 4096 * (576 + 512));
    /// ```
    pub const fn absorbed(mut self, absorbed: bool) -> LatentAttention {
        self.absorbed = absorbed;
        self
    }

    score_setters!("LatentAttention");

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::LatentAttention(self)
    }

    /// Output shape and cost for `input` (`[N, .., L, E]`) over the whole sequence.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        self.apply_in(input, &Phase::WHOLE)
    }

    /// The MACs of the attention products `QKᵀ` and `AV` for `input` in `phase` (over the
    /// latent when [`absorbed`](Self::absorbed) in a decode step): the layer's MACs less its
    /// projections, as `FlopCounterMode` counts them under `scaled_dot_product_attention`.
    ///
    /// ```
    /// use nncost_core::{layers::LatentAttention, Phase, Shape};
    /// let mla = LatentAttention::new(64, 4).kv_lora_rank(16).head_dims(8, 4, 8);
    /// let x = Shape::new(&[1, 10, 64]);
    /// // QKᵀ over d_qk = 8 + 4 and AV over d_v = 8, 4 heads, 10 × 10 positions.
    /// assert_eq!(mla.attention_macs_in(&x, &Phase::WHOLE), Ok(4 * 10 * 10 * (12 + 8)));
    /// ```
    pub const fn attention_macs_in(&self, input: &Shape, phase: &Phase) -> Result<u64, Problem> {
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let keys = tri!(self_keys(seq.len, phase, self.scores.window));
        let rope = self.qk_rope_head_dim;
        let (qk_dim, v_dim) = if self.absorbed && phase.is_decode() {
            (
                checked!(checked_add, self.kv_lora_rank, rope, "MACs"),
                self.kv_lora_rank,
            )
        } else {
            (
                checked!(checked_add, self.qk_nope_head_dim, rope, "MACs"),
                self.v_head_dim,
            )
        };
        let (macs, _) = tri!(products(
            &Products {
                batch: seq.batch,
                heads: self.num_heads,
                queries: seq.len,
                keys: keys.present,
                qk_dim,
                v_dim,
            },
            &self.scores
        ));
        Ok(macs)
    }

    /// Output shape and cost for `input` in `phase`, or what is wrong.
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
        let keys = tri!(self_keys(seq.len, phase, self.scores.window));
        let (h, r, rq) = (self.num_heads, self.kv_lora_rank, self.q_lora_rank);
        let (rope, dv) = (self.qk_rope_head_dim, self.v_head_dim);
        let dqk = checked!(checked_add, self.qk_nope_head_dim, rope, "parameters");
        let q_out = checked!(checked_mul, h, dqk, "parameters");
        let kv_a_out = checked!(checked_add, r, rope, "parameters");
        let kv_b_out = tri!(mul3(
            h,
            checked!(checked_add, self.qk_nope_head_dim, dv, "parameters"),
            1,
            "parameters"
        ));
        let o_in = checked!(checked_mul, h, dv, "parameters");
        // Weights per position, for the projections run once per new position.
        let q_weights = if rq == 0 {
            checked!(checked_mul, e, q_out, "parameters")
        } else {
            let a = checked!(checked_mul, e, rq, "parameters");
            let b = checked!(checked_mul, rq, q_out, "parameters");
            checked!(checked_add, a, b, "parameters")
        };
        let kv_a = checked!(checked_mul, e, kv_a_out, "parameters");
        let o = checked!(checked_mul, o_in, e, "parameters");
        let per_new = checked!(checked_add, q_weights, kv_a, "parameters");
        let per_new = checked!(checked_add, per_new, o, "parameters");
        let kv_b = checked!(checked_mul, r, kv_b_out, "parameters");
        let norms = checked!(checked_add, rq, r, "parameters");
        let biases = if self.attention_bias {
            let b = checked!(checked_add, rq, kv_a_out, "parameters");
            checked!(checked_add, b, e, "parameters")
        } else {
            0
        };
        let mut params = checked!(checked_add, per_new, kv_b, "parameters");
        params = checked!(checked_add, params, norms, "parameters");
        params = checked!(checked_add, params, biases, "parameters");

        // New positions run every projection but the up-projection, which runs on every latent
        // present (the new ones over the whole sequence and at prefill), unless absorbed.
        let absorbed = self.absorbed && phase.is_decode();
        let rows = checked!(checked_mul, seq.batch, seq.len, "MACs");
        let mut macs = checked!(checked_mul, rows, per_new, "MACs");
        let (up, qk_dim, v_dim) = if absorbed {
            // Queries into the latent (H·d_nope·r), values out of it (H·r·d_v), per position.
            let q_in = tri!(mul3(h, self.qk_nope_head_dim, r, "MACs"));
            let v_out = tri!(mul3(h, r, dv, "MACs"));
            let per_row = checked!(checked_add, q_in, v_out, "MACs");
            (checked!(checked_mul, rows, per_row, "MACs"), kv_a_out, r)
        } else {
            let latents = checked!(checked_mul, seq.batch, keys.present, "MACs");
            (checked!(checked_mul, latents, kv_b, "MACs"), dqk, dv)
        };
        macs = checked!(checked_add, macs, up, "MACs");
        let mut flops = checked!(checked_mul, macs, 2, "FLOPs");
        flops = checked!(
            checked_add,
            flops,
            checked!(checked_mul, rows, biases, "FLOPs"),
            "FLOPs"
        );
        let normed = checked!(checked_mul, rows, norms, "FLOPs");
        flops = checked!(
            checked_add,
            flops,
            tri!(mul3(normed, RMS_FLOPS_PER_ELEMENT + 1, 1, "FLOPs")),
            "FLOPs"
        );
        let rotated = tri!(mul3(
            rows,
            checked!(checked_add, h, 1, "FLOPs"),
            rope,
            "FLOPs"
        ));
        flops = checked!(
            checked_add,
            flops,
            checked!(checked_mul, rotated, ROPE_FLOPS_PER_ELEMENT, "FLOPs"),
            "FLOPs"
        );
        let (core_macs, core_flops) = tri!(products(
            &Products {
                batch: seq.batch,
                heads: h,
                queries: seq.len,
                keys: keys.present,
                qk_dim,
                v_dim,
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
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }

    /// The latent cache this layer holds, reads and writes in `phase` (values):
    /// `B·(kv_lora_rank + qk_rope_head_dim)` per position.
    pub const fn cache_in(&self, input: &Shape, phase: &Phase) -> Result<CacheUse, Problem> {
        if !phase.cache {
            return Ok(CacheUse::NONE);
        }
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let keys = tri!(self_keys(seq.len, phase, self.scores.window));
        let width = checked!(
            checked_add,
            self.kv_lora_rank,
            self.qk_rope_head_dim,
            crate::kv_cache::KV_VALUES
        );
        let per_position = checked!(checked_mul, seq.batch, width, crate::kv_cache::KV_VALUES);
        CacheUse::positions(per_position, keys.held, keys.read, keys.written)
    }
}
