use nncost::prelude::*;

network! {
    pub modle Net {
        relu: ReLU,
    }

    #[input(3, 32, 32)]
    pub model Grouped {
        residul {
            conv: Conv2d::new(3, 3).padding(1),
        },
    }
}

fn main() {}
