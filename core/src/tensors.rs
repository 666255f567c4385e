//! [`Tensors`]: a model's named inputs or outputs with their shapes.

use crate::error::same;
use crate::shape::Shape;

/// Most inputs, and most outputs, a model or block may declare.
pub const MAX_TENSORS: usize = 8;

/// Named tensors with their shapes, in declaration order: a model's inputs
/// ([`crate::Report::inputs`]) or outputs ([`crate::Report::outputs`]).
///
/// ```
/// use nncost_core::{Shape, Tensors};
/// let outs = Tensors::one("out", Shape::new(&[1, 10])).with("aux", Shape::new(&[1, 3]));
/// assert_eq!(outs.len(), 2);
/// assert_eq!(outs.name(1), "aux");
/// assert_eq!(outs.get("aux"), Some(Shape::new(&[1, 3])));
/// assert_eq!(outs.get("nope"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tensors {
    names: [&'static str; MAX_TENSORS],
    shapes: [Shape; MAX_TENSORS],
    len: usize,
}

impl Tensors {
    /// None.
    pub const EMPTY: Tensors = Tensors {
        names: [""; MAX_TENSORS],
        shapes: [Shape::SCALAR; MAX_TENSORS],
        len: 0,
    };

    /// One tensor.
    pub const fn one(name: &'static str, shape: Shape) -> Tensors {
        Tensors::EMPTY.with(name, shape)
    }

    /// These tensors and one more (ignored past [`MAX_TENSORS`]).
    pub const fn with(mut self, name: &'static str, shape: Shape) -> Tensors {
        if self.len < MAX_TENSORS {
            self.names[self.len] = name;
            self.shapes[self.len] = shape;
            self.len += 1;
        }
        self
    }

    /// How many there are.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The name of the `i`-th.
    pub const fn name(&self, i: usize) -> &'static str {
        self.names[i]
    }

    /// The shape of the `i`-th.
    pub const fn shape(&self, i: usize) -> Shape {
        self.shapes[i]
    }

    /// The shape of the one named `name`.
    pub const fn get(&self, name: &str) -> Option<Shape> {
        let mut i = 0;
        while i < self.len {
            if same(self.names[i], name) {
                return Some(self.shapes[i]);
            }
            i += 1;
        }
        None
    }

    /// The names, in order.
    pub const fn names(&self) -> &[&'static str] {
        self.names.split_at(self.len).0
    }

    /// The shapes, in order.
    pub const fn shapes(&self) -> &[Shape] {
        self.shapes.split_at(self.len).0
    }
}
