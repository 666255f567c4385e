//! Errors found while evaluating a network, with the layer path they happened at.

use crate::fmt::Message;
use crate::shape::Shape;

/// What is wrong with a layer, with the numbers involved.
///
/// ```
/// use nncost_core::{Message, Problem, Shape};
/// let p = Problem::Rank { expected: "4-D input [N, C, H, W]", got: Shape::new(&[1, 512]) };
/// let mut m = Message::new();
/// p.write(&mut m);
/// assert_eq!(m.as_str(), "expects 4-D input [N, C, H, W], got [1, 512]");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The input has the wrong number of dimensions.
    Rank {
        /// What the layer accepts, e.g. `"4-D input [N, C, H, W]"`.
        expected: &'static str,
        /// The incoming shape.
        got: Shape,
    },
    /// A size declared on the layer disagrees with the incoming shape.
    Mismatch {
        /// The declared setting, e.g. `"embed_dim"`.
        what: &'static str,
        /// Its declared value.
        declared: u64,
        /// What the input has, e.g. `"features"`.
        actual_what: &'static str,
        /// The input's value.
        actual: u64,
    },
    /// An optional setting (inferred from the input when left out, such as `in_channels`)
    /// disagrees with the incoming shape.
    Declared {
        /// The setting, which is also the builder method's name, e.g. `"in_channels"`.
        setting: &'static str,
        /// Its declared value.
        declared: u64,
        /// What the input has, e.g. `"channels"`.
        actual_what: &'static str,
        /// The input's value.
        actual: u64,
    },
    /// `value` must be divisible by `by` (e.g. channels by groups).
    NotDivisible {
        /// The divided quantity, e.g. `"input channels"`.
        what: &'static str,
        /// Its value.
        value: u64,
        /// The divisor's name, e.g. `"groups"`.
        by_what: &'static str,
        /// The divisor.
        by: u64,
    },
    /// A sliding window does not fit: the effective kernel is larger than the padded input.
    WindowTooLarge {
        /// The spatial dimension, e.g. `"H"` (see [`axis_name`]).
        axis: &'static str,
        /// Effective kernel extent `dilation × (kernel − 1) + 1`.
        window: u64,
        /// Input size along the dimension, without padding.
        input: u64,
        /// Padding on each side.
        padding: u64,
    },
    /// The output would have no positions along a spatial dimension.
    EmptyOutput {
        /// The spatial dimension, e.g. `"H"`.
        axis: &'static str,
        /// Input size along the dimension.
        input: u64,
        /// Padding on each side.
        padding: u64,
    },
    /// Pooling padding above half the kernel (PyTorch rejects it).
    PaddingTooLarge {
        /// The padding.
        padding: u64,
        /// The kernel size (`MaxPool2d`: the dilated extent).
        kernel: u64,
    },
    /// A kernel larger than the unpadded input, for layers that check it before padding
    /// (PyTorch's `AvgPool3d`).
    KernelTooLarge {
        /// The spatial dimension, e.g. `"D"`.
        axis: &'static str,
        /// The kernel size.
        kernel: u64,
        /// The input size (without padding).
        input: u64,
    },
    /// A dimension index (PyTorch style, negative counts from the end) outside the input's rank.
    DimOutOfRange {
        /// The setting, e.g. `"start_dim"`.
        what: &'static str,
        /// Its value.
        dim: i64,
        /// The input's rank.
        rank: usize,
    },
    /// Two tensors that must agree do not (residual add, concat, elementwise merge).
    Merge {
        /// What merges: `"residual add"`, `"concat"`, `"add"`, `"mul"`, or a matmul's rule.
        what: &'static str,
        /// The first operand's shape (a residual's body, the branches so far).
        left: Shape,
        /// The second operand's shape (a residual's shortcut, the next branch).
        right: Shape,
    },
    /// A `LayerNorm(C)` (which normalises the last dim) on a channels-first `[N, C, H, W]`
    /// input whose channels are `C`: the hint is torchvision's `LayerNorm2d` or a permute.
    NormOverChannels {
        /// The channels (dim 1), which is what `normalized_shape` was declared as.
        channels: u64,
        /// The input.
        input: Shape,
    },
    /// A width relative to the input's (`Conv2d::ratio`, `Linear::ratio`) rounds down to 0.
    RatioOfNothing {
        /// The input's width.
        input: u64,
        /// The ratio's numerator.
        numerator: u64,
        /// The ratio's denominator.
        denominator: u64,
    },
    /// A figure of one layer does not fit in `u64`.
    Overflow {
        /// The figure, e.g. `"MACs"`.
        what: &'static str,
    },
    /// A figure summed over the layers up to this one does not fit in `u64`.
    TotalOverflow {
        /// The figure, e.g. `"MACs"`.
        what: &'static str,
    },
    /// A declaration with named inputs was given another number of tensors.
    Inputs {
        /// Its inputs' names.
        expected: &'static [&'static str],
        /// How many tensors its entry gives it.
        given: usize,
    },
    /// A read of a block's output by a name it does not have (`fpn.p7`).
    NoOutput {
        /// The name read.
        name: &'static str,
        /// The block's outputs (none for a single layer or a block without named outputs).
        outputs: &'static [crate::node::Output],
    },
    /// A module applied again under a repeated name ([`crate::Entry::reused`]) has state: a
    /// module with weights applied twice shares them, which a repeated name does not declare.
    Reused {
        /// The name repeated.
        name: &'static str,
        /// The module's parameters.
        params: u64,
        /// The module's buffers.
        buffers: u64,
    },
    /// A `Linear` on a tensor whose dims after the batch look unflattened: either its input comes
    /// channels first from a convolution, pooling or normalization (`in_features` 0, not
    /// declared), or the declared `in_features` is the size of all those dims together.
    NotFlattened {
        /// The incoming shape.
        input: Shape,
        /// The declared `in_features`, or 0.
        in_features: u64,
    },
    /// Anything else, in words.
    Other(&'static str),
}

/// The name of spatial dimension `d` of a layer with `rank` spatial dims, as PyTorch's docs
/// name them: `L`; `H`, `W`; `D`, `H`, `W`.
///
/// ```
/// use nncost_core::axis_name;
/// assert_eq!((axis_name(2, 0), axis_name(2, 1), axis_name(3, 0)), ("H", "W", "D"));
/// ```
pub const fn axis_name(rank: usize, d: usize) -> &'static str {
    match (rank, d) {
        (1, _) => "L",
        (2, 0) | (3, 1) => "H",
        (2, _) | (3, 2) => "W",
        (3, 0) => "D",
        _ => "?",
    }
}

/// Whether two strings are equal (`==` on `str` is not `const`).
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The first dim (from 0) where two shapes of the same rank differ, other than `skip`.
const fn first_difference(left: &Shape, right: &Shape, skip: usize) -> Option<usize> {
    let mut i = 0;
    while i < left.rank() {
        if i != skip && left.dim(i) != right.dim(i) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Writes `: dim 2 differs (56 vs 28)` for the first dim other than `skip` where the shapes
/// differ, or their ranks.
const fn write_difference(m: &mut Message, left: &Shape, right: &Shape, skip: usize) {
    if left.rank() != right.rank() {
        m.push_str(": ");
        m.push_u64(left.rank() as u64);
        m.push_str("-D vs ");
        m.push_u64(right.rank() as u64);
        m.push_str("-D");
        return;
    }
    if let Some(i) = first_difference(left, right, skip) {
        m.push_str(": dim ");
        m.push_u64(i as u64);
        m.push_str(" differs (");
        m.push_u64(left.dim(i));
        m.push_str(" vs ");
        m.push_u64(right.dim(i));
        m.push_str(")");
    }
}

/// Writes `: dim 1 differs (128 vs 64)` for the dim where two shapes fail to broadcast (the
/// one PyTorch reports: the last such dim), numbered in the broadcast result.
const fn write_broadcast_difference(m: &mut Message, left: &Shape, right: &Shape) {
    if let Err(i) = left.broadcast(right) {
        let (x, y) = left.broadcast_dim(right, i);
        if left.rank() != right.rank() {
            m.push_str(": dim ");
            m.push_u64(i as u64);
            m.push_str(" of the broadcast result differs (");
        } else {
            m.push_str(": dim ");
            m.push_u64(i as u64);
            m.push_str(" differs (");
        }
        m.push_u64(x);
        m.push_str(" vs ");
        m.push_u64(y);
        m.push_str(")");
    }
}

/// Writes `{what} is declared as {declared} but the input has {actual} {actual_what}`.
const fn write_mismatch(
    m: &mut Message,
    what: &str,
    declared: u64,
    actual_what: &str,
    actual: u64,
) {
    m.push_str(what);
    m.push_str(" is declared as ");
    m.push_u64(declared);
    m.push_str(" but the input has ");
    m.push_u64(actual);
    m.push_str(" ");
    m.push_str(actual_what);
}

/// The message of [`Problem::NotFlattened`].
const fn write_not_flattened(m: &mut Message, input: &Shape, in_features: u64) {
    let rank = input.rank();
    let mut features: u128 = 1;
    let mut i = 1;
    while i < rank {
        features = features.saturating_mul(input.dim(i) as u128);
        i += 1;
    }
    if in_features == 0 {
        m.push_str("its input ");
        m.push_shape(input);
        m.push_str(" comes channels first from a convolution, pooling or normalization, so it would apply to the last spatial dim (");
        m.push_str(axis_name(rank.saturating_sub(2), rank.saturating_sub(3)));
        m.push_str(" = ");
        m.push_grouped(input.last());
        m.push_str(") alone; did you mean a Flatten before it (");
    } else {
        m.push_str("in_features is declared as ");
        m.push_grouped(in_features);
        m.push_str(", the size of all the dims after the batch of ");
        m.push_shape(input);
        m.push_str(", but a Linear acts on the last dim (");
        m.push_grouped(input.last());
        m.push_str("); did you mean a Flatten before it (");
    }
    m.push_digits(features, true);
    m.push_str(" features)?");
    if in_features == 0 {
        m.push_str(" Layers out of order do this too: a derived struct runs its fields in declaration order unless `#[nncost(forward(..))]` gives the order. To apply it to the last dim on purpose, declare `.in_features(");
        m.push_u64(input.last());
        m.push_str(")`");
    }
}

impl Problem {
    /// Writes the problem in words (without the layer path).
    pub const fn write(&self, m: &mut Message) {
        match *self {
            Problem::Rank { expected, got } => {
                m.push_str("expects ");
                m.push_str(expected);
                m.push_str(", got ");
                m.push_shape(&got);
            }
            Problem::Mismatch {
                what,
                declared,
                actual_what,
                actual,
            } => write_mismatch(m, what, declared, actual_what, actual),
            Problem::Declared {
                setting,
                declared,
                actual_what,
                actual,
            } => {
                write_mismatch(m, setting, declared, actual_what, actual);
                m.push_str("; declare ");
                m.push_str(setting);
                m.push_str("(");
                m.push_u64(actual);
                m.push_str("), or remove it (it is inferred from the input)");
            }
            Problem::NotDivisible {
                what,
                value,
                by_what,
                by,
            } => {
                m.push_str(what);
                m.push_str(" (");
                m.push_u64(value);
                m.push_str(") must be divisible by ");
                m.push_str(by_what);
                m.push_str(" (");
                m.push_u64(by);
                m.push_str(")");
            }
            Problem::WindowTooLarge {
                axis,
                window,
                input,
                padding,
            } => {
                m.push_str("the kernel spans ");
                m.push_u64(window);
                m.push_str(" but the padded input is only ");
                m.push_digits(input as u128 + 2 * padding as u128, false);
                m.push_str(" along ");
                m.push_str(axis);
                m.push_str(" (");
                m.push_u64(input);
                m.push_str(" + 2 × padding ");
                m.push_u64(padding);
                m.push_str("); use a smaller kernel or dilation, more padding, or a larger input");
            }
            Problem::EmptyOutput {
                axis,
                input,
                padding,
            } => {
                m.push_str("the output would be empty along ");
                m.push_str(axis);
                m.push_str(" (input ");
                m.push_u64(input);
                m.push_str(", padding ");
                m.push_u64(padding);
                m.push_str(")");
                if padding > 0 {
                    m.push_str("; use less padding");
                }
            }
            Problem::PaddingTooLarge { padding, kernel } => {
                m.push_str("padding ");
                m.push_u64(padding);
                m.push_str(" is more than half the kernel size ");
                m.push_u64(kernel);
                m.push_str(" (PyTorch allows at most ");
                m.push_u64(kernel / 2);
                m.push_str("); use padding(");
                m.push_u64(kernel / 2);
                m.push_str(") or a larger kernel");
            }
            Problem::KernelTooLarge {
                axis,
                kernel,
                input,
            } => {
                m.push_str("the kernel (");
                m.push_u64(kernel);
                m.push_str(") is larger than the input (");
                m.push_u64(input);
                m.push_str(") along ");
                m.push_str(axis);
                m.push_str("; padding does not count here, as in PyTorch");
            }
            Problem::DimOutOfRange { what, dim, rank } => {
                m.push_str(what);
                m.push_str(" ");
                if dim < 0 {
                    m.push_str("-");
                }
                m.push_u64(dim.unsigned_abs());
                m.push_str(" is out of range for a ");
                m.push_u64(rank as u64);
                m.push_str("-D input");
            }
            Problem::Merge { what, left, right } => {
                if same(what, "residual add") {
                    m.push_str("the body's output ");
                    m.push_shape(&left);
                    m.push_str(" and the shortcut's ");
                    m.push_shape(&right);
                    m.push_str(" cannot be added");
                    write_broadcast_difference(m, &left, &right);
                    if left.rank() == right.rank() && left.rank() >= 2 {
                        m.push_str("; a projection shortcut makes them match, e.g. `shortcut { downsample: Projection::conv_bn(");
                        m.push_u64(left.dim(1));
                        m.push_str(")");
                        if left.rank() > 2 && left.dim(2) > 0 && right.dim(2) > left.dim(2) {
                            m.push_str(".stride(");
                            m.push_u64(right.dim(2).div_ceil(left.dim(2)));
                            m.push_str(")");
                        }
                        m.push_str(" }`");
                    }
                } else if same(what, "concat") {
                    m.push_str(
                        "concat joins channels (dim 1) and needs every other dim equal, got ",
                    );
                    m.push_shape(&left);
                    m.push_str(" and ");
                    m.push_shape(&right);
                    write_difference(m, &left, &right, 1);
                } else if same(what, "custom input") {
                    m.push_str("this layer is declared to take ");
                    m.push_shape(&left);
                    m.push_str(" (`.input(..)`) but gets ");
                    m.push_shape(&right);
                } else if same(what, "add")
                    || same(what, "mul")
                    || same(what, "sub")
                    || same(what, "div")
                {
                    m.push_str(what);
                    m.push_str(" needs shapes that broadcast (aligned from the right, each size equal or 1), got ");
                    m.push_shape(&left);
                    m.push_str(" and ");
                    m.push_shape(&right);
                    write_broadcast_difference(m, &left, &right);
                } else {
                    m.push_str(what);
                    m.push_str(" needs matching shapes, got ");
                    m.push_shape(&left);
                    m.push_str(" and ");
                    m.push_shape(&right);
                }
            }
            Problem::NormOverChannels { channels, input } => {
                m.push_str("normalized_shape is declared as ");
                m.push_u64(channels);
                m.push_str(" but the input has ");
                m.push_u64(input.last());
                m.push_str(" in its last dim: LayerNorm normalizes the trailing dims, and ");
                m.push_u64(channels);
                m.push_str(" is the channel dim (1) of this [N, C, H, W] input ");
                m.push_shape(&input);
                m.push_str("; use `LayerNorm2d::new(");
                m.push_u64(channels);
                m.push_str(")` (torchvision's, over the channels at every position), or put `Permute::new([0, 2, 3, 1])` before the LayerNorm and `Permute::new([0, 3, 1, 2])` after it");
            }
            Problem::RatioOfNothing {
                input,
                numerator,
                denominator,
            } => {
                m.push_str("the output width ");
                m.push_u64(input);
                m.push_str(" · ");
                m.push_u64(numerator);
                m.push_str(" / ");
                m.push_u64(denominator);
                m.push_str(" (the input's width times the ratio) rounds down to 0");
            }
            Problem::Overflow { what } => {
                m.push_str(what);
                m.push_str(" would exceed u64::MAX (18,446,744,073,709,551,615)");
            }
            Problem::TotalOverflow { what } => {
                m.push_str("the total ");
                m.push_str(what);
                m.push_str(" up to this layer would exceed u64::MAX (18,446,744,073,709,551,615)");
            }
            Problem::Inputs { expected, given } => {
                m.push_str("takes ");
                m.push_u64(expected.len() as u64);
                m.push_str(if expected.len() == 1 {
                    " input ("
                } else {
                    " inputs ("
                });
                let mut i = 0;
                while i < expected.len() {
                    if i > 0 {
                        m.push_str(", ");
                    }
                    m.push_str(expected[i]);
                    i += 1;
                }
                m.push_str("), but its entry gives it ");
                m.push_u64(given as u64);
                m.push_str("; list them as `(a, b) -> Block`");
            }
            Problem::NoOutput { name, outputs } => {
                m.push_str("has no output `");
                m.push_str(name);
                m.push_str("`");
                if outputs.is_empty() {
                    m.push_str(": it is not a block with named outputs (declare them, as in `block Fpn(c3, c4) -> (p3, p4) { .. }`)");
                } else {
                    m.push_str("; its outputs are ");
                    let mut i = 0;
                    while i < outputs.len() {
                        if i > 0 {
                            m.push_str(", ");
                        }
                        m.push_str("`");
                        m.push_str(outputs[i].name);
                        m.push_str("`");
                        i += 1;
                    }
                }
            }
            Problem::Reused {
                name,
                params,
                buffers,
            } => {
                m.push_str("`");
                m.push_str(name);
                m.push_str("` is named again here, and it has ");
                m.push_grouped(params);
                m.push_str(" parameters");
                if buffers > 0 {
                    m.push_str(" and ");
                    m.push_grouped(buffers);
                    m.push_str(" buffers");
                }
                m.push_str(": two layers with weights need two names; a module applied twice with the same weights is weight sharing, which `network!` writes by naming the earlier entry as the item (`again: x -> ");
                m.push_str(name);
                m.push_str("`, its weights counted once); a repeated name is for layers without weights, such as a dropout or an activation used in several places");
            }
            Problem::NotFlattened { input, in_features } => {
                write_not_flattened(m, &input, in_features)
            }
            Problem::Other(text) => m.push_str(text),
        }
    }
}

/// One step of a layer path: a name (`conv1`), an index (`0` in `layer1.0`), or a merge.
///
/// ```
/// use nncost_core::Segment;
/// assert_eq!(Segment::Name("conv1").to_string(), "conv1");
/// assert_eq!(Segment::Merge { name: "add", ordinal: 1 }.to_string(), "add");
/// assert_eq!(Segment::Merge { name: "add", ordinal: 2 }.to_string(), "add_2");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A named entry.
    Name(&'static str),
    /// A repeat's copy or a tuple element.
    Index(u64),
    /// The merge of a residual or of parallel branches, which has no name of its own: `add`,
    /// then `add_2`, `add_3` for further merges of the same block (as in a transformer block
    /// with two residuals).
    Merge {
        /// `"add"`, `"concat"`, `"mul"`, `"matmul"`.
        name: &'static str,
        /// 1 for the block's first merge, 2 for the second, ...
        ordinal: u16,
    },
}

impl Segment {
    /// Writes the segment.
    pub const fn write(&self, m: &mut Message) {
        match *self {
            Segment::Name(name) => m.push_str(name),
            Segment::Index(i) => m.push_u64(i),
            Segment::Merge { name, ordinal } => {
                m.push_str(name);
                if ordinal > 1 {
                    m.push_str("_");
                    m.push_u64(ordinal as u64);
                }
            }
        }
    }
}

impl core::fmt::Display for Segment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut m = Message::new();
        self.write(&mut m);
        f.write_str(m.as_str())
    }
}

/// Deepest layer path kept in an error; deeper paths keep their innermost segments.
pub const MAX_PATH: usize = 48;

/// A [`Problem`] at a layer path, as returned by [`crate::evaluate`].
#[derive(Clone, Copy, Debug)]
pub struct Fault {
    /// The layer's kind, e.g. `"Conv2d"`.
    pub kind: &'static str,
    /// What is wrong.
    pub problem: Problem,
    /// Path segments innermost first (they are added while the error travels outwards).
    segments: [Segment; MAX_PATH],
    len: usize,
    dropped: bool,
    /// Index of the top-level entry of the model the fault is in (for pointing at its tokens).
    pub entry: usize,
    /// The shape the layer was given, when the fault is in a layer (else a scalar); shown with
    /// an overflow, whose cause is the size of the input.
    pub input: Shape,
}

impl Fault {
    /// A fault in a layer of kind `kind`, before its path is known.
    pub const fn new(kind: &'static str, problem: Problem) -> Fault {
        Fault {
            kind,
            problem,
            segments: [Segment::Index(0); MAX_PATH],
            len: 0,
            dropped: false,
            entry: 0,
            input: Shape::SCALAR,
        }
    }

    /// Records that the fault is inside `segment` (called from the inside out).
    pub const fn enter(&mut self, segment: Segment) {
        if self.len < MAX_PATH {
            self.segments[self.len] = segment;
            self.len += 1;
        } else {
            self.dropped = true;
        }
    }

    /// Writes `Model.path.to.layer (Kind): problem` (without ` (Kind)` for the model itself).
    pub const fn write(&self, model: &str, m: &mut Message) {
        m.push_str(model);
        if self.dropped {
            m.push_str(".…");
        }
        let mut i = self.len;
        while i > 0 {
            i -= 1;
            m.push_str(".");
            self.segments[i].write(m);
        }
        if !(self.len == 0 && same(self.kind, model)) {
            m.push_str(" (");
            m.push_str(self.kind);
            m.push_str(")");
        }
        m.push_str(": ");
        self.problem.write(m);
        if let Problem::Overflow { .. } = self.problem {
            if self.input.rank() > 0 {
                m.push_str(" on the input ");
                m.push_shape(&self.input);
                m.push_str("; use a smaller input or batch");
            }
        }
    }
}
