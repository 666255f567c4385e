use nncost::prelude::*;

network! {
    /// A crop written as Python's `x[..., :-3]`.
    #[input(16, 67)]
    pub model Net {
        crop: Narrow::new(-1, 0, -3),
    }
}

fn main() {}
