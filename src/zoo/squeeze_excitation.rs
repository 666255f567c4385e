//! torchvision's `SqueezeExcitation` (`torchvision.ops.misc`), shared by EfficientNet and RegNet
//! as in torchvision.

use crate::prelude::*;

/// The two widths of a [`SqueezeExcitation`], torchvision's `input_channels` and
/// `squeeze_channels`, as a type.
///
/// A block computes them from its own parameters (EfficientNet's `max(1, in // 4)`, RegNet's
/// `round(0.25 · width_in)`); stable Rust does not accept an expression such as `{ IN / 4 }` as a
/// generic argument in generic code, so the computation goes into a small type implementing this
/// trait, which the block passes on (see [`MBConvSqueeze`](super::MBConvSqueeze)). Fixed widths
/// need none: [`Squeeze`]`<C, S>`.
pub trait SqueezeChannels {
    /// The channels the block gets and gives back (`input_channels`).
    const INPUT_CHANNELS: u64;
    /// The channels in between (`squeeze_channels`).
    const SQUEEZE_CHANNELS: u64;
}

/// Fixed widths for a [`SqueezeExcitation`]: `C` input channels squeezed to `S`.
///
/// ```
/// use nncost::prelude::*;
/// use nncost::zoo::{Squeeze, SqueezeExcitation};
/// network! {
///     #[input(64, 56, 56)]
///     model Se { se: SqueezeExcitation<Squeeze<64, 16>> }
/// }
/// // fc1: 64·16 + 16, fc2: 16·64 + 64.
/// assert_eq!(Se::PARAMS, 64 * 16 + 16 + 16 * 64 + 64);
/// ```
pub struct Squeeze<const C: u64, const S: u64>;

impl<const C: u64, const S: u64> SqueezeChannels for Squeeze<C, S> {
    const INPUT_CHANNELS: u64 = C;
    const SQUEEZE_CHANNELS: u64 = S;
}

network! {
    /// Squeeze-and-excitation (Hu et al., "Squeeze-and-Excitation Networks", CVPR 2018,
    /// arXiv:1709.01507) as torchvision's `SqueezeExcitation(input_channels, squeeze_channels,
    /// activation, scale_activation)`: `scale * input`, where `scale` is a global average pool,
    /// a 1×1 convolution to `squeeze_channels`, `activation`, a 1×1 convolution back to
    /// `input_channels` and `scale_activation`.
    ///
    /// The widths come from `W` ([`SqueezeChannels`]; [`Squeeze`]`<C, S>` for fixed ones), the
    /// activations default to torchvision's `ReLU` and `Sigmoid`. The modules have torchvision's
    /// names at one level (`avgpool`, `fc1`, `activation`, `fc2`, `scale_activation`), and `mul`
    /// stands where its `forward` returns `scale * input`. No spatial size is needed: the
    /// `[N, C, 1, 1]` scale broadcasts against the `[N, C, H, W]` input in the `mul`, which
    /// reads each operand at its own size.
    pub block SqueezeExcitation<W: SqueezeChannels, Act: ModelCost = ReLU, Gate: ModelCost = Sigmoid>(input) {
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        fc1: Conv2d::new(W::SQUEEZE_CHANNELS, 1).in_channels(W::INPUT_CHANNELS),
        activation: Act,
        fc2: Conv2d::new(W::INPUT_CHANNELS, 1),
        scale_activation: Gate,
        mul: mul(scale_activation, input),
    }
}
