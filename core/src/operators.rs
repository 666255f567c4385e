//! MACs by operator, grouped as PyTorch's `FlopCounterMode.get_flop_counts()` groups them, so
//! that nncost's figures and the Python counter's can be put side by side.

use crate::cost::Cost;
use crate::layer::Layer;
use crate::node::Merge;
use crate::phase::Phase;
use crate::shape::Shape;

/// MACs of a layer, a merge or a whole model, by the operator that does them. The groups are
/// the ATen operators `torch.utils.flop_counter.FlopCounterMode` reports (`get_flop_counts()`),
/// which counts **2 FLOPs per MAC** and nothing else (no bias, norm or elementwise work):
///
/// | field | nncost layers | `FlopCounterMode` operator |
/// |---|---|---|
/// | `convolution` | `Conv1d/2d/3d`, `ConvTranspose*`, a `Projection`'s 1×1 convolution | `aten.convolution` |
/// | `linear` | `Linear`, a tied `Linear`, `MultiheadAttention`'s four projections | `aten.addmm` (with bias), `aten.mm` (without) |
/// | `matmul` | the `matmul { .. }` merge | `aten.bmm` (3-D and more), `aten.mm` (2-D) |
/// | `attention` | `QKᵀ` and `AV` of `MultiheadAttention` and `ScaledDotProductAttention` | `aten._scaled_dot_product_*_attention` (flash, efficient, cuDNN; `bmm` with `need_weights=True`) |
/// | `recurrent` | `RNN`, `LSTM`, `GRU` | none: it cannot see inside the fused kernels and reports 0 |
/// | `other` | a `Custom` layer's declared MACs; any other layer with MACs (none today) | whatever the custom op dispatches to |
///
/// The fields add up to the MACs they split.
///
/// ```
/// use nncost_core::{layers::{Linear, MultiheadAttention}, Operators, Phase, Shape};
/// let x = Shape::new(&[1, 10, 64]);
/// let mha = MultiheadAttention::new(64, 4).into_layer();
/// let (out, cost) = mha.apply(&x).unwrap();
/// let ops = Operators::of_layer(&mha, &out, &cost, None, &Phase::WHOLE);
/// assert_eq!(ops.linear, 4 * 10 * 64 * 64); // q, k, v and out projections
/// assert_eq!(ops.attention, 2 * 4 * 10 * 10 * 16); // QKᵀ and AV, 4 heads of 16
/// assert_eq!(ops.total(), cost.macs);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Operators {
    /// Convolutions (`aten.convolution`).
    pub convolution: u64,
    /// Linear layers (`aten.addmm`, `aten.mm`).
    pub linear: u64,
    /// Matrix products of a `matmul` merge (`aten.bmm`, `aten.mm`).
    pub matmul: u64,
    /// Attention products `QKᵀ` and `AV` (`aten._scaled_dot_product_*_attention`).
    pub attention: u64,
    /// Recurrent gates (not counted by `FlopCounterMode`).
    pub recurrent: u64,
    /// Anything else: a `Custom` layer's declared MACs.
    pub other: u64,
}

impl Operators {
    /// No MACs.
    pub const ZERO: Operators = Operators {
        convolution: 0,
        linear: 0,
        matmul: 0,
        attention: 0,
        recurrent: 0,
        other: 0,
    };

    /// The MACs of `layer`, which gave `output` at `cost` in `phase`, by operator; `second` is
    /// its second input, if it had one (a cross-attention's keys and values).
    pub const fn of_layer(
        layer: &Layer,
        output: &Shape,
        cost: &Cost,
        second: Option<&Shape>,
        phase: &Phase,
    ) -> Operators {
        let macs = cost.macs;
        let mut ops = Operators::ZERO;
        match layer {
            Layer::Conv(_) | Layer::Projection(_) => ops.convolution = macs,
            Layer::Linear(_) | Layer::TiedLinear(_) => ops.linear = macs,
            Layer::ScaledDotProductAttention(_) => ops.attention = macs,
            Layer::Recurrent(_) => ops.recurrent = macs,
            Layer::MultiheadAttention(_) | Layer::LatentAttention(_) => {
                // Keys and values from a second input set the layer's sizes, as in the walk.
                let resolved = match second {
                    Some(kv) => match layer.with_second_input(output, kv) {
                        Ok(resolved) => resolved,
                        Err(_) => *layer,
                    },
                    None => *layer,
                };
                let attention = match resolved {
                    Layer::MultiheadAttention(mha) => mha.attention_macs_in(output, phase),
                    Layer::LatentAttention(mla) => mla.attention_macs_in(output, phase),
                    _ => Ok(0),
                };
                // The layer evaluated, so its attention MACs fit (they are part of `macs`).
                let attention = match attention {
                    Ok(m) if m <= macs => m,
                    _ => 0,
                };
                ops.attention = attention;
                ops.linear = macs - attention;
            }
            _ => ops.other = macs,
        }
        ops
    }

    /// The MACs of a merge of kind `merge` at `cost`, by operator.
    ///
    /// ```
    /// use nncost_core::{Cost, Merge, Operators};
    /// let cost = Cost { macs: 120, ..Cost::ZERO };
    /// assert_eq!(Operators::of_merge(Merge::MatMul, &cost).matmul, 120);
    /// ```
    pub const fn of_merge(merge: Merge, cost: &Cost) -> Operators {
        let mut ops = Operators::ZERO;
        match merge {
            Merge::MatMul => ops.matmul = cost.macs,
            _ => ops.other = cost.macs,
        }
        ops
    }

    /// The sum of all groups: the MACs split.
    pub const fn total(&self) -> u64 {
        self.convolution
            .saturating_add(self.linear)
            .saturating_add(self.matmul)
            .saturating_add(self.attention)
            .saturating_add(self.recurrent)
            .saturating_add(self.other)
    }

    /// Group-wise sum (saturating: parts of one model's MACs, which fit in `u64`, never do).
    ///
    /// ```
    /// use nncost_core::Operators;
    /// let a = Operators { linear: 5, ..Operators::ZERO };
    /// let b = Operators { linear: 2, matmul: 1, ..Operators::ZERO };
    /// assert_eq!(a.plus(&b), Operators { linear: 7, matmul: 1, ..Operators::ZERO });
    /// ```
    pub const fn plus(&self, other: &Operators) -> Operators {
        Operators {
            convolution: self.convolution.saturating_add(other.convolution),
            linear: self.linear.saturating_add(other.linear),
            matmul: self.matmul.saturating_add(other.matmul),
            attention: self.attention.saturating_add(other.attention),
            recurrent: self.recurrent.saturating_add(other.recurrent),
            other: self.other.saturating_add(other.other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{
        Conv2d, Linear, MultiheadAttention, Projection, ScaledDotProductAttention, LSTM,
    };

    fn ops(layer: Layer, input: &[u64]) -> (Operators, u64) {
        let (out, cost) = layer.apply(&Shape::new(input)).unwrap();
        (
            Operators::of_layer(&layer, &out, &cost, None, &Phase::WHOLE),
            cost.macs,
        )
    }

    #[test]
    fn each_layer_lands_in_its_group() {
        let (o, macs) = ops(Conv2d::new(8, 3).into_layer(), &[1, 3, 10, 10]);
        assert_eq!((o.convolution, o.total()), (8 * 8 * 8 * 27, macs));
        let (o, macs) = ops(
            Projection::conv_bn(8).stride(2).into_layer(),
            &[1, 4, 10, 10],
        );
        assert_eq!((o.convolution, o.total()), (8 * 5 * 5 * 4, macs));
        let (o, macs) = ops(Linear::new(7).into_layer(), &[2, 5]);
        assert_eq!((o.linear, o.total()), (2 * 5 * 7, macs));
        let (o, macs) = ops(
            ScaledDotProductAttention::new(2).into_layer(),
            &[1, 6, 3 * 8],
        );
        // 2 heads of 4: QKᵀ and AV, 2·6·6·4 each.
        assert_eq!((o.attention, o.total()), (2 * (2 * 6 * 6 * 4), macs));
        let (o, macs) = ops(LSTM::new(4).into_layer(), &[1, 3, 5]);
        assert_eq!((o.recurrent, o.total()), (3 * 4 * 4 * (5 + 4), macs));
    }

    #[test]
    fn cross_attention_splits_its_projections_from_its_products() {
        // 12 queries of width 32 over 20 keys of width 16 (kdim = vdim = 16), 4 heads of 8,
        // plus a learned and a zero key: QKᵀ and AV over 22 keys.
        let mha = MultiheadAttention::new(32, 4)
            .kv_len(20)
            .kdim(16)
            .vdim(16)
            .add_bias_kv(true)
            .add_zero_attn(true);
        let (o, macs) = ops(mha.into_layer(), &[2, 12, 32]);
        let projections = 2 * (2 * 12 * 32 * 32) + 2 * (2 * 20 * 16 * 32);
        assert_eq!(o.linear, projections);
        assert_eq!(o.attention, 2 * (2 * 4 * 12 * 22 * 8));
        assert_eq!(o.total(), macs);
    }
}
