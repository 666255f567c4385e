use nncost::prelude::*;

network! {
    /// A custom op declared for [1, 64, 32] and given [1, 32, 32].
    #[input(32, 32)]
    pub model Net {
        scan: Custom::new("SelectiveScan").input(&[1, 64, 32]).flops(1_000),
    }
}

fn main() {}
