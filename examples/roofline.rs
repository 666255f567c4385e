//! Roofline times of the zoo's ResNet-18, MobileNetV2 and GPT-2 on three devices (the README's
//! table), and ResNet-18's per-layer roofline on a Raspberry Pi 5.
//!
//! `cargo run --example roofline --features zoo`
use nncost::devices::{H100_SXM, JETSON_ORIN_NANO, RASPBERRY_PI_5};
use nncost::prelude::*;
use nncost::zoo::{Gpt2, MobileNetV2, ResNet18};
use nncost::{roofline_of, Device, Roofline};

network! {
    /// ResNet-18 in half precision (the zoo's models are f32; an outer model sets the dtypes).
    #[input(3, 224, 224)]
    #[dtype(f16)]
    model ResNet18F16 { net: ResNet18 }

    /// GPT-2 small in half precision.
    #[input(tokens = 128)]
    #[dtype(f16)]
    model Gpt2F16 { net: Gpt2<128> }
}

// The same numbers, at compile time: a lower bound on ResNet-18's latency on a Pi 5.
const RESNET18_ON_PI: Roofline = roofline_of::<ResNet18>(&RASPBERRY_PI_5);
nncost::const_assert!(RESNET18_ON_PI.time.as_picos() > 10_000_000_000); // over 10 ms
nncost::assert_budget!(ResNet18: latency(H100_SXM) <= 1ms, fits(JETSON_ORIN_NANO));

const DEVICES: [Device; 3] = [H100_SXM, JETSON_ORIN_NANO, RASPBERRY_PI_5];

fn row<M: Model>(label: &str) -> String {
    let mut cells = vec![format!("| {label} |")];
    for device in &DEVICES {
        let r = roofline_of::<M>(device);
        let bound = if r.compute_bound.as_picos() * 2 >= r.time.as_picos() {
            "compute"
        } else {
            "memory"
        };
        cells.push(format!(" {} ({}) |", r.time, bound));
    }
    cells.concat()
}

fn main() {
    let mut header = String::from("| model |");
    let mut rule = String::from("|---|");
    for device in &DEVICES {
        header.push_str(&format!(" {} |", device.name));
        rule.push_str("---:|");
    }
    println!("{header}\n{rule}");
    println!("{}", row::<ResNet18>("ResNet-18, f32"));
    println!("{}", row::<ResNet18F16>("ResNet-18, f16"));
    println!("{}", row::<MobileNetV2>("MobileNetV2, f32"));
    println!("{}", row::<Gpt2<128>>("GPT-2 small, 128 tokens, f32"));
    println!("{}", row::<Gpt2F16>("GPT-2 small, 128 tokens, f16"));
    println!();
    println!("{}", ResNet18::summary().on(&RASPBERRY_PI_5));
}
