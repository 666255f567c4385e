// An empty `{}` as a branch (PyTorch's `nn.Identity()`) is refused with a hint to `Identity`.
use nncost::prelude::*;

network! {
    #[input(16, 8, 8)]
    pub model Gate {
        se: mul {
            input: {},
            scale: { pool: AdaptiveAvgPool2d::new(1, 1), fc: Conv2d::new(16, 1), gate: Sigmoid },
        },
        skip: residual { body: { conv: Conv2d::new(16, 3).padding(1) }, shortcut: {} },
    }
}

fn main() {}
