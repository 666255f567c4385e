//! SVG charts of ResNet-18 and GPT-2 (128 tokens): MACs and memory traffic per layer, and a
//! roofline on a device (ResNet-18 on a Jetson Orin Nano, GPT-2 on an L4, both at f32),
//! written to `target/charts/`.
//!
//! ```sh
//! cargo run --example charts --features zoo,chart
//! ```
//!
//! The README's image, `docs/resnet18-roofline.svg`, is this example's ResNet-18 roofline
//! (a test checks that it is current).
use std::fs;
use std::path::Path;

use nncost::devices::{JETSON_ORIN_NANO, L4};
use nncost::zoo::{Gpt2, ResNet18};

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/charts");
    fs::create_dir_all(&dir)?;
    let charts = [
        // ResNet-18 to its stages' blocks; every layer on the roofline.
        ("resnet18-bars.svg", ResNet18::summary().depth(3).bars_svg()),
        (
            "resnet18-roofline.svg",
            ResNet18::summary().roofline_svg(&JETSON_ORIN_NANO),
        ),
        // GPT-2's twelve identical blocks folded into one, down to their layers.
        ("gpt2-bars.svg", Gpt2::<128>::summary().fold().bars_svg()),
        (
            "gpt2-roofline.svg",
            Gpt2::<128>::summary().fold().roofline_svg(&L4),
        ),
    ];
    for (name, svg) in charts {
        let path = dir.join(name);
        fs::write(&path, svg)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
