//! The roofline of a whole model on a device: every layer and merge is one kernel that takes
//! `max(compute, memory)` ([`Device::kernel`]); the model takes their sum.
//!
//! **A lower bound.** The roofline assumes every kernel runs at the device's peak arithmetic or
//! its full bandwidth, whichever limits it, with perfect reuse (each tensor and weight moved
//! once: the traffic of `MEMORY_ACCESS_BYTES`), no launch or framework overhead, no time
//! between kernels, and kernels that do not overlap. Real inference takes longer; how much
//! longer is what a profile's efficiency factors ([`Device::efficiency`]) absorb once measured.

use crate::device::{Bound, Device, Kernel};
use crate::dtype::Precision;
use crate::eval::Walk;
use crate::model::{Model, ModelError};
use crate::node::Node;
use crate::phase::Phase;
use crate::shape::Shape;
use crate::time::Time;

/// A model's roofline on one device: the sum over its kernels (layers and merges) of
/// `max(compute, memory)`, and how that time splits.
///
/// ```
/// use nncost_core::{devices::H100_SXM, evaluate, layers::Linear, roofline, Entry, Node, Precision, Shape};
/// const NET: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(4096).into_layer()))]);
/// let r = roofline("Net", &NET, Shape::input(1, &[4096]), Precision::DEFAULT, &H100_SXM).unwrap();
/// // One matrix-vector product: 67 MB of f32 weights at 3.35 TB/s, memory-bound.
/// assert_eq!(r.kernels, 1);
/// assert_eq!(r.compute_bound, nncost_core::Time::ZERO);
/// assert_eq!(r.time, r.memory);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Roofline {
    /// The device's name.
    pub device: &'static str,
    /// Σ over kernels of `max(compute, memory)`: the roofline time of one inference.
    pub time: Time,
    /// Σ over kernels of the compute time.
    pub compute: Time,
    /// Σ over kernels of the memory time.
    pub memory: Time,
    /// The part of `time` spent in compute-bound kernels (the rest is memory-bound).
    pub compute_bound: Time,
    /// Kernels counted (layers and merges that compute or move something; views are free).
    pub kernels: u64,
    /// How many of them are compute-bound.
    pub compute_bound_kernels: u64,
}

impl Roofline {
    /// No device, nothing run (what a walk without a device carries).
    pub(crate) const NONE: Roofline = Roofline {
        device: "",
        time: Time::ZERO,
        compute: Time::ZERO,
        memory: Time::ZERO,
        compute_bound: Time::ZERO,
        kernels: 0,
        compute_bound_kernels: 0,
    };

    /// Nothing run yet on `device`.
    pub const fn new(device: &Device) -> Roofline {
        Roofline {
            device: device.name,
            ..Roofline::NONE
        }
    }

    /// Adds one kernel (sums saturate at [`Time::MAX`]).
    ///
    /// ```
    /// use nncost_core::{devices::L4, Kernel, Roofline, Time};
    /// let mut r = Roofline::new(&L4);
    /// r.add(Kernel { compute: Time::from_nanos(5), memory: Time::from_nanos(2) });
    /// r.add(Kernel { compute: Time::from_nanos(1), memory: Time::from_nanos(4) });
    /// assert_eq!(r.time, Time::from_nanos(9));
    /// assert_eq!((r.compute_bound, r.memory_bound()), (Time::from_nanos(5), Time::from_nanos(4)));
    /// ```
    pub const fn add(&mut self, kernel: Kernel) {
        if kernel.is_empty() {
            return;
        }
        let time = kernel.time();
        self.time = self.time.saturating_add(time);
        self.compute = self.compute.saturating_add(kernel.compute);
        self.memory = self.memory.saturating_add(kernel.memory);
        self.kernels += 1;
        if let Bound::Compute = kernel.bound() {
            self.compute_bound = self.compute_bound.saturating_add(time);
            self.compute_bound_kernels += 1;
        }
    }

    /// Adds the kernels of `other` run `runs` times (a mixture's expert, run for each of the
    /// `k` experts a token picks); sums saturate at [`Time::MAX`].
    ///
    /// ```
    /// use nncost_core::{devices::L4, Kernel, Roofline, Time};
    /// let mut expert = Roofline::new(&L4);
    /// expert.add(Kernel { compute: Time::from_nanos(1), memory: Time::from_nanos(3) });
    /// let mut r = Roofline::new(&L4);
    /// r.add_runs(&expert, 2);
    /// assert_eq!((r.time, r.kernels, r.compute_bound_kernels), (Time::from_nanos(6), 2, 0));
    /// ```
    pub const fn add_runs(&mut self, other: &Roofline, runs: u64) {
        const fn times(t: Time, runs: u64) -> Time {
            Time::from_picos(t.as_picos().saturating_mul(runs))
        }
        self.time = self.time.saturating_add(times(other.time, runs));
        self.compute = self.compute.saturating_add(times(other.compute, runs));
        self.memory = self.memory.saturating_add(times(other.memory, runs));
        self.compute_bound = self
            .compute_bound
            .saturating_add(times(other.compute_bound, runs));
        self.kernels = self
            .kernels
            .saturating_add(other.kernels.saturating_mul(runs));
        self.compute_bound_kernels = self
            .compute_bound_kernels
            .saturating_add(other.compute_bound_kernels.saturating_mul(runs));
    }

    /// The part of `time` spent in memory-bound kernels.
    pub const fn memory_bound(&self) -> Time {
        Time::from_picos(self.time.as_picos() - self.compute_bound.as_picos())
    }
}

impl<'r> Walk<'r> {
    /// The walk also sums the roofline of every kernel on `device` (read it with
    /// [`Walk::roofline`]).
    ///
    /// ```
    /// use nncost_core::{devices::STM32H743, layers::ReLU, Entry, Node, Shape, Walk};
    /// const NET: Node = Node::Seq(&[Entry::new("relu", Node::Layer(ReLU.into_layer()))]);
    /// let mut walk = Walk::new(&mut []).device(&STM32H743);
    /// walk.eval(&NET, Shape::new(&[1, 1000])).unwrap();
    /// assert_eq!(walk.roofline().unwrap().kernels, 1);
    /// ```
    pub const fn device(mut self, device: &Device) -> Walk<'r> {
        self.device = Some(*device);
        self.roofline = Roofline::new(device);
        self
    }

    /// The roofline summed so far, if the walk has a device.
    pub const fn roofline(&self) -> Option<Roofline> {
        match self.device {
            Some(_) => Some(self.roofline),
            None => None,
        }
    }
}

/// The roofline of the model `name` (structure `node`, input `input`, dtypes `precision`) on
/// `device`: one more pass over the model, each layer and merge timed as it is evaluated.
///
/// ```
/// use nncost_core::{devices, layers::{Conv2d, ReLU}, roofline, Entry, Node, Precision, Shape};
/// const NET: Node = Node::Seq(&[
///     Entry::new("conv", Node::Layer(Conv2d::new(64, 3).padding(1).into_layer())),
///     Entry::new("relu", Node::Layer(ReLU.into_layer())),
/// ]);
/// let input = Shape::input(1, &[64, 56, 56]);
/// let pi = roofline("Net", &NET, input, Precision::DEFAULT, &devices::RASPBERRY_PI_5).unwrap();
/// let h100 = roofline("Net", &NET, input, Precision::DEFAULT, &devices::H100_SXM).unwrap();
/// assert!(pi.time > h100.time);
/// assert_eq!(pi.compute_bound_kernels, 1); // the conv; the ReLU is memory-bound
/// ```
pub const fn roofline(
    name: &'static str,
    node: &Node,
    input: Shape,
    precision: Precision,
    device: &Device,
) -> Result<Roofline, ModelError> {
    roofline_inputs(name, node, &[input], precision, device)
}

/// [`roofline`] for a model with several inputs (a [`Graph`](crate::Graph) root), in order.
///
/// ```
/// use nncost_core::{devices::H100_SXM, layers::Linear, roofline, roofline_inputs, Entry, Node, Precision, Shape};
/// const NET: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(10).into_layer()))]);
/// let x = Shape::input(1, &[20]);
/// let one = roofline("Net", &NET, x, Precision::DEFAULT, &H100_SXM).unwrap();
/// assert_eq!(roofline_inputs("Net", &NET, &[x], Precision::DEFAULT, &H100_SXM).unwrap(), one);
/// ```
pub const fn roofline_inputs(
    name: &'static str,
    node: &Node,
    inputs: &[Shape],
    precision: Precision,
    device: &Device,
) -> Result<Roofline, ModelError> {
    roofline_in(name, node, inputs, precision, Phase::WHOLE, device)
}

/// [`roofline_inputs`] in `phase`: a step over a KV cache (prefill, or a decode step reading
/// the cache) instead of the whole sequence, as the model declares it ([`Model::PHASE`]).
///
/// ```
/// use nncost_core::{devices::H100_SXM, layers::MultiheadAttention, roofline_in, Entry, Node, Phase, Precision, Shape};
/// const ATTN: Node = Node::Seq(&[Entry::new("attn", Node::Layer(MultiheadAttention::new(64, 4).into_layer()))]);
/// let token = [Shape::input(1, &[1, 64])];
/// let alone = roofline_in("A", &ATTN, &token, Precision::DEFAULT, Phase::WHOLE, &H100_SXM).unwrap();
/// let step = roofline_in("A", &ATTN, &token, Precision::DEFAULT, Phase::cached(4096), &H100_SXM).unwrap();
/// assert!(step.time > alone.time); // the step reads 4,096 cached keys and values
/// ```
pub const fn roofline_in(
    name: &'static str,
    node: &Node,
    inputs: &[Shape],
    precision: Precision,
    phase: Phase,
    device: &Device,
) -> Result<Roofline, ModelError> {
    let mut walk = Walk::new(&mut [])
        .precision(precision)
        .phase(phase)
        .device(device);
    match walk.eval_inputs(node, inputs) {
        Ok(_) => Ok(walk.roofline),
        Err(fault) => Err(ModelError { name, fault }),
    }
}

/// The roofline of model `M` on `device`; a panic (a compile error in a const) if `M` does not
/// evaluate, with its message.
///
/// ```
/// use nncost_core::{devices::H100_SXM, layers::Linear, roofline_of, Entry, Model, ModelCost, Node, Shape, Time};
/// struct Probe;
/// impl ModelCost for Probe {
///     const NODE: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(10).into_layer()))]);
/// }
/// impl Model for Probe {
///     const NAME: &'static str = "Probe";
///     const INPUT: Shape = Shape::input(1, &[20]);
/// }
/// const LATENCY: Time = roofline_of::<Probe>(&H100_SXM).time;
/// assert!(LATENCY < Time::from_nanos(1));
/// ```
#[track_caller]
pub const fn roofline_of<M: Model>(device: &Device) -> Roofline {
    match roofline_in(M::NAME, &M::NODE, M::INPUTS, M::PRECISION, M::PHASE, device) {
        Ok(r) => r,
        Err(error) => {
            let m = error.message();
            panic!("{}", m.as_str())
        }
    }
}
