use nncost::prelude::*;

network! {
    /// A layer scale declared with the wrong width: 32 scales for 64 channels.
    #[input(64, 8, 8)]
    pub model Net {
        scaled: mul {
            x: Identity,
            gamma: Parameter::new(&[32, 1, 1]),
        },
    }
}

fn main() {}
