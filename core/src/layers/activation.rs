//! Elementwise activations: no parameters, no MACs, a written number of FLOPs per element.

use super::numel;
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// Which elementwise function an [`Activation`] layer computes.
///
/// FLOPs per element (transcendentals `exp`, `log`, `erf`, `tanh`, `sqrt` count as one):
///
/// | function | FLOPs | counted as |
/// |---|---|---|
/// | ReLU | 1 | `max(x, 0)` |
/// | ReLU6 | 2 | `min(max(x, 0), 6)` |
/// | LeakyReLU | 2 | multiply, max |
/// | GELU | 5 | `0.5·x·(1 + erf(x/√2))`: divide, erf, add, 2 multiplies |
/// | SiLU | 5 | `x·sigmoid(x)` |
/// | Sigmoid | 4 | negate, exp, add, divide |
/// | Tanh | 1 | one transcendental |
/// | Hardswish | 5 | add, max, min, multiply, divide |
/// | Hardsigmoid | 4 | add, max, min, divide |
/// | Softmax | 5 | max, subtract, exp, sum, divide |
/// | Softplus | 5 | `log(1 + exp(β·x))/β`: multiply, exp, add, log, divide (the threshold's comparison is not counted) |
/// | QuickGELU | 6 | `x·sigmoid(1.702·x)`: multiply, sigmoid (4), multiply |
/// | Exp | 1 | one transcendental |
/// | Sqrt | 1 | one transcendental |
/// | Rsqrt | 1 | `1/√x`, one instruction on GPUs (`torch.rsqrt`) |
///
/// ```
/// use nncost_core::layers::ActivationKind;
/// assert_eq!(ActivationKind::ReLU.flops_per_element(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivationKind {
    /// `torch.nn.ReLU`
    ReLU,
    /// `torch.nn.ReLU6`
    ReLU6,
    /// `torch.nn.LeakyReLU`
    LeakyReLU,
    /// `torch.nn.GELU` (erf form)
    GELU,
    /// `torch.nn.SiLU` (swish)
    SiLU,
    /// `torch.nn.Sigmoid`
    Sigmoid,
    /// `torch.nn.Tanh`
    Tanh,
    /// `torch.nn.Hardswish`
    Hardswish,
    /// `torch.nn.Hardsigmoid`
    Hardsigmoid,
    /// `torch.nn.Softmax` over one dimension
    Softmax,
    /// `torch.nn.Softplus` (β = 1, threshold 20: PyTorch's defaults)
    Softplus,
    /// `x·sigmoid(1.702·x)`, OpenAI CLIP's `QuickGELU`
    QuickGELU,
    /// `torch.exp`
    Exp,
    /// `torch.sqrt`
    Sqrt,
    /// `torch.rsqrt`
    Rsqrt,
}

impl ActivationKind {
    /// FLOPs per element, as in the table above.
    pub const fn flops_per_element(self) -> u64 {
        match self {
            ActivationKind::ReLU
            | ActivationKind::Tanh
            | ActivationKind::Exp
            | ActivationKind::Sqrt
            | ActivationKind::Rsqrt => 1,
            ActivationKind::ReLU6 | ActivationKind::LeakyReLU => 2,
            ActivationKind::Sigmoid | ActivationKind::Hardsigmoid => 4,
            ActivationKind::GELU
            | ActivationKind::SiLU
            | ActivationKind::Hardswish
            | ActivationKind::Softmax
            | ActivationKind::Softplus => 5,
            ActivationKind::QuickGELU => 6,
        }
    }

    /// The PyTorch class name.
    pub const fn name(self) -> &'static str {
        match self {
            ActivationKind::ReLU => "ReLU",
            ActivationKind::ReLU6 => "ReLU6",
            ActivationKind::LeakyReLU => "LeakyReLU",
            ActivationKind::GELU => "GELU",
            ActivationKind::SiLU => "SiLU",
            ActivationKind::Sigmoid => "Sigmoid",
            ActivationKind::Tanh => "Tanh",
            ActivationKind::Hardswish => "Hardswish",
            ActivationKind::Hardsigmoid => "Hardsigmoid",
            ActivationKind::Softmax => "Softmax",
            ActivationKind::Softplus => "Softplus",
            ActivationKind::QuickGELU => "QuickGELU",
            ActivationKind::Exp => "Exp",
            ActivationKind::Sqrt => "Sqrt",
            ActivationKind::Rsqrt => "Rsqrt",
        }
    }
}

/// An elementwise activation layer: shape unchanged, 0 params, 0 MACs.
///
/// ```
/// use nncost_core::{layers::ReLU, Shape};
/// let (out, cost) = ReLU.into_layer().apply(&Shape::new(&[1, 64, 8, 8])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 8, 8]));
/// assert_eq!((cost.macs, cost.flops), (0, 4096));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activation {
    /// The function.
    pub kind: ActivationKind,
    /// For `Softmax`: the dimension (negative counts from the end, as in PyTorch).
    pub dim: i64,
}

impl Activation {
    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if matches!(self.kind, ActivationKind::Softmax) {
            let rank = input.rank() as i64;
            if self.dim >= rank || self.dim < -rank {
                return Err(Problem::Other("softmax dim is out of range for the input"));
            }
        }
        let n = tri!(numel(input));
        let flops = checked!(checked_mul, n, self.kind.flops_per_element(), "FLOPs");
        Ok((
            *input,
            Cost {
                params: 0,
                buffers: 0,
                integer_buffers: 0,
                macs: 0,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

macro_rules! unit_activation {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Usable as a value (`ReLU`) and as a type in `network!`.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl $name {
            /// The layer, for a [`crate::Node::Layer`].
            pub const fn into_layer(self) -> Layer {
                Layer::Activation(Activation {
                    kind: ActivationKind::$name,
                    dim: -1,
                })
            }
        }

        impl crate::model::ModelCost for $name {
            const NODE: crate::node::Node = crate::node::Node::Layer($name.into_layer());
        }
    };
}

unit_activation!(
    /// `max(x, 0)`, as `torch.nn.ReLU`. 1 FLOP per element.
    ReLU
);
unit_activation!(
    /// `min(max(x, 0), 6)`, as `torch.nn.ReLU6`. 2 FLOPs per element.
    ReLU6
);
unit_activation!(
    /// The Gaussian error linear unit, as `torch.nn.GELU`. 5 FLOPs per element.
    GELU
);
unit_activation!(
    /// `x·sigmoid(x)` (swish), as `torch.nn.SiLU`. 5 FLOPs per element.
    SiLU
);
unit_activation!(
    /// The logistic function, as `torch.nn.Sigmoid`. 4 FLOPs per element.
    Sigmoid
);
unit_activation!(
    /// The hyperbolic tangent, as `torch.nn.Tanh`. 1 FLOP per element.
    Tanh
);
unit_activation!(
    /// `x·relu6(x + 3)/6`, as `torch.nn.Hardswish`. 5 FLOPs per element.
    Hardswish
);
unit_activation!(
    /// `relu6(x + 3)/6`, as `torch.nn.Hardsigmoid`. 4 FLOPs per element.
    Hardsigmoid
);

unit_activation!(
    /// `log(1 + exp(x))`, as `torch.nn.Softplus()` (Mamba's step size). 5 FLOPs per element.
    Softplus
);
unit_activation!(
    /// `x·sigmoid(1.702·x)`, the GELU approximation of OpenAI's CLIP (`QuickGELU`). 6 FLOPs per
    /// element.
    QuickGELU
);
unit_activation!(
    /// `eˣ`, as `torch.exp` (Mamba's `A = -exp(A_log)`). 1 FLOP per element.
    Exp
);
unit_activation!(
    /// `√x`, as `torch.sqrt`. 1 FLOP per element.
    Sqrt
);
unit_activation!(
    /// `1/√x`, as `torch.rsqrt`. 1 FLOP per element.
    Rsqrt
);

/// `max(x, slope·x)`, as `torch.nn.LeakyReLU`. 2 FLOPs per element.
///
/// ```
/// use nncost_core::layers::LeakyReLU;
/// const L: LeakyReLU = LeakyReLU::new(0.01);
/// assert_eq!(L.negative_slope, 0.01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeakyReLU {
    /// The slope for negative inputs (it does not change the cost).
    pub negative_slope: f64,
}

impl LeakyReLU {
    /// A leaky ReLU with the given negative slope (PyTorch's default is 0.01).
    pub const fn new(negative_slope: f64) -> LeakyReLU {
        LeakyReLU { negative_slope }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Activation(Activation {
            kind: ActivationKind::LeakyReLU,
            dim: -1,
        })
    }
}

/// Softmax over dimension `dim`, as `torch.nn.Softmax(dim)`. 5 FLOPs per element.
///
/// ```
/// use nncost_core::{layers::Softmax, Shape};
/// let (_, cost) = Softmax::new(-1).into_layer().apply(&Shape::new(&[1, 10])).unwrap();
/// assert_eq!(cost.flops, 50);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Softmax {
    /// The dimension normalised over; negative counts from the end.
    pub dim: i64,
}

impl Softmax {
    /// Softmax over `dim` (negative counts from the end).
    pub const fn new(dim: i64) -> Softmax {
        Softmax { dim }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Activation(Activation {
            kind: ActivationKind::Softmax,
            dim: self.dim,
        })
    }
}
