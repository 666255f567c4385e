use nncost::prelude::*;

network! {
    #[input(8, 32, 32)]
    pub model Net {
        pool: MaxPool2d::new(3).padding(2),
    }
}

fn main() {}
