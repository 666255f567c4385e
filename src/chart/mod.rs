//! SVG charts of a model's layers (feature `chart`): MACs and memory traffic as bars
//! ([`Snapshot::bars_svg`]), and a roofline ([`Snapshot::roofline_svg`]) placing every layer
//! by its arithmetic intensity under a device's peak FLOP/s and memory bandwidth (a profile of
//! `nncost::devices`, or [`Ceilings`] of your own).
//!
//! ```
//! # #[cfg(feature = "zoo")] {
//! use nncost::devices::JETSON_ORIN_NANO;
//! use nncost::zoo::ResNet18;
//! let summary = ResNet18::summary().depth(2);
//! let bars: String = summary.bars_svg();
//! assert!(bars.starts_with("<svg"));
//! let roofline: String = ResNet18::summary().roofline_svg(&JETSON_ORIN_NANO);
//! assert!(roofline.contains("Jetson Orin Nano 8GB (f32)"));
//! # }
//! ```
//!
//! The charts read a [`Snapshot`], so they follow [`Summary::depth`](crate::Summary::depth)
//! and [`Summary::fold`](crate::Summary::fold), and a report read back from JSON draws the
//! same. One bar (and one roofline point) per **charted row**: a row with no row shown under
//! it, so a cut at a depth charts each group there as one bar, and the bars add up to the
//! model's totals.
//!
//! **Why plain SVG.** The two charts are a few hundred lines of SVG written here, with no
//! dependency. [plotters](https://crates.io/crates/plotters) with only its SVG backend is
//! light (5 crates), but its text layout wants a font feature (`ttf` or `ab_glyph`, more
//! crates) to measure labels, and it writes anonymous shapes: no `<title>` tooltip per bar
//! with the layer's path and exact figures, no classes a test (or a stylesheet) can find
//! bars by. Hand-written SVG gives both, stays in `std`, and renders the same in browsers,
//! GitHub and `rsvg-convert`.

mod bars;
mod roofline;
mod svg;

pub use roofline::Ceilings;

use crate::export::{LayerSnapshot, Snapshot};
use crate::Summary;
use nncost_core::Device;

impl Summary {
    /// [`Snapshot::bars_svg`] of the rows this summary shows.
    pub fn bars_svg(&self) -> String {
        self.snapshot().bars_svg()
    }

    /// [`Snapshot::roofline_svg`] of the rows this summary shows, under `device`'s ceilings at
    /// the model's dtypes ([`Ceilings::of`]).
    pub fn roofline_svg(&self, device: &Device) -> String {
        let ceilings = Ceilings::of(device, self.report.precision);
        self.snapshot().roofline_svg(&ceilings)
    }
}

/// The rows a chart draws: those with no row shown under them.
pub(crate) fn charted(snapshot: &Snapshot) -> Vec<&LayerSnapshot> {
    let layers = &snapshot.layers;
    layers
        .iter()
        .enumerate()
        .filter(|(i, row)| layers.get(i + 1).is_none_or(|next| next.depth <= row.depth))
        .map(|(_, row)| row)
        .collect()
}
