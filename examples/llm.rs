//! The LLMs of `nncost::zoo` at prefill and at one decode step: parameters, MACs, KV cache,
//! memory traffic and arithmetic intensity, all computed at compile time; then their time to
//! first token and decode tokens per second on three devices (roofline bounds).
//!
//! ```sh
//! cargo run --example llm --features zoo
//! ```
use nncost::devices::{H100_SXM, JETSON_ORIN_NANO, L4};
use nncost::zoo::*;
use nncost::{milli_tokens_per_second, roofline_of, Device, Model, Report};

// A deployment budget, checked by `cargo build`: Llama 3 8B decodes at least 100 tokens/s on an
// H100 after an 8K-token context (a roofline bound: the real rate is lower).
nncost::assert_budget!(Llama3_8BDecode<8191>: tokens_per_s(H100_SXM) >= 100);

/// A zoo type's name as written, and its report.
macro_rules! row {
    ($model:ty) => {
        (stringify!($model), <$model as Model>::REPORT)
    };
}

/// `1.23 G` style, as the summaries print.
fn human(n: u64) -> String {
    let units = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")];
    for (scale, unit) in units {
        if n as f64 >= scale {
            return format!("{:.2} {unit}", n as f64 / scale);
        }
    }
    n.to_string()
}

/// `1.50 GiB` style.
fn bytes(n: u64) -> String {
    let units = [
        (1u64 << 40, "TiB"),
        (1 << 30, "GiB"),
        (1 << 20, "MiB"),
        (1 << 10, "KiB"),
    ];
    for (scale, unit) in units {
        if n >= scale {
            return format!("{:.2} {unit}", n as f64 / scale as f64);
        }
    }
    format!("{n} B")
}

fn main() {
    let rows: [(&str, Report); 10] = [
        row!(Llama3_8B<128>),
        row!(Llama3_8BDecode<8192>),
        row!(Mistral7B<8192>),
        row!(Mistral7BDecode<32_767>),
        row!(Mixtral8x7B<128>),
        row!(Mixtral8x7BDecode<4096>),
        row!(Qwen2_5_0_5B<128>),
        row!(Qwen2_5_0_5BDecode<4096>),
        row!(Mamba130m<128>),
        row!(Mamba130m<1, 4096>),
    ];
    println!(
        "| model | params | active | MACs | KV cache | traffic | FLOP/B |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    for (name, r) in rows {
        println!(
            "| `{name}` | {} | {} | {} | {} | {} | {:.1} |",
            human(r.cost.params),
            human(r.cost.active_params()),
            human(r.cost.macs),
            bytes(r.memory.kv_cache),
            bytes(r.memory.access),
            r.arithmetic_intensity(),
        );
    }

    println!();
    let devices: [Device; 3] = [H100_SXM, L4, JETSON_ORIN_NANO];
    print!("| model | ");
    for d in &devices {
        print!("{} TTFT (128 tokens) | {} decode |", d.name, d.name);
    }
    println!("\n|---|{}", "---:|---:|".repeat(devices.len()));
    speeds::<Llama3_8B<128>, Llama3_8BDecode<4096>>("Llama3_8B", &devices);
    speeds::<Mistral7B<128>, Mistral7BDecode<4096>>("Mistral7B", &devices);
    speeds::<Mixtral8x7B<128>, Mixtral8x7BDecode<4096>>("Mixtral8x7B", &devices);
    speeds::<Qwen2_5_0_5B<128>, Qwen2_5_0_5BDecode<4096>>("Qwen2_5_0_5B", &devices);
}

/// One table row: the prefill's time to first token and the decode step's tokens per second
/// (after 4,096 cached positions) on each device.
fn speeds<Prefill: Model, Decode: Model>(name: &str, devices: &[Device]) {
    print!("| `{name}` |");
    for device in devices {
        let ttft = roofline_of::<Prefill>(device).time;
        let step = roofline_of::<Decode>(device).time;
        let milli = milli_tokens_per_second(Decode::REPORT.step_tokens(), step);
        print!(
            " {ttft} | {}.{} tok/s |",
            milli / 1_000,
            milli % 1_000 / 100
        );
    }
    println!();
}
