//! Layer names used again: in two unnamed groups they are two layers (numbered paths, both
//! costed); in one list they are one module applied again (burn's shared `dropout`), allowed
//! without weights and refused with them. Paths that were distinct stay as they were.
#![allow(dead_code)]

use nncost::prelude::*;

network! {
    /// Two pre-norm sub-blocks naming their norm alike, as Hugging Face and torchvision do.
    #[input(4, 16)]
    pub model TwoNorms {
        residual { norm: LayerNorm::new(16), fc: Linear::new(16) },
        residual { norm: LayerNorm::new(16), proj: Linear::new(16) },
        norm_out: LayerNorm::new(16),
    }

    /// burn's guide model as `network!` writes it: one dropout and one activation, applied
    /// where `forward` applies them.
    #[input(1, 28, 28)]
    pub model Guide {
        conv1: Conv2d::new(8, 3),
        dropout: Dropout::new(0.5),
        conv2: Conv2d::new(16, 3),
        dropout: Dropout::new(0.5),
        activation: ReLU,
        pool: AdaptiveAvgPool2d::new(8, 8),
        flatten: Flatten,
        linear1: Linear::new(512),
        dropout: Dropout::new(0.5),
        activation: ReLU,
        linear2: Linear::new(10),
    }

    /// A block that names a layer with weights twice (evaluated at run time below).
    pub block Shared {
        fc: Linear::new(8),
        act: ReLU,
        fc: Linear::new(8),
    }
}

#[test]
fn names_in_two_unnamed_groups_are_two_layers() {
    // Three LayerNorms of 2·16, two Linears of 16·16 + 16: every layer counted.
    assert_eq!(TwoNorms::PARAMS, 3 * 32 + 2 * 272);
    assert_eq!(
        TwoNorms::summary().paths(),
        ["norm", "fc", "add", "norm_2", "proj", "add_2", "norm_out"]
    );
}

#[test]
fn a_module_without_weights_is_applied_again_under_numbered_paths() {
    // 80 + 1,168 + 524,800 + 5,130, as burn's `num_params()` for the guide model.
    assert_eq!(Guide::PARAMS, 531_178);
    // Each application costs what it computes: the second ReLU's 512 FLOPs count again.
    let summary = Guide::summary();
    let paths = summary.paths();
    assert_eq!(
        paths,
        [
            "conv1",
            "dropout",
            "conv2",
            "dropout_2",
            "activation",
            "pool",
            "flatten",
            "linear1",
            "dropout_3",
            "activation_2",
            "linear2"
        ]
    );
    assert_eq!(summary.rows[4].cost.flops, 16 * 24 * 24);
    assert_eq!(summary.rows[9].cost.flops, 512);
}

#[test]
fn a_module_with_weights_named_again_is_refused() {
    let node = <Shared as ModelCost>::NODE;
    let error = nncost::evaluate("Net", &node, Shape::input(1, &[8])).unwrap_err();
    assert_eq!(
        error.message().as_str(),
        "Net.fc_2 (Linear): `fc` is named again here, and it has 72 parameters: two layers with \
         weights need two names; a module applied twice with the same weights is weight sharing, \
         which `network!` writes by naming the earlier entry as the item (`again: x -> fc`, its \
         weights counted once); a repeated name is for layers without weights, such as a dropout \
         or an activation used in several places"
    );
}

/// A derived struct whose forward pass applies its one `dropout` and `act` fields twice. (A
/// `forward(..)` of plain names that repeats one reads as a duplicated attribute to clippy.)
#[allow(clippy::duplicated_attributes)]
#[derive(ModelCost)]
#[nncost(input(32), forward(fc1, act, dropout, fc2, act, dropout, head))]
struct Mlp {
    #[layer(Linear::new(64))]
    fc1: (),
    #[layer(Linear::new(64))]
    fc2: (),
    #[layer(Linear::new(10))]
    head: (),
    #[layer(GELU)]
    act: (),
    #[layer(Dropout::new(0.1))]
    dropout: (),
}

#[test]
fn a_derived_field_applied_twice_gets_a_second_path() {
    assert_eq!(
        Mlp::PARAMS,
        (32 * 64 + 64) + (64 * 64 + 64) + (64 * 10 + 10)
    );
    assert_eq!(
        Mlp::summary().paths(),
        ["fc1", "act", "dropout", "fc2", "act_2", "dropout_2", "head"]
    );
}
