use nncost::prelude::*;

network! {
    pub block Stage {
        conv: Conv2d::new(8, 3).padding(1),
    }

    #[input(8, 32, 32)]
    pub model Net {
        a: [Stage; ],
        b: [Stage],
        c: (),
    }
}

fn main() {}
