//! `Custom`: a layer whose figures you state yourself, for operations the catalogue lacks.

use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// A layer whose output shape and costs are const expressions you write: the way to stay exact
/// with an operation nncost does not know (a selective scan, a fused kernel, a custom CUDA op).
/// It is shown in summaries and errors under the name you give it.
///
/// Every figure is a `u64` const expression, so generic parameters work:
/// `Custom::new("SelectiveScan").macs(L * D * N)` in a block `<const L: u64, const D: u64, ..>`.
///
/// - Output: the input's shape, unless declared with `.output(&[..])` (the whole shape, batch
///   first) or `.output_sample(&[..])` (the input's batch, then these dims).
/// - Input: any, unless declared with `.input(&[..])`: then it must be exactly that shape (an
///   error names the layer, both shapes, and where it is), which keeps stated costs honest.
/// - Params, buffers, integer buffers, MACs, FLOPs: as stated (`.params(n)`, `.buffers(n)`,
///   `.integer_buffers(n)`, `.macs(n)`, `.flops(n)`); 0 when left out. They add to the model's
///   totals and budgets like any layer's.
/// - Memory: the execution model's rule for a layer (it reads its input and its weights once and
///   writes its output once); `.weights_read(n)` if it reads `n` weight values rather than all
///   its parameters, `.view()` if it writes nothing (its output is its input's memory).
///
/// ```
/// use nncost_core::{layers::Custom, Shape};
/// // A fused op on [N, 64, 32] that keeps the shape: 3 params per channel, 10 FLOPs an element.
/// let op = Custom::new("MyFusedNorm").params(3 * 64).flops(10 * 64 * 32).into_layer();
/// let (out, cost) = op.apply(&Shape::new(&[1, 64, 32])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 32]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (192, 0, 20_480));
/// assert_eq!(op.kind(), "MyFusedNorm");
/// // With a declared input, a different one is an error.
/// let strict = Custom::new("MyFusedNorm").input(&[1, 64, 32]).into_layer();
/// assert!(strict.apply(&Shape::new(&[1, 32, 32])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Custom {
    /// The name shown as the layer's kind (`"SelectiveScan"`).
    pub name: &'static str,
    /// The input it must get, or `None` for any.
    pub input: Option<Shape>,
    /// What its output is.
    pub output: CustomOutput,
    /// What it costs.
    pub cost: Cost,
    /// Weight values read when it runs, or `None` for all its parameters.
    pub weights_read: Option<u64>,
    /// Whether it is a view: it writes nothing and its output is its input's memory.
    pub view: bool,
}

/// The output shape of a [`Custom`] layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomOutput {
    /// The input's shape.
    SameAsInput,
    /// This whole shape, batch first.
    Shape(Shape),
    /// The input's batch (dim 0) followed by these dims.
    Sample(Shape),
}

/// `dims` as a shape for a custom layer's setting, or a panic naming it.
#[track_caller]
const fn declared_shape(setting: &str, dims: &[u64], max: usize) -> Shape {
    if dims.len() > max {
        let mut m = crate::fmt::Message::new();
        m.push_str("Custom: ");
        m.push_str(setting);
        m.push_str(" has at most ");
        m.push_u64(max as u64);
        m.push_str(" dims, got ");
        m.push_u64(dims.len() as u64);
        panic!("{}", m.as_str());
    }
    Shape::new(dims)
}

impl Custom {
    /// A layer named `name` that keeps its input's shape and costs nothing until stated.
    #[track_caller]
    pub const fn new(name: &'static str) -> Custom {
        if name.is_empty() {
            panic!("Custom: give the layer a name, e.g. Custom::new(\"SelectiveScan\")");
        }
        Custom {
            name,
            input: None,
            output: CustomOutput::SameAsInput,
            cost: Cost::ZERO,
            weights_read: None,
            view: false,
        }
    }

    /// The input shape (batch first) it must get; any other is a compile error.
    #[track_caller]
    pub const fn input(mut self, dims: &[u64]) -> Custom {
        self.input = Some(declared_shape("input", dims, MAX_RANK));
        self
    }

    /// Its output shape, whole (batch first).
    #[track_caller]
    pub const fn output(mut self, dims: &[u64]) -> Custom {
        self.output = CustomOutput::Shape(declared_shape("output", dims, MAX_RANK));
        self
    }

    /// Its output shape: the input's batch, then `dims`.
    #[track_caller]
    pub const fn output_sample(mut self, dims: &[u64]) -> Custom {
        self.output = CustomOutput::Sample(declared_shape("output_sample", dims, MAX_RANK - 1));
        self
    }

    /// Its learnable parameters (counted in `PARAMS` and `WEIGHT_BYTES`).
    pub const fn params(mut self, params: u64) -> Custom {
        self.cost.params = params;
        self
    }

    /// Its floating-point buffers (counted in `BUFFERS` and `ALL_BUFFERS`).
    pub const fn buffers(mut self, buffers: u64) -> Custom {
        self.cost.buffers = buffers;
        self
    }

    /// Its integer buffers (counted in `ALL_BUFFERS`).
    pub const fn integer_buffers(mut self, integer_buffers: u64) -> Custom {
        self.cost.integer_buffers = integer_buffers;
        self
    }

    /// Its multiply-accumulates.
    pub const fn macs(mut self, macs: u64) -> Custom {
        self.cost.macs = macs;
        self
    }

    /// Its floating-point operations (all of them: nothing is derived from the MACs).
    pub const fn flops(mut self, flops: u64) -> Custom {
        self.cost.flops = flops;
        self
    }

    /// How many weight values it reads when it runs (default: all its parameters).
    pub const fn weights_read(mut self, values: u64) -> Custom {
        self.weights_read = Some(values);
        self
    }

    /// It is a view: it writes nothing, and its output is its input's memory.
    pub const fn view(mut self) -> Custom {
        self.view = true;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Custom(self)
    }

    /// Output shape and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if let Some(expected) = self.input {
            if !expected.same_as(input) {
                return Err(Problem::Merge {
                    what: "custom input",
                    left: expected,
                    right: *input,
                });
            }
        }
        let out = match self.output {
            CustomOutput::SameAsInput => *input,
            CustomOutput::Shape(shape) => shape,
            CustomOutput::Sample(sample) => {
                if input.rank() == 0 {
                    return Err(Problem::Rank {
                        expected: "input with a batch dim [N, ..]",
                        got: *input,
                    });
                }
                let mut out = Shape::SCALAR.with_rank(sample.rank() + 1);
                out = out.with_dim(0, input.dim(0));
                let mut i = 0;
                while i < sample.rank() {
                    out = out.with_dim(i + 1, sample.dim(i));
                    i += 1;
                }
                out
            }
        };
        Ok((out, self.cost))
    }
}
