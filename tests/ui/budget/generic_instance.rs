// A budget on a generic model fails for the instance that exceeds it, when that instance is used.
use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(params <= 2K)]
    pub model Scaled<const C: u64> {
        conv: Conv2d::new(C, 3).padding(1),
    }
}

fn main() {
    println!("{}", Scaled::<16>::PARAMS);
    println!("{}", Scaled::<128>::PARAMS);
}
