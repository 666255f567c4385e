use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Empty {}

    pub block Nothing {}
}

fn main() {}
