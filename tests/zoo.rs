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
        // MACs: FlopCounterMode / 2 on torchvision 0.29 (its docs round to 0.22 GFLOPS).
        case!(zoo::MobileNetV3Large, 5_483_032, 216_589_760),
        case!(zoo::RegNetY800MF, 6_432_512, 833_856_256),
        case!(zoo::EfficientNetV2S, 21_458_488, 8_365_617_152),
        case!(zoo::ConvNextSmall, 50_223_688, 8_683_712_256),
        // Issue 12's table (3×512×512 and 3×520×520).
        case!(zoo::ResNet50Fpn, 26_799_296, 36_201_037_824),
        case!(zoo::DeepLabV3MobileNetV3Large, 11_029_328, 10_452_447_938),
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
fn all_reports() -> [Report; 20] {
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
        zoo::MobileNetV3Large::REPORT,
        zoo::EfficientNetV2S::REPORT,
        zoo::ConvNextSmall::REPORT,
        zoo::RegNetY800MF::REPORT,
    ]
}

/// The dense-prediction models (several outputs, larger inputs).
fn dense_reports() -> [Report; 2] {
    [
        zoo::ResNet50Fpn::REPORT,
        zoo::DeepLabV3MobileNetV3Large::REPORT,
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
            "MobileNetV3Large",
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
        (zoo::ResNet18::REPORT, 9_600, 9_620),
        (zoo::ResNet34::REPORT, 17_024, 17_060),
        (zoo::ResNet50::REPORT, 53_120, 53_173),
        (zoo::ResNet101::REPORT, 105_344, 105_448),
        (zoo::ResNet152::REPORT, 151_424, 151_579),
        (zoo::ResNext50_32x4d::REPORT, 68_224, 68_277),
        (zoo::WideResNet50_2::REPORT, 68_224, 68_277),
        (zoo::MobileNetV3Large::REPORT, 24_400, 24_446),
        (zoo::ResNet50Fpn::REPORT, 106_240, 106_240),
        (zoo::DeepLabV3MobileNetV3Large::REPORT, 28_004, 28_058),
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
    // DeepLabV3-MobileNetV3-Large has 54 BatchNorms: 46 in the backbone (its first and last
    // convolutions; the depthwise and projecting ones of 15 blocks, the expanding ones of 14),
    // 7 in the DeepLab head (5 ASPP branches, ASPP's projection, the 3×3 convolution), 1 in the
    // FCN head.
    assert_eq!((2 + 15 * 2 + 14) + 7 + 1, 28_058 - 28_004);
    // ResNet-50 has 53 BatchNorms: the stem's, 3 per bottleneck (16) and 4 downsamples; its
    // running statistics are as many values as its affine parameters.
    assert_eq!(1 + 3 * 16 + 4, 53_173 - 53_120);
    // MobileNetV3-Large has 46: its features' (as DeepLab's backbone), none in the classifier.
    assert_eq!(2 + 15 * 2 + 14, 24_446 - 24_400);
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
        include_str!("../src/zoo/mobilenet_v3.rs"),
        include_str!("../src/zoo/efficientnet.rs"),
        include_str!("../src/zoo/convnext.rs"),
        include_str!("../src/zoo/regnet.rs"),
        include_str!("../src/zoo/feature_pyramid.rs"),
        include_str!("../src/zoo/deeplab.rs"),
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
    let mut reports = all_reports().to_vec();
    reports.extend(dense_reports());
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
        // At width 35% features.1's 32 → 16 becomes 16 → 8: still no residual there.
        assert_eq!(count::<zoo::MobileNetV2Scaled<35, 224>>("Add").0, 10);
    }

    /// The `downsample` shortcut exists only where torchvision builds one: the first block of
    /// each stage that changes the shape (also layer1 for bottlenecks, 64 → 256), at
    /// torchvision's paths, a 1×1 convolution (`.0`) and the norm layer (`.1`).
    #[test]
    fn downsample_only_when_the_shape_changes() {
        fn downsamples<M: Model>() -> Vec<String> {
            let summary = nncost::Summary::of::<M>();
            summary
                .paths()
                .into_iter()
                .filter(|p| p.ends_with(".downsample"))
                .collect()
        }
        let stages = |first: usize| -> Vec<String> {
            (first..=4)
                .map(|i| format!("layer{i}.0.downsample"))
                .collect()
        };
        assert_eq!(downsamples::<zoo::ResNet18>(), stages(2));
        assert_eq!(downsamples::<zoo::ResNet34>(), stages(2));
        assert_eq!(downsamples::<zoo::ResNet50>(), stages(1));
        assert_eq!(downsamples::<zoo::ResNet152>(), stages(1));
        assert_eq!(downsamples::<zoo::ResNext50_32x4d>(), stages(1));
        assert_eq!(downsamples::<zoo::WideResNet50_2>(), stages(1));
        assert_eq!(count::<zoo::ResNet50>("Projection"), (0, 0));
    }

    /// torchvision's layer paths: `conv1`, `bn1`, `relu`, `maxpool`, stages numbered from 0,
    /// `downsample.0` and `.1`, `avgpool`, `fc` (plus nncost's `flatten`, which torchvision
    /// calls as `torch.flatten`); the inner ReLUs are `relu1` (and `relu2`), as a name appears
    /// once in a block.
    #[test]
    fn resnet_paths_are_torchvisions() {
        let summary = nncost::Summary::of::<zoo::ResNet50>();
        let paths = summary.paths();
        let top: Vec<&str> = summary
            .rows
            .iter()
            .zip(&paths)
            .filter(|(r, _)| r.depth == 0)
            .map(|(_, p)| p.as_str())
            .collect();
        assert_eq!(
            top,
            [
                "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4",
                "avgpool", "flatten", "fc"
            ]
        );
        let block: Vec<&str> = paths
            .iter()
            .filter_map(|p| p.strip_prefix("layer1.0."))
            .collect();
        assert_eq!(
            block,
            [
                "conv1",
                "bn1",
                "relu1",
                "conv2",
                "bn2",
                "relu2",
                "conv3",
                "bn3",
                "downsample",
                "downsample.0",
                "downsample.1",
                "add",
                "relu"
            ]
        );
        for last in [
            "layer1.2.relu",
            "layer2.3.relu",
            "layer3.5.relu",
            "layer4.2.relu",
        ] {
            assert!(paths.iter().any(|p| p == last), "{last}");
        }
        assert!(!paths.iter().any(|p| p == "layer1.3"));
        let basic = nncost::Summary::of::<zoo::ResNet34>().paths();
        for path in ["layer3.5.conv2", "layer2.0.downsample.1", "layer1.0.relu1"] {
            assert!(basic.iter().any(|p| p == path), "{path}");
        }
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
                .position(|p| p == "layer1.0.conv2")
                .expect("layer1.0.conv2");
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

    /// The MACs of each part of a model, by top-level path.
    fn parts<M: Model>() -> Vec<(String, u64)> {
        let summary = nncost::Summary::of::<M>();
        summary
            .rows
            .iter()
            .zip(summary.paths())
            .filter(|(r, _)| r.depth == 0)
            .map(|(r, p)| (p, r.cost.macs))
            .collect()
    }

    /// torchvision's ResNet-50-FPN backbone (issue 12's reference, measured with
    /// `FlopCounterMode` per child module): the body and the pyramid, five outputs named as
    /// torchvision's `OrderedDict`, 53 frozen BatchNorms (4 buffers a channel, no parameters),
    /// everything trainable (`trainable_layers=5`).
    #[test]
    fn resnet50_fpn_matches_torchvision() {
        type M = zoo::ResNet50Fpn;
        assert_eq!(M::INPUT_SHAPE, Shape::new(&[1, 3, 512, 512]));
        assert_eq!(
            parts::<M>(),
            [
                ("body".to_owned(), 21_353_201_664),
                ("fpn".to_owned(), 14_847_836_160)
            ]
        );
        // By hand: the body is ResNet-50's convolutions at 512/224 the resolution (every map
        // 16/7 as wide: 256/49 the MACs), the pyramid a 1×1 lateral per level and a 3×3 output
        // convolution per level, all to 256 channels.
        assert_eq!(
            21_353_201_664,
            (zoo::ResNet50::MACS - 2048 * 1000) / 49 * 256
        );
        let levels = [(256, 128), (512, 64), (1024, 32), (2048, 16)];
        let fpn: u64 = levels
            .iter()
            .map(|&(c, hw)| c * 256 * hw * hw + 256 * 256 * 9 * hw * hw)
            .sum();
        assert_eq!(fpn, 14_847_836_160);
        let outputs = M::OUTPUT_SHAPES;
        let names: Vec<&str> = (0..outputs.len()).map(|i| outputs.name(i)).collect();
        assert_eq!(names, ["0", "1", "2", "3", "pool"]);
        for (i, hw) in [128, 64, 32, 16, 8].into_iter().enumerate() {
            assert_eq!(outputs.shape(i), Shape::new(&[1, 256, hw, hw]));
        }
        let frozen = count::<M>("FrozenBatchNorm2d");
        assert_eq!(frozen, (53, 0));
        assert_eq!(count::<M>("BatchNorm2d").0, 0);
        // ResNet-50 without its classifier and with BatchNorm's 2·C parameters turned into
        // FrozenBatchNorm2d's buffers, plus the pyramid's 3,344,384.
        let bn_params = zoo::ResNet50::BUFFERS; // BatchNorm: 2·C params and 2·C running stats
        assert_eq!(
            M::PARAMS,
            zoo::ResNet50::PARAMS - (2048 * 1000 + 1000) - bn_params + 3_344_384
        );
        assert_eq!(M::BUFFERS, 2 * bn_params);
        assert_eq!(M::TRAINABLE_PARAMS, M::PARAMS);
        let paths = nncost::Summary::of::<M>().paths();
        for path in [
            "body.conv1",
            "body.bn1",
            "body.layer1.0.downsample.1",
            "body.layer4.2.conv3",
            "fpn.inner_blocks.3.0",
            "fpn.layer_blocks.0.0",
            "fpn.extra_blocks",
        ] {
            assert!(paths.iter().any(|p| p == path), "{path}");
        }
    }

    /// torchvision's `deeplabv3_mobilenet_v3_large(aux_loss=True)` (issue 12's reference):
    /// the parts, the outputs at the input's size, the auxiliary head on the backbone's
    /// output-stride-8 features.
    #[test]
    fn deeplabv3_matches_torchvision() {
        type M = zoo::DeepLabV3MobileNetV3Large;
        assert_eq!(M::INPUT_SHAPE, Shape::new(&[1, 3, 520, 520]));
        assert_eq!(
            parts::<M>(),
            [
                ("backbone".to_owned(), 1_937_374_688),
                ("classifier".to_owned(), 8_498_976_000),
                ("out".to_owned(), 0),
                ("aux_classifier".to_owned(), 16_097_250),
                ("aux".to_owned(), 0),
            ]
        );
        // By hand: the FCN head on [1, 40, 65, 65]: a 3×3 convolution to 10 channels and a
        // 1×1 to 21; the DeepLab head on [1, 960, 33, 33]: ASPP's 1×1 and three dilated 3×3
        // branches to 256, the pooled branch at 1×1, the 1×1 projection of 5·256 channels,
        // a 3×3 convolution and the 1×1 classifier.
        assert_eq!(40 * 10 * 9 * 65 * 65 + 10 * 21 * 65 * 65, 16_097_250);
        let hw: u64 = 33 * 33;
        let head = 960 * 256 * hw
            + 3 * 960 * 256 * 9 * hw
            + 960 * 256
            + 1280 * 256 * hw
            + 256 * 256 * 9 * hw
            + 256 * 21 * hw;
        assert_eq!(head, 8_498_976_000);
        let outputs = M::OUTPUT_SHAPES;
        assert_eq!((outputs.name(0), outputs.name(1)), ("out", "aux"));
        assert_eq!(outputs.get("out"), Some(Shape::new(&[1, 21, 520, 520])));
        assert_eq!(outputs.get("aux"), Some(Shape::new(&[1, 21, 520, 520])));
        let summary = nncost::Summary::of::<M>();
        let paths = summary.paths();
        let row = |path: &str| {
            let at = paths.iter().position(|p| p == path).expect(path);
            summary.rows[at]
        };
        // The pooled ASPP branch: pooled to 1×1, resized back to the branch input's 33×33.
        assert_eq!(
            row("classifier.0.convs.4.0").output,
            Shape::new(&[1, 960, 1, 1])
        );
        let up = row("classifier.0.convs.4.interpolate");
        assert_eq!(up.output, Shape::new(&[1, 256, 33, 33]));
        assert_eq!((up.cost.macs, up.cost.flops), (0, 7 * 256 * 33 * 33));
        assert_eq!(
            row("classifier.0.convs").output,
            Shape::new(&[1, 1280, 33, 33])
        );
        // The dilated last stage keeps output stride 16; the aux head reads stride 8.
        assert_eq!(row("backbone.13").output, Shape::new(&[1, 160, 33, 33]));
        assert_eq!(row("backbone.4").output, Shape::new(&[1, 40, 65, 65]));
        assert_eq!(row("aux_classifier.0").output, Shape::new(&[1, 10, 65, 65]));
        // A 5×5 depthwise convolution with dilation 2 is padded by 4 and does not stride.
        assert_eq!(row("backbone.13.block.1.0").cost.params, 672 * 25);
        // Hardswish in the stem and the late blocks, ReLU early; the SE gates are
        // Hardsigmoid.
        assert_eq!(row("backbone.0.2").kind, "Hardswish");
        assert_eq!(row("backbone.3.block.0.2").kind, "ReLU");
        assert_eq!(
            row("backbone.4.block.2.scale_activation").kind,
            "Hardsigmoid"
        );
        assert_eq!(count::<M>("Hardsigmoid").0, 8);
        // Residual adds where the configured stride is 1 and the channels are kept.
        let adds = summary
            .rows
            .iter()
            .filter(|r| r.kind == "Add" && !r.group)
            .count();
        assert_eq!(adds, 10);
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
        // torchvision's paths: `layers.8` to `layers.13` are the stacks, `layers.3` of each
        // inverted residual its depthwise convolution.
        assert_eq!(params("layers.8.0.layers.3"), 16 * 3 * 9);
        assert_eq!(params("layers.9.0.layers.3"), 24 * 3 * 25);
        assert_eq!(params("layers.12.3.layers.3"), 192 * 6 * 25);
        assert_eq!(params("layers.13.0.layers.3"), 192 * 6 * 9);
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
        // RegNet's projection shortcut, torchvision's `proj` (a 1×1 convolution and BatchNorm):
        // the first block of each stage (the width changes), nowhere else.
        let summary = nncost::Summary::of::<zoo::RegNetY800MF>();
        let projections: Vec<String> = summary
            .paths()
            .into_iter()
            .filter(|p| p.ends_with(".proj"))
            .collect();
        assert_eq!(
            projections,
            [1, 2, 3, 4].map(|i| format!("trunk_output.block{i}.block{i}-0.proj"))
        );
        assert_eq!(count::<zoo::RegNetY800MF>("Projection"), (0, 0));
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
        // torchvision's `features.5.26.layer_scale`, an `nn.Parameter` of the block.
        let gamma = row("features.5.26.layer_scale");
        assert_eq!((gamma.kind, gamma.cost.params), ("Parameter", 384));
        assert_eq!(gamma.output, Shape::new(&[384, 1, 1]));
        // The multiply: [1, 384, 14, 14] times [384, 1, 1], one FLOP per output element.
        let mul = row("features.5.26.mul");
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

// --- The graph models: CLIP and Whisper (Hugging Face), YOLOv8n (ultralytics) --------------

/// One graph model's figures as read by a user, against its reference.
struct GraphCase {
    report: Report,
    trainable: u64,
    inputs: &'static [(&'static str, &'static [u64])],
    outputs: &'static [(&'static str, &'static [u64])],
}

/// Names and shapes, in order, as a comparable list.
fn tensors(t: &nncost::Tensors) -> Vec<(String, Shape)> {
    (0..t.len())
        .map(|i| (t.name(i).to_owned(), t.shape(i)))
        .collect()
}

fn expected(list: &[(&str, &[u64])]) -> Vec<(String, Shape)> {
    list.iter()
        .map(|(name, dims)| ((*name).to_owned(), Shape::new(dims)))
        .collect()
}

/// issue 12's reference table (PyTorch 2.15, transformers 5.24; eval, batch 1; MACs =
/// `FlopCounterMode` / 2; buffers = `sum(b.numel() for b in model.buffers())`, all and
/// floating-point), and the outputs each model returns in eval mode.
#[test]
fn graph_models_match_their_references() {
    let cases = [
        GraphCase {
            report: zoo::ClipVitB32::REPORT,
            trainable: zoo::ClipVitB32::TRAINABLE_PARAMS,
            inputs: &[("pixel_values", &[1, 3, 224, 224]), ("input_ids", &[1, 77])],
            outputs: &[
                ("logits_per_image", &[1, 1]),
                ("logits_per_text", &[1, 1]),
                ("text_embeds", &[1, 512]),
                ("image_embeds", &[1, 512]),
                ("text_model_output.last_hidden_state", &[1, 77, 512]),
                ("text_model_output.pooler_output", &[1, 512]),
                ("vision_model_output.last_hidden_state", &[1, 50, 768]),
                ("vision_model_output.pooler_output", &[1, 768]),
            ],
        },
        GraphCase {
            report: zoo::WhisperTiny::REPORT,
            trainable: zoo::WhisperTiny::TRAINABLE_PARAMS,
            inputs: &[
                ("input_features", &[1, 80, 3000]),
                ("decoder_input_ids", &[1, 32]),
            ],
            outputs: &[
                ("last_hidden_state", &[1, 32, 384]),
                ("encoder_last_hidden_state", &[1, 1500, 384]),
            ],
        },
        GraphCase {
            report: zoo::Yolov8n::REPORT,
            trainable: zoo::Yolov8n::TRAINABLE_PARAMS,
            inputs: &[("input", &[1, 3, 640, 640])],
            outputs: &[
                ("y", &[1, 84, 8400]),
                ("boxes", &[1, 64, 8400]),
                ("scores", &[1, 80, 8400]),
                ("feats.0", &[1, 64, 80, 80]),
                ("feats.1", &[1, 128, 40, 40]),
                ("feats.2", &[1, 256, 20, 20]),
            ],
        },
    ];
    // (params, trainable, MACs, all buffers, floating-point buffers)
    let reference = [
        (151_277_313, 151_277_313, 7_388_582_400, 127, 0),
        // The encoder's position table (1,500 × 384) has requires_grad=False.
        (37_760_640, 37_760_640 - 576_000, 20_653_178_880, 0, 0),
        // The DFL convolution (16 weights) has requires_grad=False.
        (3_157_200, 3_157_200 - 16, 4_371_993_600, 10_649, 10_592),
    ];
    for (case, reference) in cases.iter().zip(reference) {
        let r = &case.report;
        assert_eq!(
            (
                r.cost.params,
                case.trainable,
                r.cost.macs,
                r.cost.all_buffers(),
                r.cost.buffers
            ),
            reference,
            "{}",
            r.name
        );
        assert_eq!(
            tensors(&r.inputs),
            expected(case.inputs),
            "{} inputs",
            r.name
        );
        assert_eq!(
            tensors(&r.outputs),
            expected(case.outputs),
            "{} outputs",
            r.name
        );
        assert_eq!(r.output, Shape::new(case.outputs[0].1), "{}", r.name);
    }
    // Plain consts, as a user reads them.
    assert_eq!(zoo::ClipVitB32::PARAMS, 151_277_313);
    assert_eq!(zoo::WhisperTiny::MACS, 20_653_178_880);
    assert_eq!(
        zoo::Yolov8n::OUTPUT_SHAPES.get("feats.1"),
        Some(Shape::new(&[1, 128, 40, 40]))
    );
}

/// Each graph model's docs state its figures (`**P params, M MACs**`), and so does the zoo
/// table, and they are the computed ones.
#[test]
fn graph_models_docs_state_the_computed_figures() {
    let files = [
        include_str!("../src/zoo/clip.rs"),
        include_str!("../src/zoo/whisper.rs"),
        include_str!("../src/zoo/yolov8.rs"),
    ];
    let reports = [
        zoo::ClipVitB32::REPORT,
        zoo::WhisperTiny::REPORT,
        zoo::Yolov8n::REPORT,
    ];
    for (source, report) in files.iter().zip(&reports) {
        let line = source
            .lines()
            .find_map(|l| l.trim().strip_prefix("/// **"))
            .unwrap_or_else(|| panic!("{}: no `**P params, M MACs**` line", report.name));
        let (text, _) = line.split_once("**").expect("closing **");
        let (params, macs) = text.split_once(" params, ").expect("`P params, M MACs`");
        let macs = macs.strip_suffix(" MACs").expect("`M MACs`");
        assert_eq!(
            (number(params), number(macs)),
            (report.cost.params, report.cost.macs),
            "{}: docs vs computed",
            report.name
        );
    }
    let table = include_str!("../src/zoo/mod.rs");
    for report in &reports {
        let row = table
            .lines()
            .find_map(|l| l.strip_prefix(&format!("//! | [`{}`]", report.name)))
            .unwrap_or_else(|| panic!("{} is not in the zoo table", report.name));
        let cells: Vec<&str> = row.split('|').collect();
        assert_eq!(
            (number(cells[2]), number(cells[3])),
            (report.cost.params, report.cost.macs),
            "{}: zoo table vs computed",
            report.name
        );
    }
}

#[cfg(feature = "std")]
mod graph_structure {
    use super::*;

    /// The row at `path` of `M`'s summary.
    fn row<M: Model>(path: &str) -> nncost::Row {
        let summary = nncost::Summary::of::<M>();
        let at = summary
            .paths()
            .iter()
            .position(|p| p == path)
            .unwrap_or_else(|| panic!("{}: no row {path}", M::NAME));
        summary.rows[at]
    }

    /// Whisper's decoder layer, worked by hand: its cross-attention takes its keys and values
    /// from the encoder's output, so their length (1,500) and width come from it, with nothing
    /// declared in the layer.
    #[test]
    fn whisper_decoder_layer_by_hand() {
        let (t, s, d, f, heads, head_dim) = (32, 1_500, 384, 1_536, 6, 64);
        // Self-attention: q, k, v, out over the 32 positions; QKᵀ and AV over 32 × 32 scores.
        let self_attn = 4 * t * d * d + 2 * heads * t * t * head_dim;
        // Cross-attention: q and out over the 32 positions, k and v over the encoder's 1,500;
        // QKᵀ and AV over 32 × 1,500 scores.
        let cross_attn = 2 * t * d * d + 2 * s * d * d + 2 * heads * t * s * head_dim;
        let mlp = 2 * t * d * f;
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.0.encoder_attn")
                .cost
                .macs,
            cross_attn
        );
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.0").cost.macs,
            self_attn + cross_attn + mlp
        );
        assert_eq!(self_attn + cross_attn + mlp, 546_078_720);
        // The keys are projected over the encoder's positions.
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.2.encoder_attn.k_proj").output,
            Shape::new(&[1, 1_500, 384])
        );
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.2.encoder_attn.attn.scores").output,
            Shape::new(&[1, 6, 32, 1_500])
        );
        // k_proj has no bias (OpenAI's code), q, v and out have one.
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.0.encoder_attn.k_proj")
                .cost
                .params,
            d * d
        );
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.0.encoder_attn.v_proj")
                .cost
                .params,
            d * d + d
        );
        // The encoder: 4 layers, each 4·S·D² + 2·S·D·F for the linear layers and 2·S·S·D for
        // the two products; the convolutions over 3,000 and 1,500 frames.
        let encoder_layer = 4 * s * d * d + 2 * s * d * f + 2 * s * s * d;
        let convs = 3_000 * d * 80 * 3 + s * d * d * 3;
        assert_eq!(
            row::<zoo::WhisperTiny>("encoder").cost.macs,
            convs + 4 * encoder_layer
        );
        assert_eq!(
            zoo::WhisperTiny::MACS,
            convs + 4 * encoder_layer + 4 * 546_078_720
        );
    }

    network! {
        /// Whisper-tiny's decoder over a 10-second clip (1,000 frames, 500 positions): the same
        /// blocks, the cross-attention's key length follows the encoder.
        model WhisperTenSeconds(features: [80, 1000], ids: tokens(32)) -> decoder {
            encoder: features -> zoo::WhisperEncoder<384, 6, 1536, 4, 500>,
            decoder: (ids, encoder) -> zoo::WhisperDecoder<51_865, 448, 384, 6, 1536, 4>,
        }
    }

    #[test]
    fn cross_attention_follows_the_encoder_length() {
        let (t, d, heads, head_dim) = (32, 384, 6, 64);
        let cross = |s: u64| 2 * t * d * d + 2 * s * d * d + 2 * heads * t * s * head_dim;
        assert_eq!(
            row::<WhisperTenSeconds>("decoder.layers.0.encoder_attn")
                .cost
                .macs,
            cross(500)
        );
        assert_eq!(
            row::<zoo::WhisperTiny>("decoder.layers.0.encoder_attn")
                .cost
                .macs,
            cross(1_500)
        );
        // The weights do not depend on the length; the encoder's position table does.
        assert_eq!(
            zoo::WhisperTiny::PARAMS - WhisperTenSeconds::PARAMS,
            (1_500 - 500) * 384
        );
    }

    /// YOLOv8n's BatchNorms and what ultralytics' GFLOPs make of them.
    #[test]
    fn yolov8n_batch_norms_and_ultralytics_gflops() {
        let summary = nncost::Summary::of::<zoo::Yolov8n>();
        let norms: Vec<_> = summary
            .rows
            .iter()
            .filter(|r| r.kind == "BatchNorm2d")
            .collect();
        assert_eq!(norms.len(), 57);
        // Running mean and variance per channel; one num_batches_tracked per BatchNorm.
        let channels: u64 = norms.iter().map(|r| r.output.dim(1)).sum();
        assert_eq!(2 * channels, zoo::Yolov8n::BUFFERS);
        assert_eq!(2 * channels + 57, zoo::Yolov8n::ALL_BUFFERS);
        // thop counts 4 ops per BatchNorm output element and a convolution's MACs;
        // ultralytics prints twice thop's count.
        let elements: u64 = norms.iter().map(|r| r.output.numel().expect("fits")).sum();
        assert_eq!(elements, 13_888_000);
        let fused = 2 * zoo::Yolov8n::MACS;
        let unfused = 2 * (zoo::Yolov8n::MACS + 4 * elements);
        assert_eq!((fused, unfused), (8_743_987_200, 8_855_091_200));
        assert_eq!(format!("{:.1}", fused as f64 / 1e9), "8.7");
        assert_eq!(format!("{:.2}", unfused as f64 / 1e9), "8.86");
    }

    /// ultralytics' module paths (`model.N` is `N`, a list's `i` is `i`).
    #[test]
    fn yolov8n_modules_where_ultralytics_has_them() {
        type Y = zoo::Yolov8n;
        // C2f at depth 0.33: one bottleneck for 3 repeats, two for 6.
        assert_eq!(row::<Y>("4.m.1.cv2.conv").cost.params, 32 * 32 * 9);
        assert_eq!(row::<Y>("2.m.0").output, Shape::new(&[1, 16, 160, 160]));
        // The concatenation of C2f's pieces: 2 halves and 2 bottlenecks of 32 channels.
        assert_eq!(row::<Y>("4.cat").output, Shape::new(&[1, 128, 80, 80]));
        // The neck's joins read the skips by name.
        assert_eq!(row::<Y>("11").output, Shape::new(&[1, 384, 40, 40]));
        assert_eq!(row::<Y>("14").output, Shape::new(&[1, 192, 80, 80]));
        assert_eq!(row::<Y>("17").output, Shape::new(&[1, 192, 40, 40]));
        assert_eq!(row::<Y>("20").output, Shape::new(&[1, 384, 20, 20]));
        // SPPF: cv1 halves the channels without activation; one max pool applied 3 times.
        assert_eq!(row::<Y>("9.cv1.act").kind, "Identity");
        assert_eq!(row::<Y>("9.cat").output, Shape::new(&[1, 512, 20, 20]));
        // Detect: box and class heads per level, the frozen DFL convolution.
        assert_eq!(row::<Y>("22.cv2.0").output, Shape::new(&[1, 64, 80, 80]));
        assert_eq!(row::<Y>("22.cv3.2").output, Shape::new(&[1, 80, 20, 20]));
        let dfl = row::<Y>("22.dfl.conv");
        assert_eq!((dfl.cost.params, dfl.cost.frozen_params), (16, 16));
        assert_eq!(dfl.cost.macs, 16 * 4 * 8_400);
    }

    /// CLIP: the text tower's attention is causal (its mask added to the scores), the vision
    /// tower's is not; the pooled rows and the normalisation.
    #[test]
    fn clip_towers() {
        type C = zoo::ClipVitB32;
        let summary = nncost::Summary::of::<C>();
        let masked = |tower: &str| {
            summary
                .paths()
                .iter()
                .filter(|p| p.starts_with(tower) && p.ends_with("attn.masked"))
                .count()
        };
        assert_eq!((masked("text_model"), masked("vision_model")), (12, 0));
        // One add per score: 8 heads × 77 × 77.
        let mask_add = row::<C>("text_model.encoder.layers.0.self_attn.attn.masked");
        assert_eq!(mask_add.cost.flops, 8 * 77 * 77);
        // The pooled outputs: the end-of-text row, the class token's row after its norm.
        assert_eq!(
            row::<C>("text_model.pooled_output").output,
            Shape::new(&[1, 512])
        );
        assert_eq!(
            row::<C>("vision_model.post_layernorm").output,
            Shape::new(&[1, 768])
        );
        // x / ‖x‖: 3 FLOPs per element of each 512-dim embedding.
        assert_eq!(row::<C>("image_embeds").cost.flops, 3 * 512);
        assert_eq!(row::<C>("text_embeds").cost.flops, 3 * 512);
        // logit_scale: one learned scalar; the similarity is one 512-long dot product.
        assert_eq!(row::<C>("logit_scale").cost.params, 1);
        assert_eq!(row::<C>("similarity").cost.macs, 512);
        // The patch convolution: 49 patches of 3 × 32 × 32 to 768, no bias.
        let patches = row::<C>("vision_model.embeddings.patch_embedding");
        assert_eq!(
            (patches.cost.params, patches.cost.macs),
            (768 * 3 * 32 * 32, 49 * 768 * 3 * 32 * 32)
        );
    }
}

/// Every leaf module of the reference model (`named_modules()`, written by
/// `tests/data/torchvision/module_names.py` with torchvision 0.29,
/// `tests/data/transformers/module_names.py` with transformers 5.24 and
/// `tests/data/ultralytics/module_names.py` with ultralytics 8.4) is a row of the zoo
/// model's summary at the same path, so the two can be put side by side. (The summary has more
/// rows: the functions the reference's `forward` calls, such as a residual's add or a flatten.)
#[cfg(feature = "std")]
mod reference_paths {
    use super::*;

    /// The reference's names in `dir/file.txt` that are not among `M`'s paths, but for those
    /// the zoo's docs say it leaves out.
    fn missing<M: Model>(dir: &str, file: &str, left_out: &[&str]) -> Vec<String> {
        let path = format!("{}/tests/data/{dir}/{file}.txt", env!("CARGO_MANIFEST_DIR"));
        let names = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let paths = nncost::Summary::of::<M>().paths();
        names
            .lines()
            .filter(|name| !paths.iter().any(|p| p == name) && !left_out.contains(name))
            .map(str::to_owned)
            .collect()
    }

    macro_rules! same_paths {
        ($dir:literal { $($body:tt)* }) => { same_paths!($dir except [] { $($body)* }); };
        ($dir:literal except $left_out:tt {
            $($test:ident: $model:ty, $file:literal;)*
        }) => {$(
            #[test]
            fn $test() {
                let missing = missing::<$model>($dir, $file, &$left_out);
                assert!(missing.is_empty(), "{} modules of the reference missing: {missing:?}", missing.len());
            }
        )*};
    }

    same_paths!("torchvision" {
        alexnet: zoo::AlexNet, "AlexNet";
        vgg11: zoo::Vgg11, "Vgg11";
        vgg16: zoo::Vgg16, "Vgg16";
        vgg16_bn: zoo::Vgg16Bn, "Vgg16Bn";
        vgg19: zoo::Vgg19, "Vgg19";
        squeezenet1_0: zoo::SqueezeNet1_0, "SqueezeNet1_0";
        squeezenet1_1: zoo::SqueezeNet1_1, "SqueezeNet1_1";
        resnet18: zoo::ResNet18, "ResNet18";
        resnet34: zoo::ResNet34, "ResNet34";
        resnet50: zoo::ResNet50, "ResNet50";
        resnet101: zoo::ResNet101, "ResNet101";
        resnet152: zoo::ResNet152, "ResNet152";
        resnext50_32x4d: zoo::ResNext50_32x4d, "ResNext50_32x4d";
        wide_resnet50_2: zoo::WideResNet50_2, "WideResNet50_2";
        mobilenet_v3_large: zoo::MobileNetV3Large, "MobileNetV3Large";
        resnet50_fpn: zoo::ResNet50Fpn, "ResNet50Fpn";
        deeplabv3_mobilenet_v3_large: zoo::DeepLabV3MobileNetV3Large, "DeepLabV3MobileNetV3Large";
        mobilenet_v2: zoo::MobileNetV2, "MobileNetV2";
        mnasnet1_0: zoo::MnasNet1_0, "MnasNet1_0";
        efficientnet_v2_s: zoo::EfficientNetV2S, "EfficientNetV2S";
        convnext_small: zoo::ConvNextSmall, "ConvNextSmall";
        regnet_y_800mf: zoo::RegNetY800MF, "RegNetY800MF";
    });

    same_paths!("ultralytics" {
        yolov8n: zoo::Yolov8n, "Yolov8n";
    });

    same_paths!("transformers" {
        clip_vit_b32: zoo::ClipVitB32, "ClipVitB32";
        whisper_tiny: zoo::WhisperTiny, "WhisperTiny";
        llama3_8b: zoo::Llama3_8B<128>, "Llama3_8B";
        mistral_7b: zoo::Mistral7B<128>, "Mistral7B";
        mixtral_8x7b: zoo::Mixtral8x7B<128>, "Mixtral8x7B";
        qwen2_5_0_5b: zoo::Qwen2_5_0_5B<128>, "Qwen2_5_0_5B";
    });
}
