use nncost::prelude::*;

network! {
    #[input(8, 16, 16)]
    pub model Up {
        up: ConvTranspose2d::new(4, 3).stride(2).output_padding(2),
    }
}

fn main() {}
