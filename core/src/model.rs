//! The traits every costed type implements, and whole-model evaluation.

use crate::cost::Cost;
use crate::error::Fault;
use crate::eval::Walk;
use crate::fmt::Message;
use crate::node::Node;
use crate::shape::Shape;

/// A type with a cost: a `network!` block or model, a `#[derive(ModelCost)]` struct, a unit layer
/// such as `ReLU`, or your own impl. What it contributes is its structure, [`ModelCost::NODE`].
///
/// ```
/// use nncost_core::{layers::{Linear, ReLU}, Entry, ModelCost, Node};
/// struct Mlp;
/// impl ModelCost for Mlp {
///     const NODE: Node = Node::Block {
///         name: "Mlp",
///         body: &Node::Seq(&[
///             Entry::new("fc", Node::Layer(Linear::new(64).into_layer())),
///             Entry::new("relu", ReLU::NODE),
///         ]),
///     };
/// }
/// assert_eq!(Mlp::NODE.kind(), "Mlp");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no cost model",
    label = "not a layer, block or model nncost can cost",
    note = "declare it with `network!`, derive it with `#[derive(ModelCost)]`, or give a layer value such as `Conv2d::new(64, 3)`"
)]
pub trait ModelCost {
    /// The type's structure, evaluated against the incoming shape where it is used.
    const NODE: Node;
}

/// A [`ModelCost`] type with a fixed input: a complete model whose figures are known.
///
/// ```
/// use nncost_core::{layers::Linear, Entry, Model, ModelCost, Node, Shape};
/// struct Probe;
/// impl ModelCost for Probe {
///     const NODE: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(10).into_layer()))]);
/// }
/// impl Model for Probe {
///     const NAME: &'static str = "Probe";
///     const INPUT: Shape = Shape::input(1, &[20]);
/// }
/// assert_eq!(Probe::REPORT.cost.params, 210);
/// ```
pub trait Model: ModelCost {
    /// The model's name in messages and summaries.
    const NAME: &'static str;
    /// The input shape, batch included.
    const INPUT: Shape;
    /// The evaluation, or the fault that stopped it.
    const RESULT: Result<Report, ModelError> = evaluate(Self::NAME, &Self::NODE, Self::INPUT);
    /// The evaluation; a compile error (naming the layer) if the model is malformed.
    /// `network!` overrides it to point the error at the offending layer and check budgets.
    const REPORT: Report = unwrap_report(&Self::RESULT);
}

/// Everything known about a model after evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    /// The model's name.
    pub name: &'static str,
    /// The input shape.
    pub input: Shape,
    /// The output shape.
    pub output: Shape,
    /// The totals.
    pub cost: Cost,
    /// How many summary rows the model has.
    pub rows: usize,
}

/// A model that could not be evaluated: its name and the fault.
#[derive(Clone, Copy, Debug)]
pub struct ModelError {
    /// The model's name.
    pub name: &'static str,
    /// What went wrong, where.
    pub fault: Fault,
}

impl ModelError {
    /// The full message: `ResNet18.layer2.0.conv1 (Conv2d): expects 4-D input ..., got [1, 512]`.
    pub const fn message(&self) -> Message {
        let mut m = Message::new();
        self.fault.write(self.name, &mut m);
        m
    }
}

/// Evaluates the model `name` with structure `node` on `input`, in one pass.
///
/// ```
/// use nncost_core::{evaluate, layers::Conv2d, Entry, Node, Shape};
/// const NET: Node = Node::Seq(&[Entry::new("conv", Node::Layer(Conv2d::new(8, 3).into_layer()))]);
/// let err = evaluate("Net", &NET, Shape::new(&[1, 512])).unwrap_err();
/// assert_eq!(err.message().as_str(), "Net.conv (Conv2d): expects 4-D input [N, C, H, W], got [1, 512]");
/// ```
pub const fn evaluate(name: &'static str, node: &Node, input: Shape) -> Result<Report, ModelError> {
    let mut walk = Walk::new(&mut []);
    match walk.eval(node, input) {
        Ok(out) => Ok(Report {
            name,
            input,
            output: out.shape,
            cost: out.cost,
            rows: walk.rows(),
        }),
        Err(fault) => Err(ModelError { name, fault }),
    }
}

/// The report, or a panic with the fault's message (a compile error in a const).
#[track_caller]
pub const fn unwrap_report(result: &Result<Report, ModelError>) -> Report {
    match result {
        Ok(report) => *report,
        Err(error) => {
            let m = error.message();
            panic!("{}", m.as_str())
        }
    }
}

/// The index of the top-level entry a failed evaluation stopped at, or `usize::MAX` if it succeeded.
/// `network!` uses it to point a shape error at the offending entry's tokens.
///
/// ```
/// use nncost_core::{fault_entry, layers::Linear, Entry, Model, ModelCost, Node, Shape};
/// struct Probe;
/// impl ModelCost for Probe {
///     const NODE: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(10).in_features(3).into_layer()))]);
/// }
/// impl Model for Probe {
///     const NAME: &'static str = "Probe";
///     const INPUT: Shape = Shape::input(1, &[20]);
/// }
/// assert_eq!(fault_entry(&Probe::RESULT), 0);
/// ```
pub const fn fault_entry(result: &Result<Report, ModelError>) -> usize {
    match result {
        Ok(_) => usize::MAX,
        Err(error) => error.fault.entry,
    }
}
