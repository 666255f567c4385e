//! `Mamba`: the selective state-space mixer of Mamba (Gu & Dao, 2023), as Hugging Face's
//! `MambaMixer`.

use super::{numel, require_positive, ActivationKind};
use crate::cost::Cost;
use crate::error::Problem;
use crate::kv_cache::CacheUse;
use crate::layer::Layer;
use crate::phase::Phase;
use crate::shape::Shape;

/// FLOPs of the selective scan per state element (`d_inner · d_state` of them) per position,
/// besides its MACs: the discretisation `exp(Δ·A)` (2), `Δ·B·x` (2) and the state update
/// `Ā·h + B̄x` (2). The read-out `h·C` is a contraction, counted as MACs.
///
/// ```
/// use nncost_core::layers::SCAN_FLOPS_PER_STATE;
/// assert_eq!(SCAN_FLOPS_PER_STATE, 6);
/// ```
pub const SCAN_FLOPS_PER_STATE: u64 = 6;

/// FLOPs per inner channel (`d_inner` of them) per position besides the products and biases:
/// the SiLU after the convolution (5), softplus on the time step (3: exp, add, log), the skip
/// `y + D·x` (2) and the gate `y · SiLU(z)` (5 + 1).
///
/// ```
/// use nncost_core::layers::MAMBA_FLOPS_PER_CHANNEL;
/// assert_eq!(MAMBA_FLOPS_PER_CHANNEL, 5 + 3 + 2 + 6);
/// ```
pub const MAMBA_FLOPS_PER_CHANNEL: u64 =
    2 * ActivationKind::SiLU.flops_per_element() + SOFTPLUS_FLOPS + 2 + 1;

/// Softplus, `log(1 + exp(x))`: exp, add, log.
const SOFTPLUS_FLOPS: u64 = 3;

/// Mamba's selective state-space mixer, as Hugging Face's `MambaMixer` (`MambaBlock.mixer`):
/// `in_proj` (`d → 2·d_inner`, the input `x` and the gate `z`), a depthwise causal `conv1d` of
/// kernel `K` with SiLU, `x_proj` (`d_inner → R + 2·N`: the time step's rank-`R` input and the
/// input-dependent `B` and `C`), `dt_proj` (`R → d_inner`, with bias), the selective scan over the
/// state `A = −exp(A_log)` (`d_inner × N`) with skip `D` (`d_inner`), the gate, and `out_proj`
/// (`d_inner → d`). `d_inner = expand · d`; `N` the state size.
///
/// - Shape: unchanged, `[N, .., L, d]` (dims before `L` are independent sequences).
/// - Params: `2·d·d_inner` + conv `d_inner·K + d_inner` + `d_inner·(R + 2N)` + `R·d_inner +
///   d_inner` + `A_log` `d_inner·N` + `D` `d_inner` + `d_inner·d` (+ `in_proj`/`out_proj`
///   biases with [`.use_bias(true)`](Self::use_bias)).
/// - MACs, per sequence: the projections over the `L` positions; the convolution over
///   `L + K − 1` positions (PyTorch pads `K − 1` on both sides and crops, and `FlopCounterMode`
///   counts the padded output); the scan's read-out `h·C`, `d_inner·N` per position, as
///   `FlopCounterMode` counts the matmul of Hugging Face's sequential scan. In a decode step the
///   convolution runs on the cached state: `d_inner·K` per new position (Hugging Face computes it
///   as an elementwise product and a sum, which `FlopCounterMode` does not count; nncost counts
///   the same multiply-adds as at prefill).
/// - FLOPs: `2 × MACs`, plus the biases (conv, over its output positions; `dt_proj`), plus
///   [`SCAN_FLOPS_PER_STATE`] per state element and [`MAMBA_FLOPS_PER_CHANNEL`] per inner
///   channel, per position. `A = −exp(A_log)`, computed once per pass, is not counted.
///
/// **State as cache.** In a cached step ([`Phase::cached`]) the layer keeps its recurrent state
/// instead of keys and values: the convolution's last `K` inputs and the scan state,
/// `d_inner·(K + N)` values per sequence (Hugging Face's `MambaCache`) whatever the positions; a
/// decode step reads and writes it.
///
/// ```
/// use nncost_core::{layers::Mamba, Shape};
/// // mamba-130m's mixer: d 768, d_inner 1,536, state 16, conv 4, time-step rank 48.
/// let mixer = Mamba::new(768).into_layer();
/// let (out, cost) = mixer.apply(&Shape::new(&[1, 128, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// let params = 768 * 3072 + (1536 * 4 + 1536) + 1536 * 80 + (48 * 1536 + 1536)
///     + 1536 * 16 + 1536 + 1536 * 768;
/// assert_eq!(cost.params, params);
/// let macs = 128 * 768 * 3072 + 131 * 1536 * 4 + 128 * 1536 * 80 + 128 * 48 * 1536
///     + 128 * 1536 * 16 + 128 * 1536 * 768;
/// assert_eq!(cost.macs, macs);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Mamba {
    /// The model width `d` (`hidden_size`).
    pub hidden_size: u64,
    /// The state size `N` (`state_size`).
    pub state_size: u64,
    /// The convolution's kernel `K` (`conv_kernel`).
    pub conv_kernel: u64,
    /// `d_inner / d` (`expand`).
    pub expand: u64,
    /// The time step's rank `R` (`time_step_rank`).
    pub time_step_rank: u64,
    /// Biases on `in_proj` and `out_proj` (`use_bias`).
    pub use_bias: bool,
    /// A bias on the convolution (`use_conv_bias`).
    pub use_conv_bias: bool,
}

impl Mamba {
    /// A mixer of width `hidden_size` with Hugging Face's `MambaConfig` defaults: state 16,
    /// kernel 4, expand 2, time-step rank `⌈hidden_size / 16⌉`, a conv bias, no projection biases.
    #[track_caller]
    pub const fn new(hidden_size: u64) -> Mamba {
        require_positive("Mamba", "hidden_size", hidden_size);
        Mamba {
            hidden_size,
            state_size: 16,
            conv_kernel: 4,
            expand: 2,
            time_step_rank: hidden_size.div_ceil(16),
            use_bias: false,
            use_conv_bias: true,
        }
    }

    /// The state size `N`.
    ///
    /// ```
    /// use nncost_core::{layers::Mamba, Shape};
    /// // mamba-2.8b's mixer width with a larger state and kernel.
    /// let mixer = Mamba::new(2560).state_size(32).conv_kernel(8).time_step_rank(160);
    /// let (_, cost) = mixer.into_layer().apply(&Shape::new(&[1, 1, 2560])).unwrap();
    /// let di = 2 * 2560;
    /// let params = 2560 * 2 * di + (di * 8 + di) + di * (160 + 64) + (160 * di + di)
    ///     + di * 32 + di + di * 2560;
    /// assert_eq!(cost.params, params);
    /// ```
    #[track_caller]
    pub const fn state_size(mut self, state_size: u64) -> Mamba {
        require_positive("Mamba", "state_size", state_size);
        self.state_size = state_size;
        self
    }

    /// The convolution's kernel `K`.
    #[track_caller]
    pub const fn conv_kernel(mut self, conv_kernel: u64) -> Mamba {
        require_positive("Mamba", "conv_kernel", conv_kernel);
        self.conv_kernel = conv_kernel;
        self
    }

    /// The expansion `d_inner / d`.
    #[track_caller]
    pub const fn expand(mut self, expand: u64) -> Mamba {
        require_positive("Mamba", "expand", expand);
        self.expand = expand;
        self
    }

    /// The time step's rank `R`.
    #[track_caller]
    pub const fn time_step_rank(mut self, rank: u64) -> Mamba {
        require_positive("Mamba", "time_step_rank", rank);
        self.time_step_rank = rank;
        self
    }

    /// Biases on `in_proj` and `out_proj` (default `false`).
    pub const fn use_bias(mut self, use_bias: bool) -> Mamba {
        self.use_bias = use_bias;
        self
    }

    /// A bias on the convolution (default `true`).
    pub const fn use_conv_bias(mut self, use_conv_bias: bool) -> Mamba {
        self.use_conv_bias = use_conv_bias;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Mamba(self)
    }

    /// Output shape and cost over the whole sequence.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        self.apply_in(input, &Phase::WHOLE)
    }

    /// Independent sequences and positions of `input`, checking its width.
    const fn sequences(&self, input: &Shape) -> Result<(u64, u64), Problem> {
        let rank = input.rank();
        if rank < 3 {
            return Err(Problem::Rank {
                expected: "a sequence [N, .., L, d] of at least 3 dims (batch first)",
                got: *input,
            });
        }
        if input.last() != self.hidden_size {
            return Err(Problem::Mismatch {
                what: "hidden_size",
                declared: self.hidden_size,
                actual_what: "features",
                actual: input.last(),
            });
        }
        let n = tri!(numel(input));
        let rows = n / self.hidden_size;
        let len = input.dim(rank - 2);
        let batch = match rows.checked_div(len) {
            Some(b) => b,
            None => 0,
        };
        Ok((batch, len))
    }

    /// Output shape and cost in `phase`, or what is wrong.
    pub const fn apply_in(&self, input: &Shape, phase: &Phase) -> Result<(Shape, Cost), Problem> {
        let (batch, len) = tri!(self.sequences(input));
        let d = self.hidden_size;
        let di = checked!(checked_mul, self.expand, d, "parameters");
        let (n, k, r) = (self.state_size, self.conv_kernel, self.time_step_rank);
        let x_out = checked!(
            checked_add,
            r,
            checked!(checked_mul, n, 2, "parameters"),
            "parameters"
        );
        // Weights per position: in_proj, x_proj, dt_proj, out_proj; the scan's read-out.
        let in_proj = checked!(
            checked_mul,
            d,
            checked!(checked_mul, di, 2, "parameters"),
            "parameters"
        );
        let x_proj = checked!(checked_mul, di, x_out, "parameters");
        let dt_proj = checked!(checked_mul, r, di, "parameters");
        let out_proj = checked!(checked_mul, di, d, "parameters");
        let state = checked!(checked_mul, di, n, "parameters");
        let conv = checked!(checked_mul, di, k, "parameters");
        let mut per_position = checked!(checked_add, in_proj, x_proj, "parameters");
        per_position = checked!(checked_add, per_position, dt_proj, "parameters");
        per_position = checked!(checked_add, per_position, out_proj, "parameters");
        let mut params = checked!(checked_add, per_position, conv, "parameters");
        params = checked!(checked_add, params, state, "parameters");
        // dt_proj's bias and D, then the optional biases.
        params = checked!(
            checked_add,
            params,
            checked!(checked_mul, di, 2, "parameters"),
            "parameters"
        );
        if self.use_conv_bias {
            params = checked!(checked_add, params, di, "parameters");
        }
        if self.use_bias {
            let b = checked!(checked_mul, di, 2, "parameters");
            params = checked!(
                checked_add,
                params,
                checked!(checked_add, b, d, "parameters"),
                "parameters"
            );
        }

        let rows = checked!(checked_mul, batch, len, "MACs");
        // The convolution's output positions: padded on both sides over the whole sequence and
        // at prefill, the new positions only in a decode step.
        let conv_positions = if phase.is_decode() || len == 0 {
            len
        } else {
            checked!(checked_add, len, k - 1, "MACs")
        };
        let conv_rows = checked!(checked_mul, batch, conv_positions, "MACs");
        let mut macs = checked!(
            checked_mul,
            rows,
            checked!(checked_add, per_position, state, "MACs"),
            "MACs"
        );
        macs = checked!(
            checked_add,
            macs,
            checked!(checked_mul, conv_rows, conv, "MACs"),
            "MACs"
        );

        let mut flops = checked!(checked_mul, macs, 2, "FLOPs");
        let mut per_row = checked!(checked_mul, state, SCAN_FLOPS_PER_STATE, "FLOPs");
        per_row = checked!(
            checked_add,
            per_row,
            checked!(checked_mul, di, MAMBA_FLOPS_PER_CHANNEL, "FLOPs"),
            "FLOPs"
        );
        // dt_proj's bias, and the projections' biases.
        per_row = checked!(checked_add, per_row, di, "FLOPs");
        if self.use_bias {
            let b = checked!(checked_mul, di, 2, "FLOPs");
            per_row = checked!(
                checked_add,
                per_row,
                checked!(checked_add, b, d, "FLOPs"),
                "FLOPs"
            );
        }
        flops = checked!(
            checked_add,
            flops,
            checked!(checked_mul, rows, per_row, "FLOPs"),
            "FLOPs"
        );
        if self.use_conv_bias {
            flops = checked!(
                checked_add,
                flops,
                checked!(checked_mul, conv_rows, di, "FLOPs"),
                "FLOPs"
            );
        }
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

    /// The recurrent state this layer holds, reads and writes in `phase` (values): the
    /// convolution's last `K` inputs and the scan state, `B·d_inner·(K + N)`, whatever the
    /// positions; read in a decode step, written in every cached step.
    ///
    /// ```
    /// use nncost_core::{layers::Mamba, Phase, Shape};
    /// let state = Mamba::new(768).cache_in(&Shape::new(&[1, 1, 768]), &Phase::cached(500)).unwrap();
    /// assert_eq!(state.held, 1536 * (4 + 16));
    /// assert_eq!((state.read, state.written), (state.held, state.held));
    /// ```
    pub const fn cache_in(&self, input: &Shape, phase: &Phase) -> Result<CacheUse, Problem> {
        if !phase.cache {
            return Ok(CacheUse::NONE);
        }
        let (batch, _) = tri!(self.sequences(input));
        let di = checked!(
            checked_mul,
            self.expand,
            self.hidden_size,
            crate::kv_cache::KV_VALUES
        );
        let width = checked!(
            checked_add,
            self.conv_kernel,
            self.state_size,
            crate::kv_cache::KV_VALUES
        );
        let per_sequence = checked!(checked_mul, di, width, crate::kv_cache::KV_VALUES);
        let held = checked!(checked_mul, batch, per_sequence, crate::kv_cache::KV_VALUES);
        Ok(CacheUse {
            held,
            read: if phase.is_decode() { held } else { 0 },
            written: held,
        })
    }
}
