use nncost::prelude::*;

network! {
    #[input(8)]
    model Net -> (fc, aux) {
        fc: Linear::new(8),
        #[train_only]
        aux: Linear::new(2),
        sum: add { a: Linear::new(8), #[train_only] b: Linear::new(8) },
        #[shared]
        single: Linear::new(8),
        reads_aux: aux -> ReLU,
    }
}

fn main() {}
