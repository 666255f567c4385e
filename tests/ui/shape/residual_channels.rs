use nncost::prelude::*;

network! {
    pub block Widen<const C: u64> {
        residual {
            conv: Conv2d::new(C, 3).padding(1),
            relu: ReLU,
        },
    }

    #[input(64, 56, 56)]
    pub model Net {
        stage: Widen<128>,
    }
}

fn main() {}
