//! The cost record of a layer or a whole network.

/// What a layer or a network costs. Every field is exact; see the crate docs for what each counts.
///
/// ```
/// use nncost_core::Cost;
/// let a = Cost { params: 10, macs: 100, ..Cost::ZERO };
/// let b = Cost { params: 5, flops: 7, ..Cost::ZERO };
/// let sum = a.checked_add(&b).unwrap();
/// assert_eq!((sum.params, sum.macs, sum.flops), (15, 100, 7));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Cost {
    /// Learnable parameters (`sum(p.numel() for p in module.parameters())`).
    pub params: u64,
    /// Non-learnable floating-point state: BatchNorm's running mean and variance, a
    /// `FrozenBatchNorm2d`'s four tensors, float [`Buffer`](crate::layers::Buffer)s. PyTorch:
    /// `sum(b.numel() for b in module.buffers() if b.is_floating_point())`.
    pub buffers: u64,
    /// Non-learnable integer state: each BatchNorm's `num_batches_tracked` (one value), index
    /// tables such as Swin's `relative_position_index`, `position_ids`. Added to `buffers`, it is
    /// PyTorch's `sum(b.numel() for b in module.buffers())` ([`Cost::all_buffers`]).
    pub integer_buffers: u64,
    /// Multiply-accumulates; one multiply-add is 1.
    pub macs: u64,
    /// Floating-point operations: `2 × MACs` plus each layer's written-down extra work.
    pub flops: u64,
    /// Parameters among `params` that are frozen (`requires_grad = False`, an entry marked
    /// `#[frozen]`): `params - frozen_params` is PyTorch's trainable count.
    pub frozen_params: u64,
}

impl Cost {
    /// Nothing: the cost of a reshape or an identity.
    pub const ZERO: Cost = Cost {
        params: 0,
        buffers: 0,
        integer_buffers: 0,
        macs: 0,
        flops: 0,
        frozen_params: 0,
    };

    /// The same cost with every parameter frozen.
    ///
    /// ```
    /// # use nncost_core::Cost;
    /// assert_eq!(Cost { params: 9, ..Cost::ZERO }.frozen().frozen_params, 9);
    /// ```
    pub const fn frozen(self) -> Cost {
        Cost {
            frozen_params: self.params,
            ..self
        }
    }

    /// The cost of applying weights counted elsewhere (a module used again): the work, without
    /// the parameters and buffers.
    ///
    /// ```
    /// # use nncost_core::Cost;
    /// let c = Cost { params: 9, macs: 4, ..Cost::ZERO }.shared();
    /// assert_eq!((c.params, c.macs), (0, 4));
    /// ```
    pub const fn shared(self) -> Cost {
        Cost {
            params: 0,
            buffers: 0,
            integer_buffers: 0,
            frozen_params: 0,
            ..self
        }
    }

    /// The cost of a part that runs only in training (an auxiliary head) in inference: its
    /// parameters and buffers, no work.
    ///
    /// ```
    /// # use nncost_core::Cost;
    /// let c = Cost { params: 9, macs: 4, flops: 8, ..Cost::ZERO }.train_only();
    /// assert_eq!((c.params, c.macs, c.flops), (9, 0, 0));
    /// ```
    pub const fn train_only(self) -> Cost {
        Cost {
            macs: 0,
            flops: 0,
            ..self
        }
    }

    /// Every buffer, floating-point and integer: PyTorch's `sum(b.numel() for b in
    /// model.buffers())` (saturating at `u64::MAX`, which no model approaches).
    ///
    /// ```
    /// use nncost_core::{layers::BatchNorm2d, Shape};
    /// let (_, cost) = BatchNorm2d::new().into_layer().apply(&Shape::new(&[1, 64, 8, 8])).unwrap();
    /// // running_mean and running_var (64 each), and num_batches_tracked.
    /// assert_eq!((cost.buffers, cost.integer_buffers, cost.all_buffers()), (128, 1, 129));
    /// ```
    pub const fn all_buffers(&self) -> u64 {
        self.buffers.saturating_add(self.integer_buffers)
    }

    /// Field-wise sum; `Err` names the first figure that overflowed `u64`.
    ///
    /// ```
    /// # use nncost_core::Cost;
    /// let big = Cost { macs: u64::MAX, ..Cost::ZERO };
    /// assert_eq!(big.checked_add(&big), Err("MACs"));
    /// ```
    pub const fn checked_add(&self, other: &Cost) -> Result<Cost, &'static str> {
        // Sums in u128 (they cannot overflow it), checked against u64, by a macro rather than a
        // function: no function calls, which is what rustc's const-eval step limit counts (this
        // runs once per layer).
        macro_rules! sum {
            ($field:ident, $what:literal) => {{
                let sum = self.$field as u128 + other.$field as u128;
                if sum > u64::MAX as u128 {
                    return Err($what);
                }
                sum as u64
            }};
        }
        Ok(Cost {
            params: sum!(params, "parameters"),
            buffers: sum!(buffers, "buffers"),
            integer_buffers: sum!(integer_buffers, "integer buffers"),
            macs: sum!(macs, "MACs"),
            flops: sum!(flops, "FLOPs"),
            frozen_params: sum!(frozen_params, "parameters"),
        })
    }
}
