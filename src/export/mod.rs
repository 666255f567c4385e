//! Exports: a model's figures and per-layer rows as JSON, CSV and Markdown (feature `std`;
//! JSON with feature `serde`).
//!
//! Every export renders a [`Snapshot`], built from a [`Summary`](crate::Summary) (whose
//! [`depth`](crate::Summary::depth) and [`fold`](crate::Summary::fold) it follows) or read back
//! from JSON; the figures are the columns of one table, [`FIGURES`].
//!
//! ## JSON schema
//!
//! To be written.

mod csv;
mod figures;
#[cfg(feature = "serde")]
mod json;
mod markdown;
mod snapshot;
mod text;
mod view;

pub(crate) use figures::figure;
pub use figures::{FigureColumn, OperatorGroup, Quantity, Repeated, FIGURES, OPERATORS};
#[cfg(feature = "serde")]
pub use json::JsonError;
pub use snapshot::{Dtypes, LayerSnapshot, Snapshot, Values, SCHEMA_VERSION};
