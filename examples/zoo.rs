//! Every model of `nncost::zoo` in one table, sorted by MACs, all computed at compile time.
//!
//! ```sh
//! cargo run --example zoo --features zoo
//! ```
use nncost::zoo::*;
use nncost::{DType, Model, Report};

/// A model's type name as written in `nncost::zoo` and its figures, as the compiler computed
/// them (`MobileNetV2` is an alias, so its report carries the generic model's name).
macro_rules! row {
    ($model:ty) => {
        (stringify!($model), <$model as Model>::REPORT)
    };
}

/// The parameters' size in `dtype`, in MiB (nncost's `DType::bytes`, a const fn).
fn weights_mib(report: &Report, dtype: DType) -> f64 {
    let bytes = dtype.bytes(report.cost.params).expect("fits in u64");
    bytes as f64 / (1024.0 * 1024.0)
}

/// `1,814,073,344`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    let mut reports = [
        row!(AlexNet),
        row!(Vgg11),
        row!(Vgg16),
        row!(Vgg16Bn),
        row!(Vgg19),
        row!(ResNet18),
        row!(ResNet34),
        row!(ResNet50),
        row!(ResNet101),
        row!(ResNet152),
        row!(ResNext50_32x4d),
        row!(WideResNet50_2),
        row!(SqueezeNet1_0),
        row!(SqueezeNet1_1),
        row!(MobileNetV2),
        row!(MnasNet1_0),
        row!(MobileNetV3Large),
        row!(RegNetY800MF),
        row!(EfficientNetV2S),
        row!(ConvNextSmall),
        row!(ResNet50Fpn),
        row!(DeepLabV3MobileNetV3Large),
        row!(ClipVitB32),
        row!(WhisperTiny),
        row!(Yolov8n),
    ];
    reports.sort_by_key(|(_, r)| r.cost.macs);

    println!(
        "nncost::zoo: torchvision layouts, input 3x224x224 (EfficientNetV2S 3x384x384, ResNet50Fpn 3x512x512,\nDeepLabV3MobileNetV3Large 3x520x520); ClipVitB32 3x224x224 + 77 tokens, WhisperTiny 80x3000 + 32 tokens\n(Hugging Face), Yolov8n 3x640x640 (ultralytics); batch 1 (computed at compile time)\n"
    );
    println!(
        "{:<26} {:>13} {:>16} {:>16} {:>12} {:>12}",
        "model", "params", "MACs", "FLOPs", "f32 weights", "int8 weights"
    );
    println!("{}", "-".repeat(26 + 14 + 17 + 17 + 13 + 13));
    for (name, r) in &reports {
        println!(
            "{:<26} {:>13} {:>16} {:>16} {:>8.1} MiB {:>8.1} MiB",
            name,
            grouped(r.cost.params),
            grouped(r.cost.macs),
            grouped(r.cost.flops),
            weights_mib(r, DType::F32),
            weights_mib(r, DType::Int8),
        );
    }
    println!(
        "\nMACs: conv, linear and matmul multiply-accumulates (torchvision's and fvcore's convention; FlopCounterMode / 2)."
    );
    println!(
        "FLOPs: 2 per MAC, plus bias adds, norms, activations, pooling and elementwise adds and products."
    );
    println!("Weights: params x 4 bytes (f32) or x 1 byte (int8); buffers not included.");
}
