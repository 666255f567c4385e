use nncost::prelude::*;

network! {
    #[input(8)]
    model Net -> (out, head.fc, nothing) {
        head: { fc: Linear::new(4), act: ReLU },
        out: Linear::new(2),
    }
}

fn main() {}
