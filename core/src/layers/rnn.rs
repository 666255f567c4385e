//! Recurrent layers: `RNN`, `LSTM`, `GRU`, stacked and bidirectional.
//!
//! Shapes are batch first, as PyTorch's `batch_first=True`: input `[N, T, I]`, output
//! `[N, T, D·H]` (the sequence output; the final states are not a separate output), with `H`
//! hidden units and `D = 2` directions when bidirectional.
//!
//! Per layer and direction, with `g` gates (RNN 1, GRU 3, LSTM 4) and layer input `I'` (`I` for
//! the first layer, `D·H` for the next ones):
//! - Params: `g·H·(I' + H)`, plus `2·g·H` biases (`b_ih` and `b_hh`) if `bias`.
//! - MACs: `N·T·g·H·(I' + H)`: the input and hidden products of every gate at every step. This is
//!   the analytic count of the fixtures. `FlopCounterMode` cannot see inside PyTorch's fused RNN
//!   kernels and reports 0; thop and ptflops count the same products and add their own counts of
//!   biases and gate arithmetic to their figure.
//! - FLOPs: `2 × MACs`, plus per step and hidden unit the gate arithmetic of
//!   [`RecurrentKind::flops_per_unit`] (adding the input and hidden products, the
//!   nonlinearities, the state update), plus `2·g` bias adds if `bias`.

use super::{numel, require_positive};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// Which recurrent cell a [`RecurrentSpec`] runs.
///
/// | cell | gates | FLOPs per step and hidden unit, besides `2 × MACs` and biases |
/// |---|---|---|
/// | RNN | 1 | 2: add the two products, the nonlinearity (`tanh` or `relu`) |
/// | GRU | 3 | 17: 3 adds of products, 2 sigmoids (4 each), `r·(W_hn h)`, `tanh`, `(1 − z)·n + z·h` (4) |
/// | LSTM | 4 | 22: 4 adds of products, 3 sigmoids (4 each), 2 `tanh`, `f·c + i·g` (3), `o·tanh(c)` |
///
/// Biases add `2·gates` per step and hidden unit.
///
/// ```
/// use nncost_core::layers::RecurrentKind;
/// assert_eq!(RecurrentKind::LSTM.gates(), 4);
/// assert_eq!(RecurrentKind::GRU.flops_per_unit(true), 17 + 6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecurrentKind {
    /// `torch.nn.RNN` (Elman).
    RNN,
    /// `torch.nn.LSTM`.
    LSTM,
    /// `torch.nn.GRU`.
    GRU,
}

impl RecurrentKind {
    /// Gates per cell: RNN 1, GRU 3, LSTM 4.
    pub const fn gates(self) -> u64 {
        match self {
            RecurrentKind::RNN => 1,
            RecurrentKind::GRU => 3,
            RecurrentKind::LSTM => 4,
        }
    }

    /// FLOPs per step and hidden unit besides the products (see the table above).
    pub const fn flops_per_unit(self, bias: bool) -> u64 {
        let own = match self {
            RecurrentKind::RNN => 2,
            RecurrentKind::GRU => 17,
            RecurrentKind::LSTM => 22,
        };
        if bias {
            own + 2 * self.gates()
        } else {
            own
        }
    }

    /// The PyTorch class name.
    pub const fn name(self) -> &'static str {
        match self {
            RecurrentKind::RNN => "RNN",
            RecurrentKind::LSTM => "LSTM",
            RecurrentKind::GRU => "GRU",
        }
    }
}

/// A recurrent layer of any cell: what the [`RNN`], [`LSTM`] and [`GRU`] builders produce.
///
/// Batch first, as PyTorch's `batch_first=True`: input `[N, T, I]`, output `[N, T, D·H]` (the
/// sequence output; the final states are not a separate output), with `H` hidden units and
/// `D = 2` directions when bidirectional. Per layer and direction, with `g` gates (RNN 1, GRU 3,
/// LSTM 4) and layer input `I'` (`I` for the first layer, `D·H` for the next ones):
/// - Params: `g·H·(I' + H)`, plus `2·g·H` biases (`b_ih` and `b_hh`) if `bias`.
/// - MACs: `N·T·g·H·(I' + H)`: the input and hidden products of every gate at every step (the
///   fixtures' analytic count; `FlopCounterMode` cannot see inside PyTorch's fused RNN kernels
///   and reports 0; thop and ptflops count the same products and add their own counts of biases
///   and gate arithmetic to their figure).
/// - FLOPs: `2 × MACs`, plus per step, hidden unit, direction and layer the gate arithmetic of
///   [`RecurrentKind::flops_per_unit`] (adding the input and hidden products, the
///   nonlinearities, the state update) and `2·g` bias adds if `bias`.
///
/// ```
/// use nncost_core::{layers::LSTM, Shape};
/// let lstm = LSTM::new(20).into_layer();
/// let (out, cost) = lstm.apply(&Shape::new(&[1, 5, 10])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 5, 20]));
/// assert_eq!(cost.params, 4 * 20 * (10 + 20) + 2 * 4 * 20);
/// assert_eq!(cost.macs, 5 * 4 * 20 * (10 + 20));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecurrentSpec {
    /// The cell.
    pub kind: RecurrentKind,
    /// Declared input features; 0 means "inferred from the input".
    pub input_size: u64,
    /// Hidden units `H` per direction.
    pub hidden_size: u64,
    /// Stacked layers.
    pub num_layers: u64,
    /// Two directions, outputs concatenated.
    pub bidirectional: bool,
    /// Input and hidden biases.
    pub bias: bool,
}

impl RecurrentSpec {
    /// `"RNN"`, `"LSTM"` or `"GRU"`.
    pub const fn kind(&self) -> &'static str {
        self.kind.name()
    }

    /// Output shape and cost for `input` (`[N, T, I]`), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 3 {
            return Err(Problem::Rank {
                expected: "3-D input [N, T, I] (batch first)",
                got: *input,
            });
        }
        let (n, t, features) = (input.dim(0), input.dim(1), input.dim(2));
        if self.input_size != 0 && self.input_size != features {
            return Err(Problem::Declared {
                setting: "input_size",
                declared: self.input_size,
                actual_what: "features",
                actual: features,
            });
        }
        let h = self.hidden_size;
        let dirs: u64 = if self.bidirectional { 2 } else { 1 };
        let gates = self.kind.gates();
        let gate_units = checked!(checked_mul, gates, h, "parameters");
        let steps = checked!(checked_mul, n, t, "MACs");
        let out_width = checked!(checked_mul, dirs, h, "tensor size");
        let mut params: u64 = 0;
        let mut macs: u64 = 0;
        let mut layer = 0;
        while layer < self.num_layers {
            let layer_in = if layer == 0 { features } else { out_width };
            let fan_in = checked!(checked_add, layer_in, h, "parameters");
            let mut per_dir = checked!(checked_mul, gate_units, fan_in, "parameters");
            let step_macs = per_dir;
            if self.bias {
                let biases = checked!(checked_mul, gate_units, 2, "parameters");
                per_dir = checked!(checked_add, per_dir, biases, "parameters");
            }
            let layer_params = checked!(checked_mul, per_dir, dirs, "parameters");
            params = checked!(checked_add, params, layer_params, "parameters");
            let layer_macs = checked!(checked_mul, step_macs, steps, "MACs");
            let layer_macs = checked!(checked_mul, layer_macs, dirs, "MACs");
            macs = checked!(checked_add, macs, layer_macs, "MACs");
            layer += 1;
        }
        // Gate arithmetic: per step, hidden unit, direction and layer.
        let units = checked!(checked_mul, steps, out_width, "FLOPs");
        let units = checked!(checked_mul, units, self.num_layers, "FLOPs");
        let gate_flops = checked!(
            checked_mul,
            units,
            self.kind.flops_per_unit(self.bias),
            "FLOPs"
        );
        let flops = checked!(checked_mul, macs, 2, "FLOPs");
        let flops = checked!(checked_add, flops, gate_flops, "FLOPs");
        let out = input.with_dim(2, out_width);
        tri!(numel(&out));
        Ok((
            out,
            Cost {
                params,
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

macro_rules! recurrent_builder {
    ($(#[$doc:meta])* $name:ident, $example:literal) => {
        $(#[$doc])*
        ///
        /// Defaults as in PyTorch: one layer, one direction, biases on; always batch first.
        /// Input features are inferred (declare them with `.input_size(..)` to have them
        /// checked). Cost rules: see [`RecurrentSpec`] and the [`RecurrentKind`] table.
        #[doc = $example]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[must_use = "a layer builder does nothing until it is used in a network"]
        pub struct $name(RecurrentSpec);

        impl $name {
            /// A layer with `hidden_size` hidden units per direction.
            #[track_caller]
            pub const fn new(hidden_size: u64) -> Self {
                require_positive(stringify!($name), "hidden_size", hidden_size);
                $name(RecurrentSpec {
                    kind: RecurrentKind::$name,
                    input_size: 0,
                    hidden_size,
                    num_layers: 1,
                    bidirectional: false,
                    bias: true,
                })
            }

            /// Declares the input features (as PyTorch does); the input must then have them.
            #[track_caller]
            pub const fn input_size(mut self, input_size: u64) -> Self {
                require_positive(stringify!($name), "input_size", input_size);
                self.0.input_size = input_size;
                self
            }

            /// Stacked layers (default 1); each takes the previous one's output.
            #[track_caller]
            pub const fn num_layers(mut self, num_layers: u64) -> Self {
                require_positive(stringify!($name), "num_layers", num_layers);
                self.0.num_layers = num_layers;
                self
            }

            /// Whether each layer runs in both directions, outputs concatenated (default `false`).
            pub const fn bidirectional(mut self, bidirectional: bool) -> Self {
                self.0.bidirectional = bidirectional;
                self
            }

            /// Whether the gates have input and hidden biases (default `true`).
            pub const fn bias(mut self, bias: bool) -> Self {
                self.0.bias = bias;
                self
            }

            /// The layer, for a [`crate::Node::Layer`].
            pub const fn into_layer(self) -> Layer {
                Layer::Recurrent(self.0)
            }
        }
    };
}

recurrent_builder!(
    /// An Elman RNN, as `torch.nn.RNN(input_size, hidden_size)` with `batch_first=True`; the
    /// nonlinearity (`tanh` or `relu`) costs the same.
    RNN,
    "```\nuse nncost_core::{layers::RNN, Shape};\nlet rnn = RNN::new(8).num_layers(2).bias(false).into_layer();\nlet (out, cost) = rnn.apply(&Shape::new(&[1, 3, 4])).unwrap();\nassert_eq!(out, Shape::new(&[1, 3, 8]));\nassert_eq!(cost.params, 8 * (4 + 8) + 8 * (8 + 8));\nassert_eq!(cost.macs, 3 * cost.params);\n```"
);
recurrent_builder!(
    /// A long short-term memory layer, as `torch.nn.LSTM(input_size, hidden_size)` with
    /// `batch_first=True` (no `proj_size`).
    LSTM,
    "```\nuse nncost_core::{layers::LSTM, Shape};\nlet lstm = LSTM::new(16).bidirectional(true).into_layer();\nlet (out, cost) = lstm.apply(&Shape::new(&[2, 10, 8])).unwrap();\nassert_eq!(out, Shape::new(&[2, 10, 32]));\nassert_eq!(cost.params, 2 * (4 * 16 * (8 + 16) + 2 * 4 * 16));\n```"
);
recurrent_builder!(
    /// A gated recurrent unit layer, as `torch.nn.GRU(input_size, hidden_size)` with
    /// `batch_first=True`.
    GRU,
    "```\nuse nncost_core::{layers::GRU, Shape};\nlet gru = GRU::new(12).input_size(8).into_layer();\nlet (out, cost) = gru.apply(&Shape::new(&[1, 5, 8])).unwrap();\nassert_eq!(out, Shape::new(&[1, 5, 12]));\nassert_eq!((cost.params, cost.macs), (792, 3600));\nassert!(gru.apply(&Shape::new(&[1, 5, 9])).is_err());\n```"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_layers_take_the_previous_output() {
        // Second layer of a bidirectional GRU reads 2·H features.
        let gru = GRU::new(4).num_layers(2).bidirectional(true).bias(false);
        let (_, cost) = gru.into_layer().apply(&Shape::new(&[1, 1, 3])).unwrap();
        assert_eq!(cost.params, 2 * 3 * 4 * (3 + 4) + 2 * 3 * 4 * (8 + 4));
        assert_eq!(cost.macs, cost.params);
        assert_eq!(cost.flops, 2 * cost.macs + 2 * 2 * 4 * 17);
    }

    #[test]
    fn rank_is_checked() {
        assert!(matches!(
            LSTM::new(4).into_layer().apply(&Shape::new(&[1, 4])),
            Err(Problem::Rank { .. })
        ));
    }
}
