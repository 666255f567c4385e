use nncost::prelude::*;

network! {
    /// LayerNorm(C) after a convolution normalises W, not the channels.
    #[input(3, 56, 56)]
    pub model Net {
        conv: Conv2d::new(96, 3).padding(1),
        norm: LayerNorm::new(96),
    }
}

fn main() {}
