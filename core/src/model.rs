//! The traits every costed type implements, and whole-model evaluation.

use crate::cost::Cost;
use crate::dtype::Precision;
use crate::error::{Fault, Problem};
use crate::eval::{Outcome, Walk};
use crate::fmt::Message;
use crate::memory::{bytes_of, tensor_bytes, PEAK_BYTES, WEIGHT_BYTES};
use crate::memory::{Memory, ACTIVATION_BYTES};
use crate::node::{Graph, Node};
use crate::phase::Phase;
use crate::shape::Shape;
use crate::tensors::Tensors;

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
    note = "declare it with `network!`, derive it with `#[derive(ModelCost)]`, or give a layer value such as `Conv2d::new(64, 3)`",
    note = "on a field of a `#[derive(ModelCost)]` struct: give the field its layer with `#[layer(Conv2d::new(64, 3))]`, or leave it out with `#[nncost(skip)]`"
)]
pub trait ModelCost {
    /// The type's structure, evaluated against the incoming shape where it is used.
    const NODE: Node;
}

/// A [`ModelCost`] type with a fixed input: a complete model whose figures are known.
///
/// An implementation gives `NAME` and `INPUT` (and `PRECISION` if not f32); every figure
/// follows from them, so generic code reads them through the trait:
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
///
/// /// Parameters plus MACs of any model (generic code over the trait).
/// const fn work<M: Model>() -> u64 {
///     M::PARAMS + M::MACS
/// }
/// assert_eq!(work::<Probe>(), 210 + 200);
/// assert_eq!(Probe::OUTPUT_SHAPE, Shape::new(&[1, 10]));
/// ```
///
/// The figure consts (`PARAMS` .. `ARITHMETIC_INTENSITY`) are read from [`Model::REPORT`];
/// they have defaults so that implementations never write them, and overriding one would
/// only make it disagree with the report. `network!` and `#[derive(ModelCost)]` models also
/// have them as inherent consts (`ResNet18::MACS` without importing the trait); the inherent
/// const is what `ResNet18::MACS` names, the trait's is what `M::MACS` names in generic code,
/// and both are the same value.
pub trait Model: ModelCost {
    /// The model's name in messages and summaries.
    const NAME: &'static str;
    /// The input shape, batch included (the first input's, for a model with several).
    const INPUT: Shape;
    /// Every input's shape, batch included, in declaration order (a model with named inputs,
    /// `model Clip(pixel_values: [3, 224, 224], input_ids: tokens(77))`, has several).
    const INPUTS: &'static [Shape] = &[Self::INPUT];
    /// The dtypes of weights and activations, which the memory figures are counted in
    /// (f32 for both unless declared, e.g. with `#[dtype(weights = int8)]`).
    const PRECISION: Precision = Precision::DEFAULT;
    /// The whole sequence, or one step over a KV cache (`#[input(tokens = T, cached = P)]`);
    /// [`Phase::WHOLE`] unless declared.
    const PHASE: Phase = Phase::WHOLE;
    /// The evaluation, or the fault that stopped it.
    const RESULT: Result<Report, ModelError> = evaluate_in(
        Self::NAME,
        &Self::NODE,
        Self::INPUTS,
        Self::PRECISION,
        Self::PHASE,
    );
    /// The evaluation; a compile error (naming the layer) if the model is malformed.
    /// `network!` overrides it to point the error at the offending layer and check budgets.
    const REPORT: Report = unwrap_report(&Self::RESULT);

    /// Learnable parameters, as PyTorch's `sum(p.numel() for p in model.parameters())`.
    const PARAMS: u64 = Self::REPORT.cost.params;
    /// Parameters that are not frozen (`#[frozen]` entries), as
    /// `sum(p.numel() for p in model.parameters() if p.requires_grad)`.
    const TRAINABLE_PARAMS: u64 = Self::REPORT.cost.params - Self::REPORT.cost.frozen_params;
    /// Non-learnable floating-point state (BatchNorm running mean and variance, ..).
    const BUFFERS: u64 = Self::REPORT.cost.buffers;
    /// Every buffer, integer ones included, as PyTorch's `sum(b.numel() for b in model.buffers())`.
    const ALL_BUFFERS: u64 = Self::REPORT.cost.all_buffers();
    /// Multiply-accumulates of one forward pass (torchvision's and fvcore's convention).
    const MACS: u64 = Self::REPORT.cost.macs;
    /// Floating-point operations: `2 × MACS` plus each layer's documented extra work.
    const FLOPS: u64 = Self::REPORT.cost.flops;
    /// The input shape, batch first (the first input's, for a model with several).
    const INPUT_SHAPE: Shape = Self::REPORT.input;
    /// The output shape, batch first (the first output's, for a model with several).
    const OUTPUT_SHAPE: Shape = Self::REPORT.output;
    /// Every input by name with its shape, batch first.
    const INPUT_SHAPES: Tensors = Self::REPORT.inputs;
    /// Every output by name with its shape, batch first (`OUTPUT_SHAPES.get("aux")`).
    const OUTPUT_SHAPES: Tensors = Self::REPORT.outputs;
    /// Bytes of the parameters: `PARAMS ×` the weight dtype's size.
    const WEIGHT_BYTES: u64 = Self::REPORT.memory.weights;
    /// Bytes of every activation tensor (the input, each layer's and merge's output), all
    /// allocated at once.
    const ACTIVATION_BYTES: u64 = Self::REPORT.memory.activations;
    /// `WEIGHT_BYTES` plus the most activation bytes alive at once, layers run in order.
    const PEAK_MEMORY_BYTES: u64 = Self::REPORT.memory.peak;
    /// Bytes read and written by every layer and merge: inputs, weights and outputs.
    const MEMORY_ACCESS_BYTES: u64 = Self::REPORT.memory.access;
    /// FLOPs per byte of memory traffic: `FLOPS / MEMORY_ACCESS_BYTES`.
    const ARITHMETIC_INTENSITY: f64 = Self::REPORT.arithmetic_intensity();
    /// Parameters one token uses: `PARAMS` less the experts a mixture-of-experts router does
    /// not pick (equal to `PARAMS` without experts).
    const ACTIVE_PARAMS: u64 = Self::REPORT.cost.active_params();
    /// Bytes of KV cache (or recurrent state) held after the step, in the cache dtype; 0 unless
    /// the model is a step over a cache.
    const KV_CACHE_BYTES: u64 = Self::REPORT.memory.kv_cache;
}

/// Everything known about a model after evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    /// The model's name.
    pub name: &'static str,
    /// The input shape (the first input's, for a model with several).
    pub input: Shape,
    /// The output shape (the first output's, for a model with several).
    pub output: Shape,
    /// Every input, named, with its shape (`input` for a model declared with `#[input(..)]`).
    pub inputs: Tensors,
    /// Every output, named, with its shape (`output` for a model with one unnamed output).
    pub outputs: Tensors,
    /// The totals.
    pub cost: Cost,
    /// The dtypes the memory figures are counted in.
    pub precision: Precision,
    /// The whole sequence, or a step over a KV cache.
    pub phase: Phase,
    /// Weight bytes, activation bytes, peak memory and memory traffic (see [`Memory`]).
    pub memory: Memory,
    /// How many summary rows the model has.
    pub rows: usize,
}

impl Report {
    /// A report of nothing (no name, no cost), to fill in by struct update.
    ///
    /// ```
    /// use nncost_core::{Cost, Report};
    /// let r = Report { name: "Probe", cost: Cost { params: 3, ..Cost::ZERO }, ..Report::EMPTY };
    /// assert_eq!(r.cost.params, 3);
    /// ```
    pub const EMPTY: Report = Report {
        name: "",
        input: Shape::SCALAR,
        output: Shape::SCALAR,
        inputs: Tensors::EMPTY,
        outputs: Tensors::EMPTY,
        cost: Cost::ZERO,
        precision: Precision::DEFAULT,
        phase: Phase::WHOLE,
        memory: Memory::ZERO,
        rows: 0,
    };

    /// FLOPs per byte of memory traffic, over the whole model (`FLOPS / MEMORY_ACCESS_BYTES`).
    ///
    /// ```
    /// use nncost_core::{evaluate, layers::Linear, Entry, Node, Shape};
    /// const NET: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(10).into_layer()))]);
    /// let report = evaluate("Net", &NET, Shape::input(1, &[20])).unwrap();
    /// // 2·200 + 10 FLOPs; read 20 inputs and 210 weights, write 10 outputs, 4 bytes each.
    /// assert_eq!(report.arithmetic_intensity(), 410.0 / (4.0 * (20.0 + 210.0 + 10.0)));
    /// ```
    pub const fn arithmetic_intensity(&self) -> f64 {
        self.memory.arithmetic_intensity(self.cost.flops)
    }

    /// The tokens one step over a KV cache processes: `N · T` of its token input `[N, T]` (a
    /// decode step of one token for one sequence: 1; a prefill: the prompt's length); 0 for a
    /// pass with no cache ([`Phase::WHOLE`]).
    ///
    /// ```
    /// use nncost_core::{evaluate_in, layers::{Embedding, Linear}, Entry, Node, Phase, Precision, Shape};
    /// const LM: Node = Node::Seq(&[
    ///     Entry::new("wte", Node::Layer(Embedding::new(100, 16).into_layer())),
    ///     Entry::new("head", Node::Layer(Linear::new(100).into_layer())),
    /// ]);
    /// let ids = Shape::input(2, &[3]); // 2 sequences, 3 new tokens each
    /// let step = evaluate_in("Lm", &LM, &[ids], Precision::DEFAULT, Phase::cached(50));
    /// assert_eq!(step.unwrap().step_tokens(), 6);
    /// let whole = evaluate_in("Lm", &LM, &[ids], Precision::DEFAULT, Phase::WHOLE);
    /// assert_eq!(whole.unwrap().step_tokens(), 0);
    /// ```
    pub const fn step_tokens(&self) -> u64 {
        if !self.phase.cache || self.phase.token_input >= self.inputs.len() {
            return 0;
        }
        match self.inputs.shape(self.phase.token_input).numel() {
            Some(n) => n,
            None => 0,
        }
    }
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

/// Evaluates the model `name` with structure `node` on `input`, in one pass, at f32
/// ([`evaluate_at`] with [`Precision::DEFAULT`]).
///
/// ```
/// use nncost_core::{evaluate, layers::Conv2d, Entry, Node, Shape};
/// const NET: Node = Node::Seq(&[Entry::new("conv", Node::Layer(Conv2d::new(8, 3).into_layer()))]);
/// let err = evaluate("Net", &NET, Shape::new(&[1, 512])).unwrap_err();
/// assert_eq!(err.message().as_str(), "Net.conv (Conv2d): expects 4-D input [N, C, H, W], got [1, 512]");
/// ```
pub const fn evaluate(name: &'static str, node: &Node, input: Shape) -> Result<Report, ModelError> {
    evaluate_at(name, node, input, Precision::DEFAULT)
}

/// Evaluates the model `name` with structure `node` on `input` at `precision`, in one pass.
///
/// The model's memory figures: `weights` are the parameters in the weight dtype; `activations`
/// the input plus every tensor written; `peak` the weights plus the most activation bytes alive
/// at once; `access` the traffic of every layer and merge (see [`Memory`]).
///
/// ```
/// use nncost_core::{evaluate_at, layers::{Linear, ReLU}, DType, Entry, Node, Precision, Shape};
/// const NET: Node = Node::Seq(&[
///     Entry::new("fc", Node::Layer(Linear::new(100).into_layer())),
///     Entry::new("relu", Node::Layer(ReLU.into_layer())),
/// ]);
/// let at = Precision::new(DType::Int8, DType::F16);
/// let m = evaluate_at("Net", &NET, Shape::input(1, &[50]), at).unwrap().memory;
/// assert_eq!(m.weights, 50 * 100 + 100); // int8: a byte each
/// assert_eq!(m.activations, 2 * (50 + 100 + 100)); // input, fc, relu; f16
/// // fc runs with its input and output alive: (50 + 100) · 2 bytes, then relu (100 + 100) · 2.
/// assert_eq!(m.peak, m.weights + 400);
/// assert_eq!(m.access, (100 + 5_100 + 200) + (200 + 200));
/// ```
pub const fn evaluate_at(
    name: &'static str,
    node: &Node,
    input: Shape,
    precision: Precision,
) -> Result<Report, ModelError> {
    evaluate_inputs(name, node, &[input], precision)
}

/// Evaluates the model `name` with structure `node` on several inputs (bound in order to the
/// inputs of a [`Graph`](crate::Graph) root) at `precision`, in one pass; see [`evaluate_at`].
/// Every input's bytes count in the memory figures.
///
/// ```
/// use nncost_core::{evaluate_inputs, layers::Linear, Entry, Graph, Keep, Merge, Node, Output, Precision, Read, Shape};
/// // out = fc(a) + b
/// const G: Graph = Graph {
///     name: "Two",
///     inputs: &["a", "b"],
///     outputs: &[Output { name: "out", slot: Output::LAST }],
///     slots: 3,
///     body: &[
///         Entry::new("fc", Node::Layer(Linear::new(4).into_layer()))
///             .reads(&[Read { slot: 0, last: true }])
///             .keeps(&[Keep { slot: 2, output: "" }]),
///         Entry::new("out", Node::Join(Merge::Add))
///             .reads(&[Read { slot: 2, last: true }, Read { slot: 1, last: true }]),
///     ],
/// };
/// let inputs = [Shape::new(&[1, 8]), Shape::new(&[1, 4])];
/// let report = evaluate_inputs("Two", &Node::Graph(&G), &inputs, Precision::DEFAULT).unwrap();
/// assert_eq!(report.cost.params, 8 * 4 + 4);
/// assert_eq!(report.cost.flops, 2 * 32 + 4 + 4); // the linear's MACs and bias, the add
/// assert_eq!(report.inputs.name(1), "b");
/// assert_eq!(report.outputs.get("out"), Some(Shape::new(&[1, 4])));
/// // Both inputs (8 + 4 values), fc's output and the sum (4 each), 4 bytes a value.
/// assert_eq!(report.memory.activations, 4 * (8 + 4 + 4 + 4));
/// ```
pub const fn evaluate_inputs(
    name: &'static str,
    node: &Node,
    inputs: &[Shape],
    precision: Precision,
) -> Result<Report, ModelError> {
    evaluate_in(name, node, inputs, precision, Phase::WHOLE)
}

/// Evaluates the model `name` with structure `node` on `inputs` at `precision` in `phase`: the
/// whole sequence, or one step over a KV cache whose bytes are the report's `memory.kv_cache`
/// (and part of its peak; see [`Phase`]).
///
/// ```
/// use nncost_core::{evaluate_in, layers::MultiheadAttention, DType, Entry, Node, Phase, Precision, Shape};
/// const NET: Node = Node::Seq(&[Entry::new(
///     "attn",
///     Node::Layer(MultiheadAttention::new(64, 4).bias(false).into_layer()),
/// )]);
/// let at = Precision::uniform(DType::F16);
/// // One new position after 31 cached: the cache holds 32 positions of 2·64 values.
/// let step = evaluate_in("Net", &NET, &[Shape::input(1, &[1, 64])], at, Phase::cached(31)).unwrap();
/// assert_eq!(step.memory.kv_cache, 32 * 2 * 64 * 2);
/// assert_eq!(step.memory.peak, step.memory.weights + step.memory.kv_cache + 2 * 64 * 2);
/// ```
pub const fn evaluate_in(
    name: &'static str,
    node: &Node,
    inputs: &[Shape],
    precision: Precision,
    phase: Phase,
) -> Result<Report, ModelError> {
    let mut walk = Walk::new(&mut []).precision(precision).phase(phase);
    let out = match walk.eval_inputs(node, inputs) {
        Ok(out) => out,
        Err(fault) => return Err(ModelError { name, fault }),
    };
    let graph = root_graph(node);
    let mut input_names = Tensors::EMPTY;
    let mut i = 0;
    while i < inputs.len() {
        let input_name = match graph {
            Some(graph) if i < graph.inputs.len() => graph.inputs[i],
            _ => "input",
        };
        input_names = input_names.with(input_name, inputs[i]);
        i += 1;
    }
    let outputs = match graph {
        Some(graph) if !graph.outputs.is_empty() => {
            let mut outputs = Tensors::one(graph.outputs[0].name, out.shape);
            let mut o = 1;
            while o < graph.outputs.len() {
                outputs = outputs.with(graph.outputs[o].name, walk.extra_shape(o - 1));
                o += 1;
            }
            outputs
        }
        _ => Tensors::one("output", out.shape),
    };
    match model_memory(&out, inputs, precision) {
        Ok(memory) => Ok(Report {
            name,
            input: inputs[0],
            output: out.shape,
            inputs: input_names,
            outputs,
            cost: out.cost,
            precision,
            phase,
            memory,
            rows: walk.rows(),
        }),
        Err(problem) => Err(ModelError {
            name,
            fault: Fault::new("model", problem),
        }),
    }
}

/// The declaration with named tensors at the root of `node`, if it is one.
const fn root_graph(node: &Node) -> Option<&'static Graph> {
    let mut node = node;
    loop {
        match node {
            Node::Block { body, .. } => node = body,
            Node::Graph(graph) => return Some(graph),
            _ => return None,
        }
    }
}

/// The model's figures from its root's: the weights and the inputs added.
const fn model_memory(
    out: &Outcome,
    inputs: &[Shape],
    precision: Precision,
) -> Result<Memory, Problem> {
    let weights = match bytes_of(precision.weights, out.cost.params, WEIGHT_BYTES) {
        Ok(b) => b,
        Err(problem) => return Err(problem),
    };
    let mut input: u64 = 0;
    let mut i = 0;
    while i < inputs.len() {
        let bytes = match tensor_bytes(&inputs[i], precision) {
            Ok(b) => b,
            Err(problem) => return Err(problem),
        };
        input = match input.checked_add(bytes) {
            Some(v) => v,
            None => {
                return Err(Problem::Overflow {
                    what: ACTIVATION_BYTES,
                })
            }
        };
        i += 1;
    }
    let activations = match out.memory.activations.checked_add(input) {
        Some(v) => v,
        None => {
            return Err(Problem::Overflow {
                what: ACTIVATION_BYTES,
            })
        }
    };
    let live = if out.memory.peak > input {
        out.memory.peak
    } else {
        input
    };
    // The weights and the KV cache are alive for the whole pass.
    let held = live as u128 + weights as u128 + out.memory.kv_cache as u128;
    if held > u64::MAX as u128 {
        return Err(Problem::Overflow { what: PEAK_BYTES });
    }
    Ok(Memory {
        weights,
        activations,
        peak: held as u64,
        access: out.memory.access,
        kv_cache: out.memory.kv_cache,
    })
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

/// Checks a model's output shape against the declared one (`#[output(..)]` in `network!`,
/// `output(..)` on a derived struct): `sample` is the shape of one sample, the batch is the
/// model's. A mismatch panics, which in a const is a compile error at the declaration.
///
/// ```
/// use nncost_core::{check_output, evaluate, layers::Linear, Entry, Node, Shape};
/// const NET: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(10).into_layer()))]);
/// const REPORT: nncost_core::Report = match evaluate("Net", &NET, Shape::input(4, &[20])) {
///     Ok(report) => report,
///     Err(_) => panic!(),
/// };
/// const _: () = check_output(&REPORT, &[10]);
/// ```
#[track_caller]
pub const fn check_output(report: &Report, sample: &[u64]) {
    let declared = Shape::input(report.input.dim(0), sample);
    if declared.same_as(&report.output) {
        return;
    }
    let mut m = Message::new();
    m.push_str(report.name);
    m.push_str(": the output is ");
    m.push_shape(&report.output);
    m.push_str(", not the declared ");
    m.push_shape(&declared);
    m.push_str("; a layer may be missing (a Flatten?) or out of order");
    panic!("{}", m.as_str())
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
