//! Behaviour of `network!` declarations: structure, naming, batch, generics, nesting across
//! crates. Numbers are worked out by hand in each test.

use nncost::prelude::*;
use nncost_test_blocks::{BasicBlock, Stem, Tiny};

network! {
    /// ResNet-18 built from blocks of another crate (which renames nncost to `nn`).
    #[input(3, 224, 224)]
    pub model ResNet18 {
        stem: Stem,
        layer1: [BasicBlock<64, 1>; 2],
        layer2: (BasicBlock<128, 2>, BasicBlock<128, 1>),
        layer3: (BasicBlock<256, 2>, BasicBlock<256, 1>),
        layer4: (BasicBlock<512, 2>, BasicBlock<512, 1>),
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// SqueezeNet's fire module: squeeze, then 1×1 and 3×3 expansions concatenated.
    pub block Fire<const S: u64, const E: u64> {
        squeeze: Conv2d::new(S, 1),
        squeeze_relu: ReLU,
        expand: concat {
            e1: { conv: Conv2d::new(E, 1), relu: ReLU },
            e3: { conv: Conv2d::new(E, 3).padding(1), relu: ReLU },
        },
    }

    /// One fire module on a batch of 4.
    #[input(96, 55, 55)]
    #[batch(4)]
    pub model FireNet {
        fire: Fire<16, 64>,
    }

    /// Gated branches: a sum and a product of two 1×1 convolutions.
    #[input(8, 4, 4)]
    pub model Gates {
        sum: add { a: Conv2d::new(8, 1), b: Conv2d::new(8, 1) },
        gate: mul { value: Conv2d::new(8, 1).bias(false), sigmoid: Sigmoid },
    }

    /// A model used as a block inside another model.
    #[input(3, 32, 32)]
    pub model Outer {
        inner: Tiny,
        pool: AdaptiveAvgPool2d::new(1, 1),
    }
}

/// A block generic over a type parameter, as a framework model over a backend.
pub struct CpuBackend;

network! {
    /// A head generic over a backend type `B`; `B` does not change the cost.
    pub block Head<B> {
        fc: Linear::new(10),
    }

    /// A model with a type parameter.
    #[input(32)]
    pub model Classifier<B> {
        head: Head<B>,
    }
}

#[test]
fn resnet18_from_another_crate_is_exact() {
    assert_eq!(ResNet18::PARAMS, 11_689_512);
    assert_eq!(ResNet18::MACS, 1_814_073_344);
    assert_eq!(ResNet18::OUTPUT_SHAPE, Shape::new(&[1, 1000]));
    // The stem BN, two BNs per block (4 blocks of each width), three downsample BNs.
    let bn_channels = 64 + 4 * 64 + 4 * 128 + 128 + 4 * 256 + 256 + 4 * 512 + 512;
    assert_eq!(ResNet18::BUFFERS, 2 * bn_channels);
}

#[test]
fn concat_branches_and_batch() {
    // squeeze 96→16 (1×1), expand 16→64 (1×1) and 16→64 (3×3), batch 4 at 55×55.
    let positions = 4 * 55 * 55;
    assert_eq!(
        FireNet::PARAMS,
        (96 * 16 + 16) + (16 * 64 + 64) + (16 * 64 * 9 + 64)
    );
    assert_eq!(FireNet::MACS, positions * (96 * 16 + 16 * 64 + 16 * 64 * 9));
    assert_eq!(FireNet::OUTPUT_SHAPE, Shape::new(&[4, 128, 55, 55]));
    assert_eq!(FireNet::INPUT_SHAPE, Shape::new(&[4, 96, 55, 55]));
}

#[test]
fn add_and_mul_merges() {
    let n = 8 * 4 * 4;
    assert_eq!(Gates::PARAMS, 3 * 8 * 8 + 2 * 8);
    assert_eq!(Gates::MACS, 3 * 16 * 8 * 8);
    // 3 convs (2 per MAC), 2 biases, the add, the sigmoid (4 per element) and the product.
    assert_eq!(Gates::FLOPS, 2 * Gates::MACS + 2 * n + n + 4 * n + n);
}

#[test]
fn models_nest_as_blocks() {
    assert_eq!(Outer::PARAMS, Tiny::PARAMS);
    assert_eq!(Outer::OUTPUT_SHAPE, Shape::new(&[1, 8, 1, 1]));
}

#[test]
fn type_parameters_do_not_change_cost() {
    assert_eq!(Classifier::<CpuBackend>::PARAMS, 330);
    assert_eq!(Classifier::<()>::MACS, 320);
}

network! {
    /// Two unnamed residuals in one block, as in a transformer block.
    pub block TwoResiduals {
        residual { ln_1: LayerNorm::new(16), fc_1: Linear::new(16) },
        residual { ln_2: LayerNorm::new(16), fc_2: Linear::new(16) },
    }

    /// Two such blocks.
    #[input(4, 16)]
    pub model Stack {
        h: [TwoResiduals; 2],
    }
}

#[test]
fn merges_without_names_get_distinct_paths() {
    let paths = Stack::summary().paths();
    let merges: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.contains("add"))
        .collect();
    assert_eq!(merges, ["h.0.add", "h.0.add_2", "h.1.add", "h.1.add_2"]);
    for summary in [Stack::summary(), ResNet18::summary(), FireNet::summary()] {
        let paths = summary.paths();
        let mut unique = paths.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), paths.len(), "duplicate paths in {paths:?}");
    }
}

#[test]
fn summary_paths_follow_the_declaration() {
    let summary = ResNet18::summary();
    let paths = summary.paths();
    for expected in [
        "stem.conv1",
        "layer1.0.conv1",
        "layer2.0.downsample",
        "layer4.1.bn2",
        "fc",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "missing {expected} in {paths:?}"
        );
    }
    // Only the first block of a stage that changes shape has a non-trivial projection.
    let row = |path: &str| summary.rows[paths.iter().position(|p| p == path).unwrap()];
    assert_eq!(row("layer2.0.downsample").cost.params, 128 * 64 + 2 * 128);
    assert_eq!(row("layer2.1.downsample").cost.params, 0);
    let table = summary.to_string();
    assert!(table.contains("ResNet18 (total)"));
    assert!(table.contains("11,689,512"));
    assert!(table.contains("1,814,073,344"));
}
