//! Phases of a sequence model: the whole sequence at once, or one step over a KV cache.

/// Which pass of a sequence model is costed, as the evaluator hands it to every layer.
///
/// - [`Phase::WHOLE`] (the default): the input is the whole sequence and nothing is kept between
///   passes (an encoder, a classifier, a training-style forward). No layer has a cache.
/// - [`Phase::cached(P)`](Phase::cached): one step of incremental decoding. The input holds the
///   step's `T` new positions; the layers that keep state between steps (self-attention's keys
///   and values, a state-space layer's state) hold `P` positions from earlier steps and add the
///   `T` new ones. `P = 0` is **prefill** (the prompt, written to an empty cache), `P > 0` a
///   **decode** step. Declared with `#[input(tokens = T, cached = P)]`.
///
/// In a cached step, attention projects only the `T` new positions and attends to the `P`
/// cached ones plus those `T` (fewer with a sliding window); see [`crate::layers`]' attention
/// docs and the crate docs' *KV cache* section for the memory figures.
///
/// ```
/// use nncost_core::{layers::MultiheadAttention, Phase, Shape};
/// let attn = MultiheadAttention::new(64, 4).bias(false).into_layer();
/// let step = Shape::new(&[1, 1, 64]); // one new token
/// let whole = attn.apply_in(&step, &Phase::WHOLE).unwrap().1;
/// let decode = attn.apply_in(&step, &Phase::cached(99)).unwrap().1;
/// // Same projections; the products run over 99 cached keys + the new one instead of 1.
/// assert_eq!(decode.macs - whole.macs, 2 * 4 * 16 * 99);
/// assert!(Phase::cached(0).is_prefill() && Phase::cached(7).is_decode());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Phase {
    /// Whether layers keep a cache between steps (`false`: the whole sequence, no cache).
    pub cache: bool,
    /// Positions already in the cache when the step starts (0 without a cache, and at prefill).
    pub cached: u64,
    /// Which of the model's inputs holds the step's new token ids `[N, T]` (the first unless a
    /// named input carries `cached = P`): its `N · T` are the tokens a step processes, for
    /// tokens per second ([`Report::step_tokens`](crate::Report::step_tokens)).
    pub token_input: usize,
}

impl Phase {
    /// The whole sequence at once, with no cache: how every model without `cached = ..` is costed.
    pub const WHOLE: Phase = Phase {
        cache: false,
        cached: 0,
        token_input: 0,
    };

    /// Prefill: a step over an empty cache (`cached = 0`).
    pub const PREFILL: Phase = Phase::cached(0);

    /// One step over a cache that already holds `cached` positions (0: prefill).
    pub const fn cached(cached: u64) -> Phase {
        Phase {
            cache: true,
            cached,
            token_input: 0,
        }
    }

    /// The step's token ids are the model's input number `index` (from 0, in declaration
    /// order): the input declared `tokens(T, cached = P)` among several.
    ///
    /// ```
    /// use nncost_core::Phase;
    /// assert_eq!(Phase::cached(448).token_input(1).token_input, 1);
    /// ```
    pub const fn token_input(mut self, index: usize) -> Phase {
        self.token_input = index;
        self
    }

    /// A step over an empty cache: the prompt's keys and values are computed and written.
    pub const fn is_prefill(&self) -> bool {
        self.cache && self.cached == 0
    }

    /// A step over a cache holding earlier positions.
    pub const fn is_decode(&self) -> bool {
        self.cache && self.cached > 0
    }
}

impl Default for Phase {
    fn default() -> Self {
        Phase::WHOLE
    }
}
