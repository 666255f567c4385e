use nncost::prelude::*;

network! {}

fn main() {}
