use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(1, 28, 28))]
pub struct Net<B> {
    #[layer(Conv2d::new(6, 5))]
    pub conv: Vec<B>,
    pub dropout_p: f32,
    pub head: Option<Vec<B>>,
}

#[derive(ModelCost)]
pub struct Wrapper<T> {
    pub inner: T,
}

fn main() {}
