//! Compile-time checks of a zoo model's named outputs.

use crate::{Shape, Tensors};

/// Whether `a` and `b` are the same string (`==` on `str` is not `const`).
const fn same_str(a: &str, b: &str) -> bool {
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

/// Whether `outputs` are exactly `expected`, in order: each name with its shape (batch
/// first), and no others. For `const_assert!`s on a model's `OUTPUT_SHAPES`.
pub(crate) const fn outputs_are(outputs: &Tensors, expected: &[(&str, &[u64])]) -> bool {
    if outputs.len() != expected.len() {
        return false;
    }
    let mut i = 0;
    while i < expected.len() {
        let (name, dims) = expected[i];
        if !same_str(outputs.name(i), name) || !outputs.shape(i).same_as(&Shape::new(dims)) {
            return false;
        }
        i += 1;
    }
    true
}
