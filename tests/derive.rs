//! `#[derive(ModelCost)]`: structs of every shape, residual and branch groups, and composition
//! with `network!` both ways and across crates (the blocks crate renames nncost to `nn`).
//! Numbers are worked out by hand, or compared with the same network written with `network!`.
//!
//! The structs here exist for their costs and are never built, so their fields are never read
//! (the derive reads types, not values); the lint-clean check of generated code is the blocks
//! crate, whose structs are public.
#![allow(dead_code)]

use std::marker::PhantomData;

use nncost::prelude::*;
use nncost::{Report, Summary};
use nncost_test_blocks::{
    BasicBlock, Borrowed, DerivedBasicBlock, DerivedFire, DerivedStem, Layer1, Stem, StemNet,
    Weights,
};

/// A backend type, as burn's `NdArray` or candle's `Cpu`.
struct Cpu;

/// A framework's layer modules, generic over the backend.
struct Conv<B>(PhantomData<B>);
struct Dense<B>(PhantomData<B>);

/// LeNet-5 as a framework struct: the weights live in `Conv<B>`/`Dense<B>`, the layers are
/// given by `#[layer]`, and a hyper-parameter is skipped.
#[derive(ModelCost)]
#[nncost(input(1, 28, 28), budget(params <= 62K, macs <= 417K))]
struct LeNet<B> {
    #[layer(Conv2d::new(6, 5).padding(2))]
    conv1: Conv<B>,
    #[layer(ReLU)]
    relu1: ReLU,
    #[layer(MaxPool2d::new(2))]
    pool1: (),
    #[layer(Conv2d::new(16, 5))]
    conv2: Conv<B>,
    #[layer(ReLU)]
    relu2: ReLU,
    #[layer(MaxPool2d::new(2))]
    pool2: (),
    flatten: Flatten,
    #[layer(Linear::new(120))]
    fc1: Dense<B>,
    relu3: ReLU,
    #[layer(Linear::new(84))]
    fc2: Dense<B>,
    relu4: ReLU,
    #[layer(Linear::new(10))]
    fc3: Dense<B>,
    #[nncost(skip)]
    dropout_p: f32,
}

#[test]
fn lenet5_derived_as_a_generic_struct() {
    assert_eq!(LeNet::<Cpu>::PARAMS, 61_706);
    assert_eq!(LeNet::<Cpu>::MACS, 416_520);
    assert_eq!(LeNet::<()>::OUTPUT_SHAPE, Shape::new(&[1, 10]));
    assert_eq!(LeNet::<Cpu>::INPUT_SHAPE, Shape::new(&[1, 1, 28, 28]));
    assert_eq!(<LeNet<Cpu> as Model>::NAME, "LeNet");
    assert_eq!(<LeNet<Cpu> as ModelCost>::NODE.kind(), "LeNet");
    // conv1 156 + conv2 2,416 + fc1 48,120 + fc2 10,164 + fc3 850.
    assert_eq!(156 + 2_416 + 48_120 + 10_164 + 850, LeNet::<Cpu>::PARAMS);
    // 6·28·28·25 + 16·10·10·150 + 400·120 + 120·84 + 84·10
    assert_eq!(
        117_600 + 240_000 + 48_000 + 10_080 + 840,
        LeNet::<Cpu>::MACS
    );
    let paths = LeNet::<Cpu>::summary().paths();
    assert_eq!(
        paths,
        [
            "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2",
            "relu4", "fc3"
        ]
    );
}

network! {
    /// ResNet basic block, for comparison with the derived one.
    pub block BasicBlockNet<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C).stride(S),
        },
        relu_out: ReLU,
    }

    /// torchvision's ResNet-18, written with `network!`.
    #[input(3, 224, 224)]
    pub model ResNet18 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: [BasicBlockNet<64, 1>; 2],
        layer2: (BasicBlockNet<128, 2>, BasicBlockNet<128, 1>),
        layer3: (BasicBlockNet<256, 2>, BasicBlockNet<256, 1>),
        layer4: (BasicBlockNet<512, 2>, BasicBlockNet<512, 1>),
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// ResNet-18 in `network!` from blocks derived in another crate.
    #[input(3, 224, 224)]
    pub model ResNet18FromDerived {
        stem: DerivedStem<Cpu>,
        layer1: [DerivedBasicBlock<Cpu, 64, 1>; 2],
        layer2: (DerivedBasicBlock<Cpu, 128, 2>, DerivedBasicBlock<Cpu, 128, 1>),
        layer3: (DerivedBasicBlock<Cpu, 256, 2>, DerivedBasicBlock<Cpu, 256, 1>),
        layer4: (DerivedBasicBlock<Cpu, 512, 2>, DerivedBasicBlock<Cpu, 512, 1>),
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }
}

/// ResNet-18 derived, generic over the backend, from blocks derived in another crate; the
/// stages are array and tuple fields, the stem a `network!` block of that crate.
#[derive(ModelCost)]
#[nncost(input(3, 224, 224), budget(params <= 12M, macs <= 1.9G))]
struct DerivedResNet18<B> {
    stem: Stem,
    layer1: [DerivedBasicBlock<B, 64, 1>; 2],
    layer2: (DerivedBasicBlock<B, 128, 2>, DerivedBasicBlock<B, 128, 1>),
    layer3: (DerivedBasicBlock<B, 256, 2>, DerivedBasicBlock<B, 256, 1>),
    layer4: (DerivedBasicBlock<B, 512, 2>, DerivedBasicBlock<B, 512, 1>),
    #[layer(AdaptiveAvgPool2d::new(1, 1))]
    avgpool: (),
    flatten: Flatten,
    #[layer(Linear::new(1000))]
    fc: Weights<B>,
}

/// The same with runtime-sized stages, as a framework holds them (`Vec` of blocks): the
/// structure is given by `#[layer]`, with `network!`'s item syntax.
#[derive(ModelCost)]
#[nncost(input(3, 224, 224))]
struct VecResNet18<B> {
    #[layer(Conv2d::new(64, 7).stride(2).padding(3).bias(false))]
    conv1: Weights<B>,
    #[layer(BatchNorm2d::new())]
    bn1: Weights<B>,
    relu: ReLU,
    #[layer(MaxPool2d::new(3).stride(2).padding(1))]
    maxpool: (),
    #[layer([DerivedBasicBlock<B, 64, 1>; 2])]
    layer1: Vec<DerivedBasicBlock<B, 64, 1>>,
    #[layer((DerivedBasicBlock<B, 128, 2>, DerivedBasicBlock<B, 128, 1>))]
    layer2: Vec<Weights<B>>,
    #[layer((BasicBlock<256, 2>, BasicBlock<256, 1>))]
    layer3: Vec<Weights<B>>,
    #[layer((BasicBlockNet<512, 2>, BasicBlockNet<512, 1>))]
    layer4: Vec<Weights<B>>,
    #[layer({ avgpool: AdaptiveAvgPool2d::new(1, 1), flatten: Flatten })]
    head: (),
    #[layer(Linear::new(1000))]
    fc: Weights<B>,
}

fn same_figures(a: &Report, b: &Report) {
    assert_eq!(a.cost, b.cost, "{} vs {}", a.name, b.name);
    assert_eq!(a.input, b.input);
    assert_eq!(a.output, b.output);
}

#[test]
fn resnet18_from_derived_blocks_equals_network() {
    assert_eq!(ResNet18::PARAMS, 11_689_512);
    assert_eq!(ResNet18::MACS, 1_814_073_344);
    assert_eq!(DerivedResNet18::<Cpu>::PARAMS, 11_689_512);
    assert_eq!(DerivedResNet18::<Cpu>::MACS, 1_814_073_344);
    assert_eq!(ResNet18FromDerived::PARAMS, 11_689_512);
    assert_eq!(ResNet18FromDerived::MACS, 1_814_073_344);
    assert_eq!(VecResNet18::<f32>::PARAMS, 11_689_512);
    for report in [
        DerivedResNet18::<Cpu>::REPORT,
        ResNet18FromDerived::REPORT,
        VecResNet18::<f32>::REPORT,
    ] {
        // Every figure (FLOPs and buffers included), not only params and MACs.
        same_figures(&report, &ResNet18::REPORT);
    }
    // The same layers, so the same summary rows, plus one for the `head` group.
    assert_eq!(VecResNet18::<f32>::REPORT.rows, ResNet18::REPORT.rows + 1);
}

#[test]
fn derived_block_summary_paths_match_network() {
    let derived = DerivedResNet18::<Cpu>::summary();
    let declared = ResNet18::summary();
    let tail = |s: &Summary| -> Vec<String> {
        s.paths()
            .into_iter()
            .filter(|p| p.starts_with("layer"))
            .collect()
    };
    // The residual group is transparent, as an unnamed `residual { }` in `network!`.
    assert_eq!(tail(&derived), tail(&declared));
    assert!(tail(&derived).contains(&"layer2.0.downsample".to_owned()));
    let kinds: Vec<&str> = derived.rows.iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&"DerivedBasicBlock"));
    assert!(kinds.contains(&"Stem"));
}

#[test]
fn residual_group_with_projection() {
    network! {
        #[input(64, 56, 56)]
        model Derived { block: DerivedBasicBlock<(), 128, 2> }
        #[input(64, 56, 56)]
        model Declared { block: BasicBlockNet<128, 2> }
    }
    same_figures(&Derived::REPORT, &Declared::REPORT);
    // conv1 64→128 3×3, conv2 128→128 3×3, projection 64→128 1×1, three BNs of 128.
    let params = 64 * 128 * 9 + 128 * 128 * 9 + 64 * 128 + 3 * 2 * 128;
    assert_eq!(Derived::PARAMS, params);
    assert_eq!(Derived::BUFFERS, 3 * 2 * 128);
    assert_eq!(Derived::OUTPUT_SHAPE, Shape::new(&[1, 128, 28, 28]));
}

#[test]
fn concat_group_over_tuple_fields() {
    network! {
        #[input(96, 55, 55)]
        #[batch(4)]
        model Derived { fire: DerivedFire<16, 64> }
    }
    let positions = 4 * 55 * 55;
    assert_eq!(
        Derived::PARAMS,
        (96 * 16 + 16) + (16 * 64 + 64) + (16 * 64 * 9 + 64)
    );
    assert_eq!(Derived::MACS, positions * (96 * 16 + 16 * 64 + 16 * 64 * 9));
    assert_eq!(Derived::OUTPUT_SHAPE, Shape::new(&[4, 128, 55, 55]));
    // Tuple fields are named by index; the concat's branches (1..=2, 3..=4) are transparent.
    let paths = Derived::summary().paths();
    for expected in [
        "fire.0",
        "fire.0.squeeze",
        "fire.1",
        "fire.2",
        "fire.3",
        "fire.4",
        "fire.concat",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
}

/// Branches that are single fields are named by them; `add` and `mul` merge elementwise, and
/// a group's `after` layers run after the merge.
#[derive(ModelCost)]
#[nncost(input(8, 4, 4), add(a, b, after(relu: ReLU)), mul(value, gate))]
struct Gates {
    #[layer(Conv2d::new(8, 1))]
    a: (),
    #[layer(Conv2d::new(8, 1))]
    b: (),
    #[layer(Conv2d::new(8, 1).bias(false))]
    value: (),
    gate: Sigmoid,
}

#[test]
fn add_and_mul_groups() {
    let n = 8 * 4 * 4;
    assert_eq!(Gates::PARAMS, 3 * 8 * 8 + 2 * 8);
    assert_eq!(Gates::MACS, 3 * 16 * 8 * 8);
    // 3 convs (2 per MAC), 2 biases, the add, the ReLU after it, the sigmoid (4 per element)
    // and the product.
    assert_eq!(Gates::FLOPS, 2 * Gates::MACS + 2 * n + n + n + 4 * n + n);
    let paths = Gates::summary().paths();
    assert_eq!(paths, ["a", "b", "add", "relu", "value", "gate", "mul"]);
}

/// A residual without a shortcut (the identity), in a tuple struct, with a skipped field
/// inside the range and a residual body that is a single field.
#[derive(ModelCost)]
#[nncost(input(16, 8, 8), residual(0..=2), residual(3))]
struct Twice(
    #[layer(Conv2d::new(16, 3).padding(1))] (),
    #[nncost(skip)] u8,
    #[layer(ReLU)] (),
    #[layer(Conv2d::new(16, 1))] (),
);

#[test]
fn identity_shortcut_and_skipped_fields_inside_a_group() {
    let n = 16 * 8 * 8;
    assert_eq!(Twice::PARAMS, (16 * 16 * 9 + 16) + (16 * 16 + 16));
    // Two residual adds of n elements each, on top of the layers' own FLOPs.
    let layers = 2 * Twice::MACS + 16 * 64 * 2 + n;
    assert_eq!(Twice::FLOPS, layers + 2 * n);
    // The second merge of the same model is numbered, so every path is distinct.
    let paths = Twice::summary().paths();
    assert_eq!(paths, ["0", "2", "add", "3", "add_2"]);
}

/// Every kind of generic parameter; a field whose type is a type parameter needs the bound.
#[derive(ModelCost)]
struct Generic<'a, T: ModelCost, B = Cpu, const W: u64 = 8>
where
    B: 'a,
{
    #[layer(Linear::new(W))]
    fc: &'a [B],
    inner: T,
    #[nncost(skip)]
    _marker: PhantomData<B>,
}

#[test]
fn generics_lifetimes_defaults_and_where_clauses() {
    network! {
        #[input(4)]
        model Wide { g: Generic<'static, ReLU, Cpu, 32> }
        #[input(4)]
        model Default { g: Generic<'static, GELU> }
    }
    assert_eq!(Wide::PARAMS, 4 * 32 + 32);
    assert_eq!(Default::PARAMS, 4 * 8 + 8);
    assert_eq!(Default::OUTPUT_SHAPE, Shape::new(&[1, 8]));
    // A borrowed view from another crate, with a where-clause.
    network! {
        #[input(3)]
        model View { v: Borrowed<'static, u8, 5> }
    }
    assert_eq!(View::PARAMS, 3 * 5 + 5);
}

#[test]
fn blocks_compose_both_ways_across_crates() {
    // A `network!` block (other crate) whose entries are derived blocks (same crate as it).
    network! {
        #[input(64, 56, 56)]
        model UsesLayer1 { layer1: Layer1 }
    }
    network! {
        #[input(64, 56, 56)]
        model Reference { layer1: [BasicBlock<64, 1>; 2] }
    }
    same_figures(&UsesLayer1::REPORT, &Reference::REPORT);
    // A derived model from the other crate, with its batch and budget.
    assert_eq!(StemNet::INPUT_SHAPE, Shape::new(&[2, 3, 224, 224]));
    assert_eq!(
        StemNet::PARAMS,
        (3 * 64 * 49 + 2 * 64) + (2 * 64 * 64 * 9 + 2 * 2 * 64)
    );
    // A model used as a block in a derived struct.
    #[derive(ModelCost)]
    #[nncost(input(3, 224, 224))]
    struct Outer {
        inner: StemNet,
    }
    assert_eq!(Outer::PARAMS, StemNet::PARAMS);
    assert_eq!(Outer::MACS * 2, StemNet::MACS);
}

#[test]
fn a_block_without_input_has_no_model_figures() {
    // `DerivedBasicBlock` implements `ModelCost` only; its NODE is a named block.
    let node = <DerivedBasicBlock<Cpu, 64, 1> as ModelCost>::NODE;
    assert_eq!(node.kind(), "DerivedBasicBlock");
    let report = nncost::evaluate("Probe", &node, Shape::input(1, &[64, 8, 8])).unwrap();
    assert_eq!(report.cost.params, 2 * 64 * 64 * 9 + 2 * 2 * 64);
}

/// burn's MNIST example model: the fields are not in forward order (`activation` is declared
/// last but runs after `fc1`), and the flatten has no field. `skip` and `before`/`after`
/// describe the forward pass without touching the fields.
#[derive(ModelCost)]
#[nncost(input(1, 28, 28))]
struct BurnMnist<B> {
    #[layer({ conv: Conv2d::new(8, 3), norm: BatchNorm2d::new(), gelu: GELU })]
    conv1: Weights<B>,
    #[layer({ conv: Conv2d::new(16, 3), norm: BatchNorm2d::new(), gelu: GELU })]
    conv2: Weights<B>,
    #[layer({ conv: Conv2d::new(24, 3), norm: BatchNorm2d::new(), gelu: GELU })]
    #[nncost(after(flatten: Flatten))]
    conv3: Weights<B>,
    #[nncost(skip)]
    dropout: Dropout,
    #[layer(Linear::new(32))]
    #[nncost(after(gelu: GELU, dropout_fc: Dropout::new(0.5)))]
    fc1: Weights<B>,
    #[layer(Linear::new(10))]
    fc2: Weights<B>,
    #[nncost(skip)]
    activation: GELU,
}

#[test]
fn before_and_after_give_layers_without_fields() {
    // 28 → 26 → 24 → 22 (3×3, no padding); 24·22·22 = 11,616 features into fc1.
    let convs = (8 * 9 + 8 + 2 * 8) + (16 * 8 * 9 + 16 + 2 * 16) + (24 * 16 * 9 + 24 + 2 * 24);
    let fcs = (11_616 * 32 + 32) + (32 * 10 + 10);
    assert_eq!(BurnMnist::<Cpu>::PARAMS, convs + fcs);
    assert_eq!(BurnMnist::<Cpu>::OUTPUT_SHAPE, Shape::new(&[1, 10]));
    let paths = BurnMnist::<Cpu>::summary().paths();
    assert_eq!(
        paths[paths.len() - 6..],
        ["conv3.gelu", "flatten", "fc1", "gelu", "dropout_fc", "fc2"]
    );
}

/// Token ids in, as `network!`'s `#[input(tokens = L)]`.
#[derive(ModelCost)]
#[nncost(input(tokens = 16), batch = 2)]
struct Embed<B> {
    #[layer(Embedding::new(100, 8))]
    wte: Weights<B>,
    #[layer(Linear::new(100).bias(false))]
    head: Weights<B>,
}

#[test]
fn token_input() {
    assert_eq!(Embed::<Cpu>::INPUT_SHAPE, Shape::new(&[2, 16]));
    assert_eq!(Embed::<Cpu>::OUTPUT_SHAPE, Shape::new(&[2, 16, 100]));
    assert_eq!(Embed::<Cpu>::PARAMS, 100 * 8 + 8 * 100);
    assert_eq!(Embed::<Cpu>::MACS, 2 * 16 * 8 * 100);
}

/// The weight and activation dtypes, as `network!`'s `#[dtype(..)]`.
#[derive(ModelCost)]
#[nncost(input(16), dtype(weights = int8, activations = f16))]
struct Quantized<B> {
    #[layer(Linear::new(32).bias(false))]
    fc: Weights<B>,
}

#[test]
fn dtypes_give_memory_figures() {
    assert_eq!(Quantized::<Cpu>::PARAMS, 16 * 32);
    // One byte per int8 weight.
    assert_eq!(Quantized::<Cpu>::WEIGHT_BYTES, 16 * 32);
    // The f32 default: four bytes per weight.
    assert_eq!(LeNet::<Cpu>::WEIGHT_BYTES, 4 * 61_706);
}
