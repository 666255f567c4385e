//! Exports: a model's figures and per-layer rows as JSON (feature `serde`), CSV and Markdown,
//! its MACs by operator beside PyTorch's `FlopCounterMode`, and the plain-text table.
//!
//! Every export renders a [`Snapshot`]: owned data built from a [`Summary`](crate::Summary)
//! (following its [`depth`](crate::Summary::depth) and [`fold`](crate::Summary::fold)) or
//! read back from JSON, so a saved report prints, exports, charts and diffs like a live one.
//!
//! | format | from a summary | from a snapshot |
//! |---|---|---|
//! | text table | `println!("{summary}")` | `println!("{snapshot}")` |
//! | JSON (`serde`) | `Summary::to_json` | `Snapshot::to_json`, `Snapshot::from_json` |
//! | CSV | [`Summary::to_csv`](crate::Summary::to_csv) | [`Snapshot::to_csv`] |
//! | Markdown | [`Summary::to_markdown`](crate::Summary::to_markdown) | [`Snapshot::to_markdown`], [`Snapshot::operators_markdown`] |
//! | diff | | [`Diff::new`](crate::diff::Diff::new) |
//! | SVG charts (`chart`) | `Summary::bars_svg`, `Summary::roofline_svg` | `Snapshot::bars_svg`, `Snapshot::roofline_svg` |
//!
//! ```
//! # #[cfg(feature = "zoo")] {
//! use nncost::zoo::ResNet152;
//! // torchinfo's depth=2 with the repeated blocks folded: 19 rows instead of 573.
//! let summary = ResNet152::summary().fold().depth(2);
//! assert_eq!(ResNet152::summary().rows.len(), 573);
//! let markdown = summary.to_markdown();
//! let csv = summary.to_csv();
//! assert_eq!(csv.lines().count(), 1 + 19 + 1);
//! # let _ = markdown;
//! # }
//! ```
//!
//! ## One table of figures
//!
//! The figures are the rows of [`FIGURES`] (and the operator groups those of [`OPERATORS`]):
//! JSON, CSV, Markdown, folding and the diff iterate it and name no figure themselves. **A new
//! figure is one line there**: a new key, a heading, count or bytes, and how to read it from
//! a [`Report`](crate::Report) and from a summary [`Row`](crate::Row). The JSON schema's
//! version does not change for it (see below).
//!
//! ## JSON schema
//!
//! Version 1 ([`SCHEMA_VERSION`]). One object; numbers are exact integers (no floats, so
//! nothing is rounded); keys of `figures` and `operators` are in table order.
//!
//! | key | type | meaning |
//! |---|---|---|
//! | `schema_version` | integer | `1` |
//! | `generator` | string | the nncost version that wrote it: `"nncost 0.1.0"` |
//! | `model` | string | the model's name |
//! | `input`, `output` | array of integers | the first input's and output's shapes, batch first |
//! | `inputs`, `outputs` | array of objects | every input and output: `name` (`"input"`, `"output"` unless the model names them) and `shape` |
//! | `dtypes` | object | `weights`, `activations`: `"f32"`, `"f16"`, `"bf16"`, `"fp8"`, `"int8"`, ..; `kv_cache` for a step over a KV cache |
//! | `cached` | integer, absent without a cache | for a step over a KV cache, the positions cached before it (`0`: prefill) |
//! | `figures` | object | the whole model's figures, keyed as [`FIGURES`]: `params`, `trainable_params`, `active_params`, `buffers`, `all_buffers`, `macs`, `flops`, `weight_bytes`, `activation_bytes`, `peak_memory_bytes`, `memory_access_bytes`, `kv_cache_bytes`, `output_bytes` |
//! | `operators` | object | the model's MACs by operator, keyed as [`OPERATORS`]: `convolution`, `linear`, `matmul`, `attention`, `recurrent`, `other` (zeros included) |
//! | `layers` | array of objects | the rows, in execution order (groups before their layers) |
//! | `layers[].path` | string | `layer2.0.conv1`; folded, `layer3.1–35` (U+2013) |
//! | `layers[].kind` | string | `Conv2d`, `BasicBlock`, `Add`, .. |
//! | `layers[].depth` | integer | 0 for the model's own entries |
//! | `layers[].group` | bool | whether the row sums the rows under it |
//! | `layers[].repeat` | integer | identical rows it stands for (1 unless folded) |
//! | `layers[].flags` | array of strings | how it counts, if not as a layer that runs: `train_only`, `shared`, `frozen` |
//! | `layers[].output` | array of integers | the output shape |
//! | `layers[].figures` | object | the row's figures (those of [`FIGURES`] with a per-row value) |
//! | `layers[].operators` | object | the row's MACs by operator, non-zero groups only |
//!
//! **Versioning.** Adding a figure, an operator group or any other key keeps version 1:
//! readers must ignore keys they do not know and treat a missing figure as not computed by
//! the writer's version (`Snapshot::from_json` keeps unknown figures, and the diff compares
//! them). Renaming or removing a key, or changing what one means, makes version 2;
//! `Snapshot::from_json` refuses a version newer than its own with a message saying so.
//!
//! For a two-layer model the whole document is (one line per layer, so a change to a layer
//! is a one-line change under version control):
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use nncost::export::Snapshot;
//! use nncost::prelude::*;
//! network! {
//!     #[input(16)]
//!     model Mlp { fc: Linear::new(4), act: ReLU }
//! }
//! let expected = r#"{
//!   "schema_version": 1,
//!   "generator": "nncost 0.1.0",
//!   "model": "Mlp",
//!   "input": [1,16],
//!   "output": [1,4],
//!   "inputs": [{"name":"input","shape":[1,16]}],
//!   "outputs": [{"name":"output","shape":[1,4]}],
//!   "dtypes": {"weights":"f32","activations":"f32"},
//!   "figures": {"params":68,"trainable_params":68,"active_params":68,"buffers":0,"all_buffers":0,"macs":64,"flops":136,"weight_bytes":272,"activation_bytes":96,"peak_memory_bytes":352,"memory_access_bytes":384,"kv_cache_bytes":0,"output_bytes":16},
//!   "operators": {"convolution":0,"linear":64,"matmul":0,"attention":0,"recurrent":0,"other":0},
//!   "layers": [
//!     {"path":"fc","kind":"Linear","depth":0,"group":false,"repeat":1,"flags":[],"output":[1,4],"figures":{"params":68,"trainable_params":68,"active_params":68,"buffers":0,"all_buffers":0,"macs":64,"flops":132,"weight_bytes":272,"activation_bytes":16,"peak_memory_bytes":80,"memory_access_bytes":352,"kv_cache_bytes":0,"output_bytes":16},"operators":{"linear":64}},
//!     {"path":"act","kind":"ReLU","depth":0,"group":false,"repeat":1,"flags":[],"output":[1,4],"figures":{"params":0,"trainable_params":0,"active_params":0,"buffers":0,"all_buffers":0,"macs":0,"flops":4,"weight_bytes":0,"activation_bytes":16,"peak_memory_bytes":32,"memory_access_bytes":32,"kv_cache_bytes":0,"output_bytes":16},"operators":{}}
//!   ]
//! }
//! "#;
//! let json = Snapshot::of::<Mlp>().to_json();
//! let json = json.replace(concat!("nncost ", env!("CARGO_PKG_VERSION")), "nncost 0.1.0");
//! assert_eq!(json, expected);
//! // fc: 16·4 weights + 4 biases; 64 MACs; FLOPs 2·64 + 4 bias adds, then 4 ReLUs.
//! // Traffic: fc reads 16 inputs and 68 weights and writes 4 outputs, ReLU 4 + 4; 4 bytes each.
//! assert_eq!(4 * (16 + 68 + 4) + 4 * (4 + 4), 384);
//! # }
//! ```

mod csv;
mod figures;
#[cfg(feature = "serde")]
mod json;
mod markdown;
mod snapshot;
mod text;
mod view;

pub(crate) use figures::figure;
pub use figures::{FigureColumn, OperatorGroup, Quantity, Repeated, FIGURES, HEADLINE, OPERATORS};
#[cfg(feature = "serde")]
pub use json::JsonError;
pub use snapshot::{Dtypes, LayerSnapshot, NamedShape, Snapshot, Values, SCHEMA_VERSION};
