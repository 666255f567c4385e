//! Exports: JSON round trips for the whole zoo, golden Markdown and CSV for a small model,
//! depth cuts and folding on ResNet-152, MACs by operator, and model diffs.
//!
//! Golden files are in `tests/data/export/`; after an intended change, regenerate them with
//! `NNCOST_BLESS=1 cargo test --all-features --test export` and review the diff.

use std::path::Path;

use nncost::diff::{Diff, LayerStatus};
use nncost::export::{Snapshot, FIGURES, OPERATORS, SCHEMA_VERSION};
use nncost::prelude::*;
use nncost::zoo;
use nncost::Report;

network! {
    /// A small model with a repeated block, a view and a classifier: every kind of row.
    #[input(3, 8, 8)]
    pub model Small {
        conv: Conv2d::new(4, 3).padding(1),
        blocks: [{ conv: Conv2d::new(4, 3).padding(1).bias(false), relu: ReLU }; 3],
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(2),
    }
}

/// Compares `actual` with the golden file `name`, or writes it with `NNCOST_BLESS=1`.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/export")
        .join(name);
    if std::env::var_os("NNCOST_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (NNCOST_BLESS=1 writes it)", path.display()));
    assert_eq!(
        actual, expected,
        "{name} differs from its golden file (NNCOST_BLESS=1 rewrites it)"
    );
}

#[test]
fn markdown_and_csv_of_a_small_model_match_their_golden_files() {
    let summary = Small::summary();
    golden("small.md", &summary.to_markdown());
    golden("small.folded.md", &summary.clone().fold().to_markdown());
    golden("small.csv", &summary.to_csv());
    golden(
        "small.operators.md",
        &summary.snapshot().operators_markdown(),
    );
    // The goldens hold the arithmetic: conv 3→4, 3×3, on 8×8 (padding 1).
    let md = summary.to_markdown();
    let conv_params = 4 * 3 * 9 + 4;
    let conv_macs = 4 * 8 * 8 * (3 * 9);
    assert!(md.contains(&format!(
        "| `conv` | Conv2d | [1, 4, 8, 8] | {conv_params} | {conv_params} | 0 | 0 | 6,912 |"
    )));
    assert_eq!(conv_macs, 6_912);
    // Three blocks of 4·4·9 weights; the totals line adds the fc (4·2 + 2).
    let total = conv_params + 3 * (4 * 4 * 9) + (4 * 2 + 2);
    assert!(md.contains(&format!(
        "| **Small (total)** | | [1, 2] | **{total}** | **{total}** |"
    )));
}

#[test]
fn csv_lines_have_one_field_per_column() {
    let csv = Small::summary().to_csv();
    let fields = |line: &str| {
        // RFC 4180: commas inside quotes do not separate.
        let mut quoted = false;
        1 + line
            .chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .count()
    };
    let header = csv.lines().next().unwrap();
    assert_eq!(fields(header), 7 + FIGURES.len() + 2);
    for line in csv.lines() {
        assert_eq!(fields(line), fields(header), "{line}");
    }
    // A header, 14 rows (5 entries, 3 blocks of 3 rows), the totals.
    assert_eq!(csv.lines().count(), 1 + 5 + 3 * 3 + 1);
}

/// One zoo model's report, written to JSON and read back.
fn round_trip(snapshot: &Snapshot, report: &Report) {
    let json = snapshot.to_json();
    let back = Snapshot::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", report.name));
    assert_eq!(&back, snapshot, "{}", report.name);
    // The same figures as the compiler's, read through the JSON.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    for figure in FIGURES {
        assert_eq!(
            value["figures"][figure.key].as_u64(),
            Some((figure.model)(report)),
            "{} {}",
            report.name,
            figure.key
        );
    }
    assert_eq!(value["figures"]["params"], report.cost.params);
    assert_eq!(value["figures"]["macs"], report.cost.macs);
    assert_eq!(back.layers.len(), report.rows);
}

macro_rules! round_trips {
    ($($model:ty),* $(,)?) => {$(
        round_trip(&Snapshot::of::<$model>(), &<$model as Model>::REPORT);
    )*};
}

#[test]
fn every_zoo_model_round_trips_through_json() {
    round_trips!(
        zoo::AlexNet,
        zoo::Vgg11,
        zoo::Vgg16,
        zoo::Vgg16Bn,
        zoo::Vgg19,
        zoo::ResNet18,
        zoo::ResNet34,
        zoo::ResNet50,
        zoo::ResNet101,
        zoo::ResNet152,
        zoo::ResNext50_32x4d,
        zoo::WideResNet50_2,
        zoo::SqueezeNet1_0,
        zoo::SqueezeNet1_1,
        zoo::MobileNetV2,
        zoo::MnasNet1_0,
        zoo::RegNetY800MF,
        zoo::EfficientNetV2S,
        zoo::ConvNextSmall,
        zoo::Gpt2<128>,
        zoo::Gpt2LmHead<128>,
        zoo::MobileNetV3Large,
        zoo::DeepLabV3MobileNetV3Large,
        zoo::ResNet50Fpn,
        zoo::Yolov8n,
        zoo::ClipVitB32,
        zoo::WhisperTiny,
        zoo::Llama3_8B<128>,
        zoo::Llama3_8BDecode<4096>,
        zoo::Mistral7B<128>,
        zoo::Mistral7BDecode<4096>,
        zoo::Mixtral8x7B<128>,
        zoo::Mixtral8x7BDecode<4096>,
        zoo::Qwen2_5_0_5B<128>,
        zoo::Qwen2_5_0_5BDecode<4096>,
        zoo::Qwen2_5_0_5BModel<128>,
        zoo::Mamba130m<128>,
        zoo::Mamba130m<1, 128>,
    );
}

#[test]
fn a_decode_step_exports_its_cache_and_a_mixture_its_active_params() {
    type Step = zoo::Mixtral8x7BDecode<4096>;
    let snapshot = Snapshot::of::<Step>();
    assert_eq!(snapshot.cached, Some(4096));
    assert_eq!(snapshot.dtypes.kv_cache.as_deref(), Some("bf16"));
    assert_eq!(
        snapshot.figures.get("kv_cache_bytes"),
        Some(Step::KV_CACHE_BYTES)
    );
    assert_eq!(
        snapshot.figures.get("active_params"),
        Some(Step::ACTIVE_PARAMS)
    );
    assert_eq!(<Step as Model>::ACTIVE_PARAMS, Step::ACTIVE_PARAMS);
    assert_eq!(<Step as Model>::KV_CACHE_BYTES, Step::KV_CACHE_BYTES);
    // Every layer's cache adds up to the model's.
    let layers: u64 = snapshot
        .layers
        .iter()
        .filter(|l| !l.group)
        .map(|l| l.figures.get("kv_cache_bytes").unwrap())
        .sum();
    assert_eq!(layers, Step::KV_CACHE_BYTES);
    // JSON carries the step; the tables for people show the columns this model has.
    let json = snapshot.to_json();
    assert!(json.contains("\"cached\": 4096,"), "{json}");
    assert!(json.contains("\"kv_cache\":\"bf16\""), "{json}");
    let md = snapshot.to_markdown();
    assert!(
        md.starts_with("| layer | kind | output | params | trainable | active |"),
        "{md}"
    );
    assert!(md.lines().next().unwrap().contains("| KV cache |"));
    let text = snapshot.to_string();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .trim_end()
            .ends_with("KV cache"),
        "{text}"
    );
    assert!(
        text.contains("decode step after 4,096 cached positions: KV cache"),
        "{text}"
    );
    assert!(
        text.contains("active params 12,879,925,248 (12.9 G) of 46.7 G"),
        "{text}"
    );
    // The same table as the summary prints, and a pass with no cache has neither column.
    assert_eq!(text, Step::summary().to_string());
    let small = Snapshot::of::<Small>();
    assert_eq!(
        (small.cached, small.dtypes.kv_cache.as_deref()),
        (None, None)
    );
    assert!(!small.to_markdown().contains("KV cache") && !small.to_markdown().contains("active"));
    assert!(!small.to_json().contains("cached"));
}

#[test]
fn a_folded_and_cut_report_round_trips_too() {
    let snapshot = zoo::ResNet152::summary().fold().depth(4).snapshot();
    assert_eq!(Snapshot::from_json(&snapshot.to_json()).unwrap(), snapshot);
}

#[test]
fn reports_with_unknown_figures_or_a_newer_schema_are_handled() {
    // A figure added by a later version is kept and diffed, not rejected.
    let json = Snapshot::of::<Small>().to_json().replacen(
        "\"params\":",
        "\"joules_per_token\":7,\"params\":",
        1,
    );
    let read = Snapshot::from_json(&json).unwrap();
    assert_eq!(read.figures.get("joules_per_token"), Some(7));
    let diff = Diff::new(&read, &Snapshot::of::<Small>());
    assert_eq!(diff.figure("joules_per_token").unwrap().head, None);
    // A newer layout is refused with the versions.
    let newer = json.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    let err = Snapshot::from_json(&newer).unwrap_err().to_string();
    assert_eq!(
        err,
        "the report has schema version 2; this nncost reads up to 1 (update nncost)"
    );
}

/// Rows of a Markdown table: its lines less the heading and the rule.
fn table_rows(markdown: &str) -> usize {
    markdown.lines().count() - 2
}

#[test]
fn resnet_152_tables_cut_and_folded_fit_in_40_rows() {
    let full = zoo::ResNet152::summary();
    // 11 entries and 50 blocks (3 + 8 + 36 + 3), each a row with 10 below it (conv1, bn1,
    // relu1, conv2, bn2, relu2, conv3, bn3, add, relu), and 3 more for a stage's first block
    // (its downsample and the downsample's conv and norm).
    assert_eq!(full.rows.len(), 11 + 50 * (1 + 10) + 4 * 3);
    // torchinfo's depth=2: every block still shows, 62 rows with the totals.
    assert_eq!(
        table_rows(&full.clone().depth(2).to_markdown()),
        11 + 50 + 1
    );
    // Folded: `layer3.1–35 ×35` and the rest, at most 40 rows (11 + 4 × 2 + the totals).
    let folded = full.clone().fold().depth(2).to_markdown();
    assert_eq!(table_rows(&folded), 11 + 4 * 2 + 1);
    assert!(folded.contains("| `layer3.1–35` ×35 | Bottleneck | [1, 1024, 14, 14] |"));
    // Cut at depth 1: the model's own entries.
    assert_eq!(table_rows(&full.clone().depth(1).to_markdown()), 11 + 1);
    // Folded without a cut, every layer still shows once per distinct block: 111 rows.
    assert_eq!(
        table_rows(&full.fold().to_markdown()),
        11 + 4 * ((1 + 13) + (1 + 10)) + 1
    );
}

#[test]
fn folding_keeps_every_total() {
    let full = zoo::ResNet152::summary().snapshot();
    let folded = zoo::ResNet152::summary().fold().snapshot();
    // 11 entries (4 of them stages); per stage block 0 (14 rows) and the folded rest (11).
    assert_eq!(folded.layers.len(), 11 + 4 * ((1 + 13) + (1 + 10)));
    let row = |s: &Snapshot, path: &str| {
        s.layers
            .iter()
            .find(|l| l.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone()
    };
    let rest = row(&folded, "layer3.1–35");
    let one = row(&full, "layer3.1");
    assert_eq!(rest.repeat, 35);
    for figure in FIGURES {
        let (n, once) = (rest.figures.get(figure.key), one.figures.get(figure.key));
        match figure.repeated {
            nncost::export::Repeated::Summed => assert_eq!(n, once.map(|v| v * 35)),
            nncost::export::Repeated::Once => assert_eq!(n, once),
        }
    }
    // Its conv2, 35 times: 256·256·9 weights each.
    let conv2 = row(&folded, "layer3.1–35.conv2");
    assert_eq!(conv2.figures.get("params"), Some(35 * 256 * 256 * 9));
    // The stage rows above are unchanged, and so are the model's totals.
    assert_eq!(row(&folded, "layer3"), row(&full, "layer3"));
    assert_eq!(folded.figures, full.figures);
}

#[test]
fn operators_split_every_mac_as_flop_counter_mode_groups_them() {
    fn check<M: Model>() -> Snapshot {
        let s = Snapshot::of::<M>();
        let sum: u64 = OPERATORS
            .iter()
            .map(|o| s.operators.get(o.key).unwrap())
            .sum();
        assert_eq!(sum, M::MACS, "{}", M::NAME);
        assert_eq!(s.operators.get("other"), Some(0), "{}", M::NAME);
        s
    }
    // ResNet-18: every MAC a convolution but the classifier's 512 × 1000.
    let resnet = check::<zoo::ResNet18>();
    assert_eq!(resnet.operators.get("linear"), Some(512 * 1_000));
    assert_eq!(
        resnet.operators.get("convolution"),
        Some(1_814_073_344 - 512 * 1_000)
    );
    // GPT-2 at 128 tokens: 12 blocks of QKᵀ and AV, 12 heads of 64, 128 × 128 scores.
    let gpt2 = check::<zoo::Gpt2<128>>();
    let attention = 12 * 2 * (12 * 128 * 128 * 64);
    assert_eq!(gpt2.operators.get("attention"), Some(attention));
    assert_eq!(
        gpt2.operators.get("linear"),
        Some(11_173_625_856 - attention)
    );
    // The tied LM head adds 128 × 768 × 50,257 linear MACs.
    let head = check::<zoo::Gpt2LmHead<128>>();
    assert_eq!(
        head.operators.get("linear"),
        Some(11_173_625_856 - attention + 128 * 768 * 50_257)
    );
    check::<zoo::SqueezeNet1_0>();
    check::<zoo::MobileNetV2>();
    check::<zoo::Vgg16Bn>();
    check::<zoo::RegNetY800MF>();
    check::<zoo::EfficientNetV2S>();
    check::<zoo::ConvNextSmall>();
    check::<zoo::ClipVitB32>();
    check::<zoo::WhisperTiny>();
    check::<zoo::Mixtral8x7B<128>>();
    // A decode step of Llama 3 8B: one query over 4,097 cached keys in each of 32 layers,
    // 32 heads of 128 (grouped keys are repeated, not recomputed), nothing re-projected.
    let step = check::<zoo::Llama3_8BDecode<4096>>();
    let step_attention = 32 * 2 * (32 * 4_097 * 128);
    assert_eq!(step.operators.get("attention"), Some(step_attention));
    assert_eq!(
        step.operators.get("linear"),
        Some(zoo::Llama3_8BDecode::<4096>::MACS - step_attention)
    );
    // A group's operators are its layers'.
    let block = gpt2.layers.iter().find(|l| l.path == "h.0").unwrap();
    assert_eq!(block.operators.get("attention"), Some(attention / 12));
}

#[test]
fn resnet_18_to_34_diff_gives_exact_deltas_and_names_the_layers() {
    let diff = Diff::between::<zoo::ResNet18, zoo::ResNet34>();
    assert_eq!(diff.figure("params").unwrap().delta(), Some(10_108_160));
    assert_eq!(diff.figure("macs").unwrap().delta(), Some(1_849_688_064));
    assert_eq!(
        diff.figure("params").unwrap().delta(),
        Some(21_797_672 - 11_689_512)
    );
    // ResNet-34 has 3, 4, 6, 3 blocks where ResNet-18 has 2 each.
    let added: Vec<&str> = diff.added().map(|l| l.path.as_str()).collect();
    assert_eq!(
        added,
        [
            "layer1.2", "layer2.2", "layer2.3", "layer3.2", "layer3.3", "layer3.4", "layer3.5",
            "layer4.2",
        ]
    );
    let changed: Vec<&str> = diff.changed().map(|l| l.path.as_str()).collect();
    assert_eq!(changed, ["layer1", "layer2", "layer3", "layer4",]);
    assert_eq!(diff.removed().count(), 0);
    // The added blocks hold the whole delta: BasicBlock<C, 1> has 2·9·C² + 4·C parameters.
    let block = |c: u64| 2 * 9 * c * c + 4 * c;
    assert_eq!(
        block(64) + 2 * block(128) + 4 * block(256) + block(512),
        10_108_160
    );
    let added_params: i128 = diff
        .added()
        .map(|l| {
            l.figures
                .iter()
                .find(|f| f.key == "params")
                .unwrap()
                .head
                .unwrap() as i128
        })
        .sum();
    assert_eq!(added_params, 10_108_160);
    // Reading the base from JSON (the CI recipe) gives the same diff.
    let base = Snapshot::from_json(&Snapshot::of::<zoo::ResNet18>().to_json()).unwrap();
    let from_json = Diff::new(&base, &Snapshot::of::<zoo::ResNet34>());
    assert_eq!(from_json.to_markdown(), diff.to_markdown());
    assert_eq!(from_json.to_string(), diff.to_string());
    // The other way round, the blocks are removed.
    let back = Diff::between::<zoo::ResNet34, zoo::ResNet18>();
    assert!(back
        .layers
        .iter()
        .any(|l| l.status == LayerStatus::Removed && l.path == "layer3.5"));
    assert_eq!(back.figure("macs").unwrap().delta(), Some(-1_849_688_064));
    assert!(Diff::between::<zoo::ResNet18, zoo::ResNet18>().is_empty());
}

#[test]
fn the_ci_recipe_writes_a_report_and_a_pull_request_comment() {
    // The base branch's run of the recipe's test wrote its report...
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ci-recipe");
    std::fs::create_dir_all(dir.join("nncost-base")).unwrap();
    let base_path = dir.join("nncost-base/Model.json");
    std::fs::write(&base_path, Snapshot::of::<zoo::ResNet18>().to_json()).unwrap();
    // ...and the pull request's run diffs against it.
    let head = Snapshot::of::<zoo::ResNet34>();
    let base = Snapshot::from_json(&std::fs::read_to_string(&base_path).unwrap()).unwrap();
    let comment = Diff::new(&base, &head).to_markdown();
    assert!(
        comment.starts_with("### nncost: `ResNet18` → `ResNet34`\n\nMACs +102.0%, params +86.5%")
    );
    assert!(
        comment.contains("| MACs | 1,814,073,344 | 3,663,761,408 | **+1,849,688,064 (+102.0%)** |")
    );
    assert!(comment.contains("<details><summary>Layers: 4 changed, 8 added, 0 removed</summary>"));
    assert!(comment.contains("| added | `layer3.5` | BasicBlock | +231,211,008 | +1,180,672 |"));
    golden("resnet18-to-resnet34.diff.md", &comment);
}

network! {
    /// Repeats inside repeats, and repeats that differ.
    #[input(8)]
    pub model Nested {
        outer: [[{ fc: Linear::new(8), act: ReLU }; 2]; 3],
        grow: ({ fc: Linear::new(8) }, { fc: Linear::new(16) }, { fc: Linear::new(16) }),
    }
}

#[test]
fn folds_nest_and_fold_only_identical_rows() {
    let folded = Nested::summary().fold().snapshot();
    let rows: Vec<(&str, u64)> = folded
        .layers
        .iter()
        .map(|l| (l.path.as_str(), l.repeat))
        .collect();
    assert_eq!(
        rows,
        [
            ("outer", 1),
            ("outer.0–2", 3),
            ("outer.0–2.0–1", 6),
            ("outer.0–2.0–1.fc", 6),
            ("outer.0–2.0–1.act", 6),
            ("grow", 1),
            // 8 → 8 differs from 8 → 16; the first 8 → 16 differs from the second, whose
            // input is 16 wide.
            ("grow.0", 1),
            ("grow.0.fc", 1),
            ("grow.1", 1),
            ("grow.1.fc", 1),
            ("grow.2", 1),
            ("grow.2.fc", 1),
        ]
    );
    // Six 8 → 8 linear layers: 6 × (64 + 8) parameters.
    let fc = &folded.layers[3];
    assert_eq!(fc.figures.get("params"), Some(6 * (8 * 8 + 8)));
    assert_eq!(fc.operators.get("linear"), Some(6 * 8 * 8));
}

network! {
    /// Cross-attention on a second input.
    pub block Cross(x, memory) {
        attn: (x, memory) -> MultiheadAttention::new(16, 2).bias(false),
    }

    /// Two inputs, cross-attention, a frozen layer, a module used twice and a train-only head.
    pub model Decoder(features: [10, 24], ids: tokens(4)) {
        embed: ids -> Embedding::new(50, 16),
        cross: (embed, features) -> Cross,
        #[frozen]
        frozen: Linear::new(16),
        head: Linear::new(16),
        again: head -> head,
        #[train_only]
        aux: Linear::new(3),
        out: Linear::new(5),
    }
}

#[test]
fn graph_models_export_their_inputs_flags_and_cross_attention() {
    let summary = Decoder::summary();
    golden("decoder.md", &summary.to_markdown());
    golden("decoder.csv", &summary.to_csv());
    let snapshot = summary.snapshot();
    let names: Vec<&str> = snapshot.inputs.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["features", "ids"]);
    let row = |path: &str| snapshot.layers.iter().find(|l| l.path == path).unwrap();
    assert_eq!(row("frozen").flags, ["frozen"]);
    assert_eq!(row("again").flags, ["shared"]);
    assert_eq!(row("aux").flags, ["train_only"]);
    // The frozen layer's 16·16 + 16 parameters are not trainable.
    assert_eq!(
        snapshot.figures.get("trainable_params"),
        Some(Decoder::PARAMS - (16 * 16 + 16))
    );
    // Cross-attention: 4 queries over the 10 encoded positions, 2 heads of 8. QKᵀ and AV are
    // 2 · (2 · 4 · 10 · 8); the projections q and out 4·16·16 each, k and v 10·24·16 each.
    let attn = row("cross.attn");
    assert_eq!(attn.operators.get("attention"), Some(2 * (2 * 4 * 10 * 8)));
    assert_eq!(
        attn.operators.get("linear"),
        Some(2 * (4 * 16 * 16) + 2 * (10 * 24 * 16))
    );
    assert_eq!(
        attn.figures.get("macs"),
        Some(2 * (2 * 4 * 10 * 8) + 2 * (4 * 16 * 16) + 2 * (10 * 24 * 16))
    );
    // The JSON keeps all of it.
    assert_eq!(Snapshot::from_json(&snapshot.to_json()).unwrap(), snapshot);
}
