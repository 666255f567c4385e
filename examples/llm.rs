//! The LLMs of `nncost::zoo` at prefill and at one decode step: parameters, MACs, KV cache,
//! memory traffic and arithmetic intensity, all computed at compile time.
//!
//! ```sh
//! cargo run --example llm --features zoo
//! ```
use nncost::zoo::*;
use nncost::{Model, Report};

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
}
