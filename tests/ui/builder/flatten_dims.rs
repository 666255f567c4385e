use nncost::prelude::*;

network! {
    #[input(3, 8, 8)]
    pub model Net {
        flatten: Flatten::new(3, 1),
    }
}

fn main() {}
