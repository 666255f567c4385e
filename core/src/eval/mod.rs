//! The evaluator: one pass over a [`Node`](crate::Node) tree, giving the output shape and the
//! totals.
//!
//! The same `const fn` runs at compile time (with no row buffer) and at run time (filling one
//! [`Row`] per entry for summaries). Work is linear in the number of layers: every layer is
//! visited once per use, and nothing is re-evaluated per nesting level. Evaluation keeps its own
//! stack of frames instead of recursing, because rustc limits const-eval call depth.
//!
//! The files follow the pass's concerns:
//! - [`walk`]: the [`Walk`] itself, its loop over frames, and the rows it records ([`rows`]);
//! - [`kernel`]: one layer run as one kernel, under the walk's modes (training-only, frozen,
//!   shared weights);
//! - [`sequence`]: sequences, repeats and declarations with named tensors ([`Graph`](crate::Graph)s):
//!   which entry runs next, on which tensor, and what its output becomes;
//! - [`merge`]: residual adds, parallel branches and joins of named tensors: shapes (with
//!   PyTorch's broadcasting), costs and the merge operation;
//! - [`liveness`]: which tensors are alive and who frees them: ownership of a node's input,
//!   views that alias it, and the slots named tensors live in until their last reader.

mod kernel;
mod liveness;
mod merge;
mod rows;
mod sequence;
mod walk;

pub use rows::{Outcome, Row};
pub use walk::Walk;
