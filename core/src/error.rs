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
        /// The declared setting, e.g. `"in_channels"`.
        what: &'static str,
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
        /// Spatial dimension index (0 is the first spatial dim).
        dim: usize,
        /// Effective kernel extent `dilation × (kernel − 1) + 1`.
        window: u64,
        /// Input size plus padding on both sides.
        padded: u64,
    },
    /// The output would have a zero or negative size along a spatial dimension.
    EmptyOutput {
        /// Spatial dimension index.
        dim: usize,
    },
    /// Pooling padding above half the kernel (PyTorch rejects it).
    PaddingTooLarge {
        /// The padding.
        padding: u64,
        /// The kernel size.
        kernel: u64,
    },
    /// A kernel larger than the unpadded input, for layers that check it before padding
    /// (PyTorch's `AvgPool3d`).
    KernelTooLarge {
        /// Spatial dimension index.
        dim: usize,
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
        /// What merges, e.g. `"residual add"`.
        what: &'static str,
        /// The first operand's shape.
        left: Shape,
        /// The second operand's shape.
        right: Shape,
    },
    /// A figure does not fit in `u64`.
    Overflow {
        /// The figure, e.g. `"MACs"`.
        what: &'static str,
    },
    /// Anything else, in words.
    Other(&'static str),
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
            } => {
                m.push_str(what);
                m.push_str(" is declared as ");
                m.push_u64(declared);
                m.push_str(" but the input has ");
                m.push_u64(actual);
                m.push_str(" ");
                m.push_str(actual_what);
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
                dim,
                window,
                padded,
            } => {
                m.push_str("the window spans ");
                m.push_u64(window);
                m.push_str(" but the padded input is ");
                m.push_u64(padded);
                m.push_str(" along spatial dim ");
                m.push_u64(dim as u64);
            }
            Problem::EmptyOutput { dim } => {
                m.push_str("the output would be empty along spatial dim ");
                m.push_u64(dim as u64);
            }
            Problem::PaddingTooLarge { padding, kernel } => {
                m.push_str("padding ");
                m.push_u64(padding);
                m.push_str(" must be at most half the kernel size ");
                m.push_u64(kernel);
            }
            Problem::KernelTooLarge { dim, kernel, input } => {
                m.push_str("the kernel (");
                m.push_u64(kernel);
                m.push_str(") is larger than the input (");
                m.push_u64(input);
                m.push_str(") along spatial dim ");
                m.push_u64(dim as u64);
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
                m.push_str(what);
                m.push_str(" needs matching shapes, got ");
                m.push_shape(&left);
                m.push_str(" and ");
                m.push_shape(&right);
            }
            Problem::Overflow { what } => {
                m.push_str(what);
                m.push_str(" overflow u64");
            }
            Problem::Other(text) => m.push_str(text),
        }
    }
}

/// One step of a layer path: a name (`conv1`) or an index (`0` in `layer1.0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A named entry.
    Name(&'static str),
    /// A repeat's copy or a tuple element.
    Index(u64),
}

impl Segment {
    /// Writes the segment.
    pub const fn write(&self, m: &mut Message) {
        match *self {
            Segment::Name(name) => m.push_str(name),
            Segment::Index(i) => m.push_u64(i),
        }
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

    /// Writes `Model.path.to.layer (Kind): problem`.
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
        m.push_str(" (");
        m.push_str(self.kind);
        m.push_str("): ");
        self.problem.write(m);
    }
}
