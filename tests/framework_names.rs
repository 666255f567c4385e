//! A framework's layer types imported beside nncost's: inside nncost's attributes and
//! `network!` entries, layer expressions resolve to nncost's layers first, so this file's
//! `Conv2d<B>` (generic, with a two-argument `new`, as burn's or candle's) does not capture
//! `Conv2d::new(8, 3)`; outside them, the framework's names are untouched.

use nncost::{network, ModelCost};

/// A framework, as burn and candle name their modules.
mod framework {
    use std::marker::PhantomData;

    /// A framework's convolution: generic over a backend, built with two arguments.
    pub struct Conv2d<B>(PhantomData<B>, pub usize);

    impl<B> Conv2d<B> {
        pub fn new(channels: [usize; 2], kernel: usize) -> Self {
            Conv2d(PhantomData, channels[0] * channels[1] * kernel * kernel)
        }
    }

    pub struct Linear<B>(PhantomData<B>);
}

use framework::{Conv2d, Linear};

#[derive(ModelCost)]
#[nncost(input(3, 16, 16))]
pub struct Net<B> {
    #[layer(Conv2d::new(8, 3))]
    pub conv: Conv2d<B>,
    #[layer(Linear::new(10))]
    #[nncost(before(pool: AdaptiveAvgPool2d::new(1, 1), flatten: nncost::layers::Flatten))]
    pub fc: Linear<B>,
}

network! {
    #[input(3, 16, 16)]
    pub model Declared {
        conv: Conv2d::new(8, 3),
        pool: AdaptiveAvgPool2d::new(1, 1),
    }
}

#[test]
fn nncost_layers_win_inside_attributes() {
    // nncost's Conv2d: 8 filters of 3·3·3 plus biases, over a 14×14 output.
    assert_eq!(Net::<()>::PARAMS, 8 * 27 + 8 + 8 * 10 + 10);
    assert_eq!(Net::<()>::MACS, 8 * 14 * 14 * 27 + 8 * 10);
    assert_eq!(<Net<()> as ModelCost>::NODE.kind(), "Net");
    assert_eq!(Declared::PARAMS, 8 * 27 + 8);
    // Outside the attributes, `Conv2d` is still the framework's.
    let conv: Conv2d<()> = Conv2d::new([3, 8], 3);
    assert_eq!(conv.1, 216);
}
