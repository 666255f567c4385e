use nncost::prelude::*;

network! {
    model Net(image: [3, 8, 8], mask: [1, 8, 8]) {
        conv: image -> Conv2d::new(8, 3),
    }
}

fn main() {}
