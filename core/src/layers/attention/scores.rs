//! The attention products and what is done to each score: scaling, masks, additive biases.

use crate::error::Problem;

/// FLOPs per attention score besides the products: 1 for the scaling by `1/√d`, 5 for the softmax
/// (max, subtract, exp, sum, divide). Without scaling ([`.scaled(false)`](Scores::scaled), T5)
/// it is 1 less.
///
/// ```
/// use nncost_core::layers::{ScaledDotProductAttention, SCORE_FLOPS};
/// let (_, cost) = ScaledDotProductAttention::new(1).apply(&nncost_core::Shape::new(&[1, 4, 3 * 8])).unwrap();
/// assert_eq!(cost.flops, 2 * cost.macs + SCORE_FLOPS * 4 * 4);
/// ```
pub const SCORE_FLOPS: u64 = 6;

/// FLOPs per attention score added by a causal mask (adding `-inf` above the diagonal, or a
/// select): 1. The products are counted in full either way. A sliding window is part of the same
/// mask.
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

/// FLOPs per score of an additive mask given to the attention ([`.mask(true)`](Scores::mask):
/// Swin's shifted-window mask, a padding mask): 1 add.
///
/// ```
/// use nncost_core::{layers::{MultiheadAttention, MASK_FLOPS}, Shape};
/// let x = Shape::new(&[1, 4, 8]);
/// let open = MultiheadAttention::new(8, 2).apply(&x).unwrap().1;
/// let masked = MultiheadAttention::new(8, 2).mask(true).apply(&x).unwrap().1;
/// assert_eq!(masked.flops - open.flops, MASK_FLOPS * 2 * 4 * 4);
/// ```
pub const MASK_FLOPS: u64 = 1;

/// FLOPs per score of an additive score bias ([`ScoreBias`]: ALiBi, a relative-position table,
/// a bias given by an earlier layer): 1 add. Building the bias (a gather from the table, ALiBi's
/// slopes times distances) is done once per shape and not counted.
///
/// ```
/// use nncost_core::{layers::{MultiheadAttention, SCORE_BIAS_FLOPS}, Shape};
/// let x = Shape::new(&[1, 4, 8]);
/// let open = MultiheadAttention::new(8, 2).apply(&x).unwrap().1;
/// let alibi = MultiheadAttention::new(8, 2).alibi(true).apply(&x).unwrap().1;
/// assert_eq!(alibi.flops - open.flops, SCORE_BIAS_FLOPS * 2 * 4 * 4);
/// assert_eq!(alibi.params, open.params); // ALiBi has no parameters
/// ```
pub const SCORE_BIAS_FLOPS: u64 = 1;

/// An additive bias on the attention scores, before the softmax.
///
/// ```
/// use nncost_core::layers::ScoreBias;
/// assert_eq!(ScoreBias::WindowTable { height: 7, width: 7 }.table_rows(), 13 * 13);
/// assert_eq!(ScoreBias::Buckets { num_buckets: 32 }.table_rows(), 32);
/// assert_eq!(ScoreBias::Alibi.table_rows(), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreBias {
    /// No bias.
    None,
    /// ALiBi (Press et al., 2021): a fixed slope per head times the query–key distance. No
    /// parameters; [`SCORE_BIAS_FLOPS`] per score.
    Alibi,
    /// A bias computed elsewhere and added (T5's layers after the first reuse the first layer's
    /// position bias; a user-supplied bias). No parameters; [`SCORE_BIAS_FLOPS`] per score.
    Given,
    /// Swin's relative position bias (torchvision's `ShiftedWindowAttention`): a learned table
    /// `relative_position_bias_table` of `(2·height − 1)·(2·width − 1)` rows × `H` heads
    /// (parameters) and the integer `relative_position_index` of `(height·width)²` entries
    /// (an integer buffer), for windows of `height × width` positions. [`SCORE_BIAS_FLOPS`] per score.
    WindowTable {
        /// Window height.
        height: u64,
        /// Window width.
        width: u64,
    },
    /// T5's bucketed relative position bias (`relative_attention_bias`, an embedding of
    /// `num_buckets` rows × `H` heads): parameters `num_buckets · H`. [`SCORE_BIAS_FLOPS`] per
    /// score.
    Buckets {
        /// `relative_attention_num_buckets` (32 in T5).
        num_buckets: u64,
    },
}

impl ScoreBias {
    /// Rows of the learned table (parameters per head): `(2h − 1)(2w − 1)` for a window
    /// table, `num_buckets` for T5's, 0 otherwise.
    pub const fn table_rows(&self) -> u64 {
        match *self {
            ScoreBias::WindowTable { height, width } => {
                let rows = height.saturating_mul(2).saturating_sub(1);
                rows.saturating_mul(width.saturating_mul(2).saturating_sub(1))
            }
            ScoreBias::Buckets { num_buckets } => num_buckets,
            _ => 0,
        }
    }
}

/// What is done to each attention score between the two products: the scaling, masks and an
/// additive bias, and the sliding window that limits which keys a decoding step keeps.
///
/// FLOPs per score (`N·H·L·S` scores): [`SCORE_FLOPS`] (1 scale + 5 softmax; 1 less without
/// scaling), plus 1 for a causal mask or sliding window ([`CAUSAL_MASK_FLOPS`]), 1 for a given
/// additive mask ([`MASK_FLOPS`]), 1 for a score bias ([`SCORE_BIAS_FLOPS`]). None of them
/// changes the MACs: the products are counted over every query and every key present, as a dense
/// kernel computes them (and as `FlopCounterMode` reports).
///
/// ```
/// use nncost_core::layers::Scores;
/// assert_eq!(Scores::DEFAULT.flops_per_score(), 6);
/// assert_eq!(Scores::DEFAULT.causal(true).flops_per_score(), 7);
/// assert_eq!(Scores::DEFAULT.scaled(false).flops_per_score(), 5); // T5
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "score options do nothing until given to an attention layer"]
pub struct Scores {
    /// A causal mask.
    pub causal: bool,
    /// Scores scaled by `1/√d` (T5 scales its initialisation instead: `false`).
    pub scaled: bool,
    /// An additive mask given to the layer (Swin's shifted windows, padding).
    pub mask: bool,
    /// An additive bias.
    pub bias: ScoreBias,
    /// Sliding window `W` (Mistral): a query sees itself and the `W − 1` keys before it, and a
    /// cache keeps a rolling buffer of `W` positions. 0: no window.
    pub window: u64,
}

impl Scores {
    /// Scaled, unmasked, no bias, no window.
    pub const DEFAULT: Scores = Scores {
        causal: false,
        scaled: true,
        mask: false,
        bias: ScoreBias::None,
        window: 0,
    };

    /// With or without a causal mask.
    pub const fn causal(mut self, causal: bool) -> Scores {
        self.causal = causal;
        self
    }

    /// With or without the `1/√d` scaling.
    pub const fn scaled(mut self, scaled: bool) -> Scores {
        self.scaled = scaled;
        self
    }

    /// FLOPs per score besides the products (see the type's docs).
    pub const fn flops_per_score(&self) -> u64 {
        let mut flops = SCORE_FLOPS;
        if !self.scaled {
            flops -= 1;
        }
        if self.causal || self.window > 0 {
            flops += CAUSAL_MASK_FLOPS;
        }
        if self.mask {
            flops += MASK_FLOPS;
        }
        if !matches!(self.bias, ScoreBias::None) {
            flops += SCORE_BIAS_FLOPS;
        }
        flops
    }

    /// The bias table's parameters and integer index buffer for `heads` heads.
    pub(crate) const fn table(&self, heads: u64) -> Result<(u64, u64), Problem> {
        let params = checked!(checked_mul, self.bias.table_rows(), heads, "parameters");
        let buffers = match self.bias {
            ScoreBias::WindowTable { height, width } => {
                let positions = checked!(checked_mul, height, width, "buffers");
                checked!(checked_mul, positions, positions, "buffers")
            }
            _ => 0,
        };
        Ok((params, buffers))
    }

    /// A window table needs the queries and keys to be one window's positions.
    pub(crate) const fn check_positions(&self, queries: u64, keys: u64) -> Result<(), Problem> {
        if let ScoreBias::WindowTable { height, width } = self.bias {
            let window = height.saturating_mul(width);
            let (what, actual) = if queries != window {
                ("queries", queries)
            } else if keys != window {
                ("keys", keys)
            } else {
                return Ok(());
            };
            return Err(Problem::Mismatch {
                what: "the relative position bias window (height · width)",
                declared: window,
                actual_what: what,
                actual,
            });
        }
        Ok(())
    }
}

/// The sizes of one attention's two products.
pub(crate) struct Products {
    /// Independent sequences: the batch times any leading dims (Swin's windows).
    pub batch: u64,
    /// Query heads.
    pub heads: u64,
    /// Queries per sequence.
    pub queries: u64,
    /// Keys per sequence that each query is scored against.
    pub keys: u64,
    /// Query/key head size (`QKᵀ`).
    pub qk_dim: u64,
    /// Value head size (`AV`).
    pub v_dim: u64,
}

/// `(MACs, FLOPs)` of `softmax(QKᵀ)·V` with `scores`' extras: `B·H·L·S·(d_qk + d_v)` MACs.
pub(crate) const fn products(p: &Products, scores: &Scores) -> Result<(u64, u64), Problem> {
    let n = checked!(checked_mul, p.batch, p.heads, "MACs");
    let n = checked!(checked_mul, n, p.queries, "MACs");
    let n = checked!(checked_mul, n, p.keys, "MACs");
    let width = checked!(checked_add, p.qk_dim, p.v_dim, "MACs");
    let macs = checked!(checked_mul, n, width, "MACs");
    let flops = checked!(checked_mul, macs, 2, "FLOPs");
    let extra = checked!(checked_mul, n, scores.flops_per_score(), "FLOPs");
    Ok((macs, checked!(checked_add, flops, extra, "FLOPs")))
}

/// Query–key pairs a query actually sees, for kernels that skip masked scores (FlashAttention
/// and its tiles, sliding-window kernels), per sequence and head: `queries` new positions after
/// `cached` earlier ones, with a causal mask and a sliding window of `window` positions (0: none;
/// a query sees itself and the `window − 1` keys before it, Hugging Face's and Mistral's rule; a
/// window is counted as causal, as in every model that uses one). Without a causal mask or a
/// window every query sees every key: `queries · (cached + queries)`.
/// `None` if the count does not fit in `u64`.
///
/// nncost's MACs count every query against every key present (`queries · keys`), as a dense
/// kernel and `FlopCounterMode` do; this is the count beside it. Multiply by
/// `heads · (d_qk + d_v) · layers` for a model's attention MACs under the visible-pair convention.
///
/// ```
/// use nncost_core::layers::visible_pairs;
/// // 4 queries, causal: 1 + 2 + 3 + 4.
/// assert_eq!(visible_pairs(4, 0, true, 0), Some(10));
/// // Window of 2: 1 + 2 + 2 + 2.
/// assert_eq!(visible_pairs(4, 0, true, 2), Some(7));
/// // One decoding step after 100 cached positions sees 101 keys, or the window's 2.
/// assert_eq!(visible_pairs(1, 100, true, 0), Some(101));
/// assert_eq!(visible_pairs(1, 100, true, 2), Some(2));
/// assert_eq!(visible_pairs(3, 5, false, 0), Some(3 * 8));
/// ```
pub const fn visible_pairs(queries: u64, cached: u64, causal: bool, window: u64) -> Option<u64> {
    let (t, p) = (queries as u128, cached as u128);
    // u128 holds every partial product below (each factor is under 2⁶⁵); a total past u64 is
    // `None`.
    let pairs = if !causal && window == 0 {
        match t.checked_mul(p + t) {
            Some(pairs) => pairs,
            None => return None,
        }
    } else {
        // Query i (from 0) sees p + i + 1 keys, at most `window`: closed form, so the cost of
        // evaluating it does not grow with the sequence.
        let first = p + 1;
        let uncapped = if window == 0 {
            t
        } else if first >= window as u128 {
            0
        } else if (window as u128) - first < t {
            window as u128 - first
        } else {
            t
        };
        // Σ_{i<uncapped} (first + i), then `window` for each capped query.
        let sum = match uncapped.checked_mul(first) {
            Some(v) => v,
            None => return None,
        };
        let triangle = match uncapped.checked_mul(uncapped.saturating_sub(1)) {
            Some(v) => v / 2,
            None => return None,
        };
        let capped = (t - uncapped) * window as u128;
        match sum.checked_add(triangle) {
            Some(v) => match v.checked_add(capped) {
                Some(v) => v,
                None => return None,
            },
            None => return None,
        }
    };
    if pairs > u64::MAX as u128 {
        None
    } else {
        Some(pairs as u64)
    }
}

/// The score setters shared by [`MultiheadAttention`](super::MultiheadAttention) and
/// [`ScaledDotProductAttention`](super::ScaledDotProductAttention), in an `impl` block of a
/// builder with a `scores: Scores` field and the layer name `$name`.
macro_rules! score_setters {
    ($name:literal) => {
        /// A causal mask (`is_causal=True`): adds
        /// [`CAUSAL_MASK_FLOPS`](crate::layers::CAUSAL_MASK_FLOPS) per score; MACs unchanged.
        ///
        /// ```
        /// use nncost_core::{layers::MultiheadAttention, Shape};
        /// let x = Shape::new(&[1, 5, 8]);
        /// let a = MultiheadAttention::new(8, 2).apply(&x).unwrap().1;
        /// let b = MultiheadAttention::new(8, 2).causal(true).apply(&x).unwrap().1;
        /// assert_eq!((b.macs, b.flops - a.flops), (a.macs, 2 * 5 * 5));
        /// ```
        pub const fn causal(mut self, causal: bool) -> Self {
            self.scores.causal = causal;
            self
        }

        /// Sliding-window attention of `window` positions (Mistral's `sliding_window`): a query
        /// sees itself and the `window − 1` keys before it. The window is part of the causal
        /// mask (one [`CAUSAL_MASK_FLOPS`](crate::layers::CAUSAL_MASK_FLOPS) per score).
        ///
        /// Over the whole sequence (and at prefill) the MACs stay dense, every query against
        /// every key, as `FlopCounterMode` counts them ([`visible_pairs`](crate::layers::visible_pairs)
        /// gives the count a windowed kernel computes). In a cached step the cache is a rolling
        /// buffer: the step attends to the `min(P, window − 1)` cached keys it keeps plus its
        /// own, and the cache holds at most `window` positions.
        ///
        /// ```
        /// use nncost_core::{layers::MultiheadAttention, Phase, Shape};
        /// let attn = MultiheadAttention::new(8, 2).causal(true).sliding_window(4).into_layer();
        /// let step = Shape::new(&[1, 1, 8]);
        /// // 1,000 cached positions, but the step sees only the window: 3 kept + itself.
        /// let far = attn.apply_in(&step, &Phase::cached(1_000)).unwrap().1;
        /// let near = attn.apply_in(&step, &Phase::cached(3)).unwrap().1;
        /// assert_eq!(far.macs, near.macs);
        /// assert_eq!(attn.cache_in(&step, &Phase::cached(1_000)).unwrap().held, 4 * 2 * 8);
        /// ```
        #[track_caller]
        pub const fn sliding_window(mut self, window: u64) -> Self {
            $crate::layers::require_positive($name, "sliding_window", window);
            self.scores.window = window;
            self
        }

        /// An additive attention mask given to the layer (Swin's shifted-window mask, a padding
        /// mask): [`MASK_FLOPS`](crate::layers::MASK_FLOPS) per score; MACs unchanged.
        pub const fn mask(mut self, mask: bool) -> Self {
            self.scores.mask = mask;
            self
        }

        /// Whether scores are scaled by `1/√d` (default `true`; T5 does not scale: one FLOP
        /// less per score).
        ///
        /// ```
        /// use nncost_core::{layers::MultiheadAttention, Shape};
        /// let x = Shape::new(&[1, 5, 8]);
        /// let a = MultiheadAttention::new(8, 2).apply(&x).unwrap().1;
        /// let t5 = MultiheadAttention::new(8, 2).scaled(false).apply(&x).unwrap().1;
        /// assert_eq!(a.flops - t5.flops, 2 * 5 * 5);
        /// ```
        pub const fn scaled(mut self, scaled: bool) -> Self {
            self.scores.scaled = scaled;
            self
        }

        /// ALiBi: a fixed per-head bias by query–key distance added to the scores; no
        /// parameters, [`SCORE_BIAS_FLOPS`](crate::layers::SCORE_BIAS_FLOPS) per score.
        pub const fn alibi(mut self, alibi: bool) -> Self {
            self.scores.bias = if alibi {
                $crate::layers::ScoreBias::Alibi
            } else {
                $crate::layers::ScoreBias::None
            };
            self
        }

        /// A score bias computed elsewhere and added (T5's layers after the first, which reuse
        /// the first layer's position bias): no parameters,
        /// [`SCORE_BIAS_FLOPS`](crate::layers::SCORE_BIAS_FLOPS) per score.
        pub const fn score_bias(mut self, given: bool) -> Self {
            self.scores.bias = if given {
                $crate::layers::ScoreBias::Given
            } else {
                $crate::layers::ScoreBias::None
            };
            self
        }

        /// Swin's relative position bias for windows of `height × width` positions, owned by
        /// the layer as torchvision's `ShiftedWindowAttention` owns it: the table
        /// `(2·height − 1)·(2·width − 1) × H` (parameters) and the `(height·width)²` integer
        /// `relative_position_index` (integer buffers). Queries and keys must be one window's
        /// `height·width` positions. [`SCORE_BIAS_FLOPS`](crate::layers::SCORE_BIAS_FLOPS) per
        /// score.
        ///
        /// ```
        /// use nncost_core::{layers::MultiheadAttention, Shape};
        /// let attn = MultiheadAttention::new(96, 3).relative_position_bias(7, 7).into_layer();
        /// // 64 windows of 7×7 positions, width 96.
        /// let (_, cost) = attn.apply(&Shape::new(&[1, 64, 49, 96])).unwrap();
        /// assert_eq!(cost.params, 4 * (96 * 96 + 96) + 13 * 13 * 3);
        /// assert_eq!(cost.integer_buffers, 49 * 49);
        /// ```
        #[track_caller]
        pub const fn relative_position_bias(mut self, height: u64, width: u64) -> Self {
            $crate::layers::require_positive($name, "window height", height);
            $crate::layers::require_positive($name, "window width", width);
            self.scores.bias = $crate::layers::ScoreBias::WindowTable { height, width };
            self
        }

        /// T5's bucketed relative position bias (`relative_attention_bias`, in the first layer
        /// of each stack): `num_buckets × H` parameters;
        /// [`SCORE_BIAS_FLOPS`](crate::layers::SCORE_BIAS_FLOPS) per score. The layers that
        /// reuse it take [`score_bias(true)`](Self::score_bias).
        ///
        /// ```
        /// use nncost_core::{layers::MultiheadAttention, Shape};
        /// let first = MultiheadAttention::new(512, 8).bias(false).scaled(false)
        ///     .relative_attention_buckets(32).into_layer();
        /// let (_, cost) = first.apply(&Shape::new(&[1, 16, 512])).unwrap();
        /// assert_eq!(cost.params, 4 * 512 * 512 + 32 * 8);
        /// ```
        #[track_caller]
        pub const fn relative_attention_buckets(mut self, num_buckets: u64) -> Self {
            $crate::layers::require_positive($name, "num_buckets", num_buckets);
            self.scores.bias = $crate::layers::ScoreBias::Buckets { num_buckets };
            self
        }
    };
}

pub(crate) use score_setters;

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form against the sum it replaces.
    #[test]
    fn visible_pairs_by_counting() {
        for t in [0u64, 1, 2, 5, 17] {
            for p in [0u64, 1, 3, 40] {
                for w in [0u64, 1, 2, 4, 50] {
                    let counted: u64 = (0..t)
                        .map(|i| {
                            let seen = p + i + 1;
                            if w == 0 {
                                seen
                            } else {
                                seen.min(w)
                            }
                        })
                        .sum();
                    assert_eq!(visible_pairs(t, p, true, w), Some(counted), "{t} {p} {w}");
                }
            }
        }
        assert_eq!(visible_pairs(u64::MAX, u64::MAX, false, 0), None);
    }
}
