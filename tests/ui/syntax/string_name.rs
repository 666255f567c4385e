use nncost::prelude::*;

network! {
    #[input(3, 8, 8)]
    pub model Net {
        "block1-0": Conv2d::new(8, 3),
        "inner_blocks..1": Conv2d::new(8, 1),
        "": ReLU,
    }
}

network! {
    #[input(3, 8, 8)]
    pub model Reader {
        "block1-0": Conv2d::new(8, 3),
        relu: "block1_0" -> ReLU,
    }
}

fn main() {}
