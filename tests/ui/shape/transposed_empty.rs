use nncost::prelude::*;

network! {
    #[input(8, 2, 2)]
    pub model Net {
        up: ConvTranspose2d::new(4, 2).padding(3),
    }
}

fn main() {}
