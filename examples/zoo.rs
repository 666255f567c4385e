//! Every model of `nncost::zoo` in one table, sorted by MACs, all computed at compile time.
//!
//! ```sh
//! cargo run --example zoo --features zoo
//! ```
use nncost::zoo::*;
use nncost::{DType, Model, Report};

/// A model's figures, as the compiler computed them.
fn report<M: Model>() -> Report {
    M::REPORT
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
        report::<AlexNet>(),
        report::<Vgg11>(),
        report::<Vgg16>(),
        report::<Vgg16Bn>(),
        report::<Vgg19>(),
        report::<ResNet18>(),
        report::<ResNet34>(),
        report::<ResNet50>(),
        report::<ResNet101>(),
        report::<ResNet152>(),
        report::<ResNext50_32x4d>(),
        report::<WideResNet50_2>(),
        report::<SqueezeNet1_0>(),
        report::<SqueezeNet1_1>(),
        report::<MobileNetV2>(),
        report::<MnasNet1_0>(),
    ];
    reports.sort_by_key(|r| r.cost.macs);

    println!(
        "nncost::zoo: torchvision layouts, input 3x224x224, batch 1 (computed at compile time)\n"
    );
    println!(
        "{:<16} {:>13} {:>16} {:>16} {:>12} {:>12}",
        "model", "params", "MACs", "FLOPs", "f32 weights", "int8 weights"
    );
    println!("{}", "-".repeat(16 + 14 + 17 + 17 + 13 + 13));
    for r in &reports {
        println!(
            "{:<16} {:>13} {:>16} {:>16} {:>8.1} MiB {:>8.1} MiB",
            r.name,
            grouped(r.cost.params),
            grouped(r.cost.macs),
            grouped(r.cost.flops),
            weights_mib(r, DType::F32),
            weights_mib(r, DType::Int8),
        );
    }
    println!(
        "\nMACs: conv and linear multiply-accumulates (torchvision's and fvcore's convention)."
    );
    println!(
        "FLOPs: 2 per MAC, plus bias adds, BatchNorm, activations, pooling and residual adds."
    );
    println!("Weights: params x 4 bytes (f32) or x 1 byte (int8); buffers not included.");
}
