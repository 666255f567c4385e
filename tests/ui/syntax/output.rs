use nncost::prelude::*;

network! {
    #[output(10)]
    pub block Head { fc: Linear::new(10) }

    #[input(32)]
    #[output()]
    pub model Empty { fc: Linear::new(10) }
}

fn main() {}
