use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        pool: MaxPool2d::new(0),
    }
}

fn main() {}
