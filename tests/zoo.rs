//! The zoo against torchvision: every model's params and MACs as plain consts, MobileNetV2's
//! width and resolution parameters, the shared blocks' structure, and the zoo used from outside.

use nncost::prelude::*;
use nncost::zoo::{self, make_divisible};
use nncost::Report;

/// One zoo model's figures as read by a user, and torchvision's.
struct Case {
    name: &'static str,
    params: u64,
    macs: u64,
    expected_params: u64,
    expected_macs: u64,
}

macro_rules! case {
    ($ty:ty, $params:expr, $macs:expr) => {
        Case {
            name: <$ty as Model>::NAME,
            params: <$ty>::PARAMS,
            macs: <$ty>::MACS,
            expected_params: $params,
            expected_macs: $macs,
        }
    };
}

/// DESIGN.md's reference table (torchvision, batch 1, 3×224×224).
#[test]
fn every_model_matches_torchvision() {
    // Plain consts, as a user reads them.
    assert_eq!(zoo::ResNet50::PARAMS, 25_557_032);
    assert_eq!(zoo::ResNet50::MACS, 4_089_184_256);
    assert_eq!(zoo::MobileNetV2::PARAMS, 3_504_872);
    assert_eq!(zoo::MobileNetV2Scaled::<100, 224>::MACS, 300_774_272);

    let cases = [
        case!(zoo::AlexNet, 61_100_840, 714_188_480),
        case!(zoo::Vgg11, 132_863_336, 7_609_090_048),
        case!(zoo::Vgg16, 138_357_544, 15_470_264_320),
        case!(zoo::Vgg16Bn, 138_365_992, 15_470_264_320),
        case!(zoo::Vgg19, 143_667_240, 19_632_062_464),
        case!(zoo::ResNet18, 11_689_512, 1_814_073_344),
        case!(zoo::ResNet34, 21_797_672, 3_663_761_408),
        case!(zoo::ResNet50, 25_557_032, 4_089_184_256),
        case!(zoo::ResNet101, 44_549_160, 7_801_405_440),
        case!(zoo::ResNet152, 60_192_808, 11_513_626_624),
        case!(zoo::ResNext50_32x4d, 25_028_904, 4_230_479_872),
        case!(zoo::WideResNet50_2, 68_883_240, 11_398_021_120),
        case!(zoo::SqueezeNet1_0, 1_248_424, 818_924_576),
        case!(zoo::SqueezeNet1_1, 1_235_496, 349_151_936),
        case!(zoo::MobileNetV2, 3_504_872, 300_774_272),
        case!(zoo::MnasNet1_0, 4_383_312, 314_415_872),
        case!(zoo::RegNetY800MF, 6_432_512, 833_856_256),
        case!(zoo::EfficientNetV2S, 21_458_488, 8_365_617_152),
        case!(zoo::ConvNextSmall, 50_223_688, 8_683_712_256),
    ];
    let mut wrong = Vec::new();
    for c in &cases {
        if (c.params, c.macs) != (c.expected_params, c.expected_macs) {
            wrong.push(format!(
                "{}: params {} (torchvision {}), MACs {} (torchvision {})",
                c.name, c.params, c.expected_params, c.macs, c.expected_macs
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every zoo model's report, in the order of DESIGN.md's tables.
fn all_reports() -> [Report; 19] {
    [
        zoo::AlexNet::REPORT,
        zoo::Vgg11::REPORT,
        zoo::Vgg16::REPORT,
        zoo::Vgg16Bn::REPORT,
        zoo::Vgg19::REPORT,
        zoo::ResNet18::REPORT,
        zoo::ResNet34::REPORT,
        zoo::ResNet50::REPORT,
        zoo::ResNet101::REPORT,
        zoo::ResNet152::REPORT,
        zoo::ResNext50_32x4d::REPORT,
        zoo::WideResNet50_2::REPORT,
        zoo::SqueezeNet1_0::REPORT,
        zoo::SqueezeNet1_1::REPORT,
        zoo::MobileNetV2::REPORT,
        zoo::MnasNet1_0::REPORT,
        zoo::EfficientNetV2S::REPORT,
        zoo::ConvNextSmall::REPORT,
        zoo::RegNetY800MF::REPORT,
    ]
}

/// Every model takes one 3×224×224 image (EfficientNetV2-S 3×384×384) and ends in 1000
/// classes, under its own name.
#[test]
fn shapes_and_names() {
    let output = Shape::new(&[1, 1000]);
    let reports = all_reports();
    for r in &reports {
        let side = if r.name == "EfficientNetV2S" {
            384
        } else {
            224
        };
        let input = Shape::new(&[1, 3, side, side]);
        assert_eq!((r.input, r.output), (input, output), "{}", r.name);
    }
    let names: Vec<&str> = reports.iter().map(|r| r.name).collect();
    assert_eq!(
        names,
        [
            "AlexNet",
            "Vgg11",
            "Vgg16",
            "Vgg16Bn",
            "Vgg19",
            "ResNet18",
            "ResNet34",
            "ResNet50",
            "ResNet101",
            "ResNet152",
            "ResNext50_32x4d",
            "WideResNet50_2",
            "SqueezeNet1_0",
            "SqueezeNet1_1",
            "MobileNetV2Scaled",
            "MnasNet1_0",
            "EfficientNetV2S",
            "ConvNextSmall",
            "RegNetY800MF",
        ]
    );
    // Zoo models are f32 (PyTorch's default): 4 bytes a parameter.
    assert_eq!(zoo::ResNet50::WEIGHT_BYTES, 4 * zoo::ResNet50::PARAMS);
    assert_eq!(zoo::MobileNetV2::WEIGHT_BYTES, 4 * 3_504_872);
    // BatchNorm is the only buffer owner: VGG without it has none.
    assert_eq!(zoo::Vgg16::BUFFERS, 0);
    assert_eq!(
        zoo::Vgg16Bn::BUFFERS,
        zoo::Vgg16Bn::PARAMS - zoo::Vgg16::PARAMS
    );
}

/// Buffers as PyTorch counts them (torchvision 0.29, `model.buffers()`): floating-point ones
/// (`BUFFERS`: BatchNorm's running mean and variance) and all of them (`ALL_BUFFERS`: plus one
/// int64 `num_batches_tracked` per BatchNorm).
#[test]
fn buffers_match_torchvision() {
    let cases = [
        (zoo::EfficientNetV2S::REPORT, 153_872, 153_982),
        (zoo::ConvNextSmall::REPORT, 0, 0),
        (zoo::RegNetY800MF::REPORT, 30_432, 30_479),
    ];
    for (report, float, all) in cases {
        assert_eq!(
            (report.cost.buffers, report.cost.all_buffers()),
            (float, all),
            "{}",
            report.name
        );
    }
    assert_eq!(zoo::EfficientNetV2S::ALL_BUFFERS, 153_982);
    // EfficientNetV2-S has 110 BatchNorms: stem, 2 + 4·2 + 4·2 in the fused stages, 3 in each
    // of the 30 MBConvs, and the head.
    assert_eq!(1 + 2 + 8 + 8 + 3 * 30 + 1, 153_982 - 153_872);
    // RegNetY-800MF has 47: the stem, 3 per block (14 blocks) and 4 projections.
    assert_eq!(1 + 3 * 14 + 4, 30_479 - 30_432);
    // VGG-16-BN: one BatchNorm after each of its 13 convolutions.
    assert_eq!(zoo::Vgg16Bn::ALL_BUFFERS - zoo::Vgg16Bn::BUFFERS, 13);
}

/// `1,814,073,344` → 1814073344.
fn number(text: &str) -> u64 {
    text.trim()
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

/// The figures the docs state, each model's `**P params, M MACs**` line and the module's
/// table, are the ones the compiler computes (and asserts against torchvision).
#[test]
fn docs_state_the_computed_figures() {
    let families = [
        include_str!("../src/zoo/alexnet.rs"),
        include_str!("../src/zoo/vgg.rs"),
        include_str!("../src/zoo/resnet.rs"),
        include_str!("../src/zoo/squeezenet.rs"),
        include_str!("../src/zoo/mobilenet.rs"),
        include_str!("../src/zoo/mnasnet.rs"),
        include_str!("../src/zoo/efficientnet.rs"),
        include_str!("../src/zoo/convnext.rs"),
        include_str!("../src/zoo/regnet.rs"),
    ];
    let mut stated: Vec<(String, u64, u64)> = Vec::new();
    for source in families {
        let mut figures = None;
        for line in source.lines().map(str::trim) {
            if let Some((_, rest)) = line.split_once("/// **") {
                let (text, _) = rest.split_once("**").expect("closing **");
                let (params, macs) = text.split_once(" params, ").expect("`P params, M MACs`");
                let macs = macs.strip_suffix(" MACs").expect("`M MACs`");
                figures = Some((number(params), number(macs)));
            }
            if let Some(rest) = line.strip_prefix("pub model ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let (params, macs) = figures
                    .take()
                    .unwrap_or_else(|| panic!("{name}'s docs state no `**P params, M MACs**`"));
                stated.push((name, params, macs));
            }
        }
    }
    let reports = all_reports();
    // The module's table (rows of the CNNs; other zoo families may document themselves
    // differently).
    for line in include_str!("../src/zoo/mod.rs").lines() {
        if let Some(rest) = line.strip_prefix("//! | [`") {
            let (name, rest) = rest.split_once('`').expect("closing `");
            // `MobileNetV2` is the type alias of `MobileNetV2Scaled<100, 224>`.
            let name = if name == "MobileNetV2" {
                "MobileNetV2Scaled"
            } else {
                name
            };
            if reports.iter().any(|r| r.name == name) {
                let cells: Vec<&str> = rest.split('|').collect();
                stated.push((name.to_owned(), number(cells[2]), number(cells[3])));
            }
        }
    }
    for report in &reports {
        let found: Vec<_> = stated.iter().filter(|s| s.0 == report.name).collect();
        assert_eq!(
            found.len(),
            2,
            "{} should be stated in its docs and in the module table",
            report.name
        );
        for (name, params, macs) in found {
            assert_eq!(
                (*params, *macs),
                (report.cost.params, report.cost.macs),
                "{name}: docs vs computed"
            );
        }
    }
}

/// torchvision's `_make_divisible(c * (w / 100), 8)`, evaluated by Python 3 for each channel
/// count `c` and width `w` in `WIDTHS` percent.
#[test]
fn make_divisible_is_torchvisions() {
    const WIDTHS: [u64; 9] = [10, 25, 35, 50, 75, 100, 130, 140, 200];
    let table: [(u64, [u64; 9]); 12] = [
        (3, [8, 8, 8, 8, 8, 8, 8, 8, 8]),
        (16, [8, 8, 8, 8, 16, 16, 24, 24, 32]),
        (24, [8, 8, 8, 16, 24, 24, 32, 32, 48]),
        (32, [8, 8, 16, 16, 24, 32, 40, 48, 64]),
        (40, [8, 16, 16, 24, 32, 40, 56, 56, 80]),
        (64, [8, 16, 24, 32, 48, 64, 80, 88, 128]),
        (80, [8, 24, 32, 40, 64, 80, 104, 112, 160]),
        (96, [16, 24, 32, 48, 72, 96, 128, 136, 192]),
        (160, [16, 40, 56, 80, 120, 160, 208, 224, 320]),
        (192, [24, 48, 64, 96, 144, 192, 248, 272, 384]),
        (320, [32, 80, 112, 160, 240, 320, 416, 448, 640]),
        (1280, [128, 320, 448, 640, 960, 1280, 1664, 1792, 2560]),
    ];
    for (channels, expected) in table {
        for (width, expected) in WIDTHS.into_iter().zip(expected) {
            assert_eq!(
                make_divisible(channels, width, 8),
                expected,
                "make_divisible({channels}, {width}, 8)"
            );
        }
    }
    // Where Python's float product falls just below a rounding boundary (115.99999999999999,
    // 251.99999999999997, 491.99999999999994), torchvision builds the smaller layer; so does
    // nncost (exact arithmetic would give 120, 256, 496).
    let float_edges = [
        (50, 232, 112),
        (100, 116, 112),
        (200, 58, 112),
        (400, 29, 112),
        (180, 140, 248),
        (360, 70, 248),
        (240, 205, 488),
    ];
    for (channels, width, expected) in float_edges {
        assert_eq!(
            make_divisible(channels, width, 8),
            expected,
            "{channels} × {width}%"
        );
    }
    // Usable in consts.
    const STEM: u64 = make_divisible(32, 75, 8);
    assert_eq!(STEM, 24);
}

/// MobileNetV2's width multiplier and resolution, against a plain-Python re-statement of
/// torchvision's `MobileNetV2.__init__` (float `_make_divisible`, `Conv2dNormActivation`
/// padding `(k - 1) // 2`, `hidden = round(inp * t)`, head `_make_divisible(1280 * max(1, w))`)
/// that sums conv/linear weights, BatchNorm affine params, and conv/linear MACs; it reproduces
/// torchvision's `mobilenet_v2()` (3,504,872 / 300,774,272) exactly.
#[test]
fn mobilenet_v2_width_and_resolution() {
    assert_eq!(
        zoo::MobileNetV2::REPORT,
        zoo::MobileNetV2Scaled::<100, 224>::REPORT
    );
    let cases: [(u64, u64, u64, u64, Shape); 9] = [
        (
            100,
            224,
            3_504_872,
            300_774_272,
            Shape::new(&[1, 3, 224, 224]),
        ),
        (
            50,
            160,
            1_968_680,
            50_184_000,
            Shape::new(&[1, 3, 160, 160]),
        ),
        (35, 96, 1_677_128, 11_934_128, Shape::new(&[1, 3, 96, 96])),
        (
            35,
            224,
            1_677_128,
            59_285_808,
            Shape::new(&[1, 3, 224, 224]),
        ),
        (
            75,
            192,
            2_636_424,
            153_941_888,
            Shape::new(&[1, 3, 192, 192]),
        ),
        (
            130,
            224,
            5_386_792,
            509_374_560,
            Shape::new(&[1, 3, 224, 224]),
        ),
        (
            140,
            224,
            6_108_776,
            582_195_824,
            Shape::new(&[1, 3, 224, 224]),
        ),
        (
            50,
            224,
            1_968_680,
            97_131_840,
            Shape::new(&[1, 3, 224, 224]),
        ),
        (
            75,
            128,
            2_636_424,
            69_129_728,
            Shape::new(&[1, 3, 128, 128]),
        ),
    ];
    let reports = [
        zoo::MobileNetV2Scaled::<100, 224>::REPORT,
        zoo::MobileNetV2Scaled::<50, 160>::REPORT,
        zoo::MobileNetV2Scaled::<35, 96>::REPORT,
        zoo::MobileNetV2Scaled::<35, 224>::REPORT,
        zoo::MobileNetV2Scaled::<75, 192>::REPORT,
        zoo::MobileNetV2Scaled::<130, 224>::REPORT,
        zoo::MobileNetV2Scaled::<140, 224>::REPORT,
        zoo::MobileNetV2Scaled::<50, 224>::REPORT,
        zoo::MobileNetV2Scaled::<75, 128>::REPORT,
    ];
    for ((width, resolution, params, macs, input), report) in cases.into_iter().zip(reports) {
        assert_eq!(
            (report.cost.params, report.cost.macs, report.input),
            (params, macs, input),
            "MobileNetV2<{width}, {resolution}>"
        );
    }
}

#[cfg(feature = "std")]
mod structure {
    use super::*;

    /// How many rows of `kind` the model's summary has, and how many of them have parameters.
    fn count<M: Model>(kind: &str) -> (usize, usize) {
        let summary = nncost::Summary::of::<M>();
        let rows: Vec<_> = summary.rows.iter().filter(|r| r.kind == kind).collect();
        let with_params = rows.iter().filter(|r| r.cost.params > 0).count();
        (rows.len(), with_params)
    }

    /// Residual connections sit where torchvision puts them: every ResNet block; MobileNetV2's
    /// and MnasNet's inverted residuals with stride 1 and kept channels; nowhere else. The
    /// residual add has no params or MACs, so the reference figures cannot see a missing one.
    #[test]
    fn residual_adds_where_torchvision_has_them() {
        assert_eq!(count::<zoo::ResNet18>("Add").0, 8);
        assert_eq!(count::<zoo::ResNet34>("Add").0, 16);
        assert_eq!(count::<zoo::ResNet50>("Add").0, 16);
        assert_eq!(count::<zoo::ResNet101>("Add").0, 33);
        assert_eq!(count::<zoo::ResNet152>("Add").0, 50);
        assert_eq!(count::<zoo::ResNext50_32x4d>("Add").0, 16);
        assert_eq!(count::<zoo::WideResNet50_2>("Add").0, 16);
        // Stages' later blocks: 1 + 2 + 3 + 2 + 2 (the 64 → 96 stage starts at stride 1 but
        // changes channels, so its first block has none).
        assert_eq!(count::<zoo::MobileNetV2>("Add").0, 10);
        // Stacks' later blocks: 2 + 2 + 2 + 1 + 3 + 0.
        assert_eq!(count::<zoo::MnasNet1_0>("Add").0, 10);
        assert_eq!(count::<zoo::Vgg16>("Add").0, 0);
        assert_eq!(count::<zoo::SqueezeNet1_0>("Add").0, 0);
        // At width 35% stage1's 32 → 16 becomes 16 → 8: still no residual there.
        assert_eq!(count::<zoo::MobileNetV2Scaled<35, 224>>("Add").0, 10);
    }

    /// The `downsample` shortcut is a convolution only where torchvision builds one: the first
    /// block of each stage that changes the shape (also layer1 for bottlenecks, 64 → 256).
    #[test]
    fn downsample_only_when_the_shape_changes() {
        assert_eq!(count::<zoo::ResNet18>("Projection"), (8, 3));
        assert_eq!(count::<zoo::ResNet34>("Projection"), (16, 3));
        assert_eq!(count::<zoo::ResNet50>("Projection"), (16, 4));
        assert_eq!(count::<zoo::ResNet152>("Projection"), (50, 4));
        assert_eq!(count::<zoo::ResNext50_32x4d>("Projection"), (16, 4));
    }

    /// One bottleneck, three papers: the inner 3×3 convolution of layer1 is 64 wide in
    /// ResNet-50, 128 wide in 32 groups in ResNeXt-50 32×4d, 128 wide dense in Wide ResNet-50-2.
    #[test]
    fn bottleneck_width_and_groups() {
        fn conv2<M: Model>() -> (Shape, u64) {
            let summary = nncost::Summary::of::<M>();
            let at = summary
                .paths()
                .iter()
                .position(|p| p == "layer1.first.conv2")
                .expect("layer1.first.conv2");
            (summary.rows[at].output, summary.rows[at].cost.params)
        }
        assert_eq!(
            conv2::<zoo::ResNet50>(),
            (Shape::new(&[1, 64, 56, 56]), 64 * 64 * 9)
        );
        assert_eq!(
            conv2::<zoo::ResNext50_32x4d>(),
            (Shape::new(&[1, 128, 56, 56]), 128 * 4 * 9)
        );
        assert_eq!(
            conv2::<zoo::WideResNet50_2>(),
            (Shape::new(&[1, 128, 56, 56]), 128 * 128 * 9)
        );
    }

    /// MnasNet's depthwise kernels are 3 or 5 as its stacks say; a 5×5 depthwise conv on
    /// `c` channels has `25·c` params.
    #[test]
    fn mnasnet_kernels() {
        let summary = nncost::Summary::of::<zoo::MnasNet1_0>();
        let paths = summary.paths();
        let params = |path: &str| {
            let at = paths.iter().position(|p| p == path).expect(path);
            summary.rows[at].cost.params
        };
        assert_eq!(params("stack1.first.conv.depthwise"), 16 * 3 * 9);
        assert_eq!(params("stack2.first.conv.depthwise"), 24 * 3 * 25);
        assert_eq!(params("stack5.rest.2.conv.depthwise"), 192 * 6 * 25);
        assert_eq!(params("stack6.first.conv.depthwise"), 192 * 6 * 9);
    }

    /// The modern models' merges: one squeeze-and-excitation `mul` per MBConv (30) and per
    /// RegNet block (14), one layer-scale `mul` per ConvNeXt block (36); residual adds where
    /// torchvision has them; no upsample anywhere (the scales broadcast).
    #[test]
    fn squeeze_excitation_layer_scale_and_residuals() {
        // Merge rows only (a named `mul { .. }` group also has a row of that kind).
        fn merges<M: Model>(kind: &str) -> usize {
            let summary = nncost::Summary::of::<M>();
            summary
                .rows
                .iter()
                .filter(|r| r.kind == kind && !r.group)
                .count()
        }
        assert_eq!(merges::<zoo::EfficientNetV2S>("Mul"), 6 + 9 + 15);
        assert_eq!(merges::<zoo::RegNetY800MF>("Mul"), 1 + 3 + 8 + 2);
        assert_eq!(merges::<zoo::ConvNextSmall>("Mul"), 3 + 3 + 27 + 3);
        // Blocks with stride 1 and kept channels: both of stage 1 (24 → 24 at stride 1), and
        // every block but the first of the other stages.
        assert_eq!(
            merges::<zoo::EfficientNetV2S>("Add"),
            2 + 3 + 3 + 5 + 8 + 14
        );
        assert_eq!(merges::<zoo::RegNetY800MF>("Add"), 14);
        assert_eq!(merges::<zoo::ConvNextSmall>("Add"), 36);
        // The layer scales: one [C, 1, 1] parameter per block, C params each, no MACs.
        assert_eq!(
            count::<zoo::ConvNextSmall>("Parameter"),
            (36, 36),
            "one gamma per CNBlock"
        );
        for model in [
            nncost::Summary::of::<zoo::EfficientNetV2S>(),
            nncost::Summary::of::<zoo::ConvNextSmall>(),
            nncost::Summary::of::<zoo::RegNetY800MF>(),
        ] {
            assert!(
                !model.rows.iter().any(|r| r.kind == "Upsample"),
                "{}",
                model.report.name
            );
        }
        // RegNet's projection shortcut: the first block of each stage (the width changes).
        assert_eq!(count::<zoo::RegNetY800MF>("Projection"), (14, 4));
    }

    /// Where a layer scale sits and what it costs, read from ConvNeXt-S's summary.
    #[test]
    fn convnext_layer_scale_rows() {
        let summary = nncost::Summary::of::<zoo::ConvNextSmall>();
        let paths = summary.paths();
        let row = |path: &str| {
            let at = paths.iter().position(|p| p == path).expect(path);
            summary.rows[at]
        };
        let gamma = row("features.stage3.26.layer_scale.gamma");
        assert_eq!((gamma.kind, gamma.cost.params), ("Parameter", 384));
        assert_eq!(gamma.output, Shape::new(&[384, 1, 1]));
        // The multiply: [1, 384, 14, 14] times [384, 1, 1], one FLOP per output element.
        let mul = row("features.stage3.26.layer_scale.mul");
        assert_eq!(mul.output, Shape::new(&[1, 384, 14, 14]));
        assert_eq!((mul.cost.macs, mul.cost.flops), (0, 384 * 14 * 14));
        // It reads the block's output and gamma at their own sizes and writes its output (f32).
        assert_eq!(mul.memory.access, 4 * (384 * 14 * 14 + 384 + 384 * 14 * 14));
    }
}

// The zoo from a user's crate: budgets on zoo models (defaults apply in type position), zoo
// models nested in a user's model, and the zoo's blocks reused for a new variant.
nncost::assert_budget!(zoo::MobileNetV2: params <= 3.6M, macs <= 310M);
nncost::assert_budget!(zoo::MobileNetV2Scaled<50, 160>: macs <= 51M);
nncost::const_assert!(zoo::ResNet18::MACS < 10 * zoo::MobileNetV2::MACS);

network! {
    /// ResNet-26: ResNet-50's bottleneck with two blocks per stage, from the zoo's blocks.
    #[input(3, 224, 224)]
    model ResNet26 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: zoo::BottleneckStage<64, 2, 1, 1, 64>,
        layer2: zoo::BottleneckStage<128, 2, 2, 1, 64>,
        layer3: zoo::BottleneckStage<256, 2, 2, 1, 64>,
        layer4: zoo::BottleneckStage<512, 2, 2, 1, 64>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// Two zoo backbones side by side, features concatenated.
    #[input(3, 224, 224)]
    model TwoBackbones {
        concat {
            mobile: zoo::MobileNetV2,
            mnas: zoo::MnasNet1_0,
        },
    }
}

#[test]
fn zoo_inside_user_models() {
    // ResNet-50 minus the blocks ResNet-26 drops (1, 2, 4 and 1 identity-shortcut bottlenecks
    // of 64, 128, 256 and 512 planes, each 17·p² + 12·p params).
    let block = |p: u64| 17 * p * p + 12 * p;
    let dropped = block(64) + 2 * block(128) + 4 * block(256) + block(512);
    assert_eq!(ResNet26::PARAMS, zoo::ResNet50::PARAMS - dropped);
    assert_eq!(ResNet26::PARAMS, 15_995_176);

    assert_eq!(
        TwoBackbones::PARAMS,
        zoo::MobileNetV2::PARAMS + zoo::MnasNet1_0::PARAMS
    );
    assert_eq!(
        TwoBackbones::MACS,
        zoo::MobileNetV2::MACS + zoo::MnasNet1_0::MACS
    );
    assert_eq!(TwoBackbones::OUTPUT_SHAPE, Shape::new(&[1, 2000]));
}
