//! burn's and candle's MNIST models as those projects write them, each with
//! `#[derive(ModelCost)]` beside the framework's own derive (see `nncost::frameworks`).
//! `tests/counts.rs` builds them and compares the frameworks' counts with nncost's.

pub mod burn_guide;
pub mod burn_mnist;
pub mod candle_mnist;
