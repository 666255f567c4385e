//! `Upsample`: nearest and (bi/tri)linear/bicubic interpolation to a larger size.

use super::{
    numel, require_all_positive, require_positive, require_spatial_len, spatial_rank_text, spread,
};
use crate::cost::Cost;
use crate::error::Problem;
use crate::fmt::Message;
use crate::layer::Layer;
use crate::shape::Shape;

/// The interpolation an [`Upsample`] uses (PyTorch's `mode`).
///
/// FLOPs per output element: an interpolated output is a weighted sum of its `taps` nearest
/// inputs with precomputed weights, `taps` multiplies and `taps − 1` adds:
///
/// | mode | input | taps | FLOPs |
/// |---|---|---|---|
/// | `nearest`, `nearest-exact` | 3-D to 5-D | 1 (a copy) | 0 |
/// | `linear` | 3-D | 2 | 3 |
/// | `bilinear` | 4-D | 4 | 7 |
/// | `bicubic` | 4-D | 16 | 31 |
/// | `trilinear` | 5-D | 8 | 15 |
///
/// `FlopCounterMode`, torchvision and fvcore count 0 for every mode.
///
/// ```
/// use nncost_core::layers::UpsampleMode;
/// assert_eq!(UpsampleMode::Bilinear.flops_per_output(), 7);
/// assert_eq!(UpsampleMode::Bilinear.name(), "bilinear");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpsampleMode {
    /// `"nearest"` (the default): copies.
    Nearest,
    /// `"nearest-exact"`: copies, with pixel-centre rounding.
    NearestExact,
    /// `"linear"`, 3-D input.
    Linear,
    /// `"bilinear"`, 4-D input.
    Bilinear,
    /// `"bicubic"`, 4-D input.
    Bicubic,
    /// `"trilinear"`, 5-D input.
    Trilinear,
}

impl UpsampleMode {
    /// FLOPs per output element, as in the table above.
    pub const fn flops_per_output(self) -> u64 {
        match self {
            UpsampleMode::Nearest | UpsampleMode::NearestExact => 0,
            UpsampleMode::Linear => 3,
            UpsampleMode::Bilinear => 7,
            UpsampleMode::Bicubic => 31,
            UpsampleMode::Trilinear => 15,
        }
    }

    /// PyTorch's name of the mode.
    pub const fn name(self) -> &'static str {
        match self {
            UpsampleMode::Nearest => "nearest",
            UpsampleMode::NearestExact => "nearest-exact",
            UpsampleMode::Linear => "linear",
            UpsampleMode::Bilinear => "bilinear",
            UpsampleMode::Bicubic => "bicubic",
            UpsampleMode::Trilinear => "trilinear",
        }
    }

    /// The spatial rank the mode needs, or 0 for any (nearest modes).
    pub const fn spatial_rank(self) -> usize {
        match self {
            UpsampleMode::Nearest | UpsampleMode::NearestExact => 0,
            UpsampleMode::Linear => 1,
            UpsampleMode::Bilinear | UpsampleMode::Bicubic => 2,
            UpsampleMode::Trilinear => 3,
        }
    }

    const fn interpolates(self) -> bool {
        !matches!(self, UpsampleMode::Nearest | UpsampleMode::NearestExact)
    }
}

/// Upsampling by integer scale factors or to a given size, as `torch.nn.Upsample`.
///
/// Constructors:
/// - [`Upsample::scale(f)`](Upsample::scale): every spatial dim times `f`, any input from 3-D
///   to 5-D (`scale_factor=f`);
/// - [`Upsample::scales([fh, fw])`](Upsample::scales): one factor per spatial dim; the number of
///   factors fixes the input rank (`scale_factor=(fh, fw)`);
/// - [`Upsample::size([h, w])`](Upsample::size): the output's spatial size, whatever the input's
///   (`size=(h, w)`); the number of sizes fixes the input rank.
///
/// Mode: `.nearest()` (default), `.nearest_exact()`, `.linear()` (3-D), `.bilinear()` (4-D),
/// `.bicubic()` (4-D), `.trilinear()` (5-D); `.align_corners(..)` is accepted for the
/// interpolating modes and does not change the cost.
///
/// - Output: `[N, C, in·f..]` (scale) or `[N, C, size..]` (size).
/// - Params, buffers, MACs: 0.
/// - FLOPs: output elements × [`UpsampleMode::flops_per_output`] (nearest 0, bilinear 7, ...).
///
/// ```
/// use nncost_core::{layers::Upsample, Shape};
/// let x = Shape::new(&[1, 3, 8, 8]);
/// let (out, cost) = Upsample::scale(2).into_layer().apply(&x).unwrap();
/// assert_eq!((out, cost.flops), (Shape::new(&[1, 3, 16, 16]), 0));
/// let (out, cost) = Upsample::size([10, 12]).bilinear().into_layer().apply(&x).unwrap();
/// assert_eq!((out, cost.flops), (Shape::new(&[1, 3, 10, 12]), 7 * 3 * 10 * 12));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Upsample {
    /// Spatial rank the layer was declared for (1 to 3), or 0 for any (`Upsample::scale`).
    pub rank: usize,
    /// `values` are output sizes (else scale factors).
    pub by_size: bool,
    /// Scale factor or output size per spatial dim (for rank 0, `values[0]` is for every dim).
    pub values: [u64; 3],
    /// The interpolation.
    pub mode: UpsampleMode,
    /// PyTorch's `align_corners` (no effect on the cost).
    pub align_corners: bool,
}

impl Upsample {
    /// Every spatial dim scaled by the integer `scale_factor`, for any 3-D to 5-D input.
    #[track_caller]
    pub const fn scale(scale_factor: u64) -> Upsample {
        require_positive("Upsample", "scale_factor", scale_factor);
        Upsample {
            rank: 0,
            by_size: false,
            values: [scale_factor; 3],
            mode: UpsampleMode::Nearest,
            align_corners: false,
        }
    }

    /// One integer scale factor per spatial dim; `N` (1 to 3) fixes the input to `N + 2` dims.
    #[track_caller]
    pub const fn scales<const N: usize>(scale_factor: [u64; N]) -> Upsample {
        require_spatial_len("Upsample", "scale_factor", N);
        require_all_positive("Upsample", "scale_factor", scale_factor);
        Upsample {
            rank: N,
            by_size: false,
            values: spread(scale_factor, 1),
            mode: UpsampleMode::Nearest,
            align_corners: false,
        }
    }

    /// The output's spatial size; `N` (1 to 3) fixes the input to `N + 2` dims.
    #[track_caller]
    pub const fn size<const N: usize>(size: [u64; N]) -> Upsample {
        require_spatial_len("Upsample", "size", N);
        require_all_positive("Upsample", "size", size);
        Upsample {
            rank: N,
            by_size: true,
            values: spread(size, 1),
            mode: UpsampleMode::Nearest,
            align_corners: false,
        }
    }

    /// Resizes to the spatial size of a second input, as `F.interpolate(x, size=y.shape[-2:])`
    /// in torchvision's feature pyramid: `up: (top, lateral) -> Upsample::resize()`. The output
    /// size need not be a multiple of the input's. Nearest by default; FLOPs as the mode's.
    ///
    /// ```
    /// use nncost_core::{layers::Upsample, Shape};
    /// let up = Upsample::resize().bilinear().into_layer();
    /// let (out, cost) = up.apply_pair(&Shape::new(&[1, 8, 7, 7]), &Shape::new(&[1, 4, 13, 13])).unwrap();
    /// assert_eq!((out, cost.flops), (Shape::new(&[1, 8, 13, 13]), 7 * 8 * 13 * 13));
    /// assert!(up.apply(&Shape::new(&[1, 8, 7, 7])).is_err()); // it needs the target
    /// ```
    pub const fn resize() -> Upsample {
        Upsample {
            rank: 0,
            by_size: true,
            values: [0; 3],
            mode: UpsampleMode::Nearest,
            align_corners: false,
        }
    }

    /// Whether this is [`Upsample::resize`], which takes its size from a second input.
    pub const fn resizes(&self) -> bool {
        self.rank == 0 && self.by_size
    }

    /// Sets the interpolation; panics if the layer's declared rank does not suit it.
    #[track_caller]
    pub const fn mode(mut self, mode: UpsampleMode) -> Upsample {
        let need = mode.spatial_rank();
        if need != 0 && self.rank != 0 && self.rank != need {
            let mut m = Message::new();
            m.push_str("Upsample: mode ");
            m.push_str(mode.name());
            m.push_str(" needs ");
            m.push_u64(need as u64);
            m.push_str(" spatial dims, but ");
            m.push_u64(self.rank as u64);
            m.push_str(if self.by_size {
                " sizes were given"
            } else {
                " scale factors were given"
            });
            panic!("{}", m.as_str());
        }
        self.mode = mode;
        self
    }

    /// Nearest-neighbour copies (the default), 0 FLOPs.
    #[track_caller]
    pub const fn nearest(self) -> Upsample {
        self.mode(UpsampleMode::Nearest)
    }

    /// Nearest-neighbour copies with pixel-centre rounding (`"nearest-exact"`), 0 FLOPs.
    #[track_caller]
    pub const fn nearest_exact(self) -> Upsample {
        self.mode(UpsampleMode::NearestExact)
    }

    /// Linear interpolation of a 3-D input, 3 FLOPs per output element.
    #[track_caller]
    pub const fn linear(self) -> Upsample {
        self.mode(UpsampleMode::Linear)
    }

    /// Bilinear interpolation of a 4-D input, 7 FLOPs per output element (4 mul + 3 add).
    #[track_caller]
    pub const fn bilinear(self) -> Upsample {
        self.mode(UpsampleMode::Bilinear)
    }

    /// Bicubic interpolation of a 4-D input, 31 FLOPs per output element (16 mul + 15 add).
    #[track_caller]
    pub const fn bicubic(self) -> Upsample {
        self.mode(UpsampleMode::Bicubic)
    }

    /// Trilinear interpolation of a 5-D input, 15 FLOPs per output element (8 mul + 7 add).
    #[track_caller]
    pub const fn trilinear(self) -> Upsample {
        self.mode(UpsampleMode::Trilinear)
    }

    /// PyTorch's `align_corners` (default `false`), for the interpolating modes only; no effect
    /// on the cost.
    pub const fn align_corners(mut self, align_corners: bool) -> Upsample {
        self.align_corners = align_corners;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Upsample(self)
    }

    /// Output shape and cost for `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if self.resizes() {
            return Err(Problem::Other(
                "Upsample::resize() takes its size from a second input: write `up: (x, target) -> Upsample::resize()`",
            ));
        }
        let need = self.mode.spatial_rank();
        let rank = if self.rank != 0 { self.rank } else { need };
        let ok = if rank == 0 {
            input.rank() >= 3 && input.rank() <= 5
        } else {
            input.rank() == rank + 2
        };
        if !ok {
            return Err(Problem::Rank {
                expected: if rank == 0 {
                    "3-D to 5-D input [N, C, ..]"
                } else {
                    spatial_rank_text(rank)
                },
                got: *input,
            });
        }
        if self.align_corners && !self.mode.interpolates() {
            return Err(Problem::Other(
                "align_corners only applies to the linear, bilinear, bicubic and trilinear modes",
            ));
        }
        let spatial = input.rank() - 2;
        let mut out = *input;
        let mut d = 0;
        while d < spatial {
            let v = if self.rank == 0 {
                self.values[0]
            } else {
                self.values[d]
            };
            let o = if self.by_size {
                v
            } else {
                checked!(checked_mul, input.dim(d + 2), v, "output size")
            };
            out = out.with_dim(d + 2, o);
            d += 1;
        }
        let out_numel = tri!(numel(&out));
        Ok((
            out,
            Cost {
                params: 0,
                buffers: 0,
                integer_buffers: 0,
                macs: 0,
                flops: checked!(
                    checked_mul,
                    out_numel,
                    self.mode.flops_per_output(),
                    "FLOPs"
                ),
                ..Cost::ZERO
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsample_modes_and_ranks() {
        let x3 = Shape::new(&[1, 2, 5]);
        let x5 = Shape::new(&[1, 2, 2, 3, 4]);
        let (out, c) = Upsample::scale(3).linear().into_layer().apply(&x3).unwrap();
        assert_eq!((out, c.flops), (Shape::new(&[1, 2, 15]), 3 * 30));
        let (out, _) = Upsample::scale(2).into_layer().apply(&x5).unwrap();
        assert_eq!(out, Shape::new(&[1, 2, 4, 6, 8]));
        let (out, c) = Upsample::scales([1, 2, 3])
            .trilinear()
            .into_layer()
            .apply(&x5)
            .unwrap();
        assert_eq!(
            (out, c.flops),
            (Shape::new(&[1, 2, 2, 6, 12]), 15 * 2 * 144)
        );
        assert!(Upsample::scale(2)
            .bilinear()
            .into_layer()
            .apply(&x3)
            .is_err());
        assert!(Upsample::size([4, 4]).into_layer().apply(&x5).is_err());
        assert!(Upsample::scale(2)
            .align_corners(true)
            .into_layer()
            .apply(&x3)
            .is_err());
        assert!(Upsample::scale(2)
            .align_corners(true)
            .linear()
            .into_layer()
            .apply(&x3)
            .is_ok());
    }
}
