use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv: Conv2d::new(16, 3)
        relu: ReLU,
        fc Linear::new(10),
    }
}

fn main() {
    let _ = Net::PARAMS;
}
