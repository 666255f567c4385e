//! The plain-text table that `println!("{}", Net::summary())` prints.

use std::fmt;

use super::snapshot::{NamedShape, Snapshot};
use crate::format::{
    exact_bytes, grouped, human, human_bytes, intensity, shape, share, write_table,
};

/// Columns, and which are right-aligned (numbers); a step over a KV cache gets one more.
const HEADERS: [&str; 10] = [
    "layer",
    "kind",
    "output",
    "params",
    "MACs",
    "share",
    "out bytes",
    "traffic",
    "FLOP/B",
    "KV cache",
];
const RIGHT: [bool; 10] = [
    false, false, false, true, true, true, true, true, true, true,
];

/// The per-layer table, then the totals and the memory figures: the text a [`Summary`]
/// prints (see it for the columns). A report read back from JSON prints the same way.
///
/// [`Summary`]: crate::Summary
impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total_macs = self.figure("macs");
        let access = self.figure("memory_access_bytes");
        // The KV cache column only for a step over a cache.
        let columns = if self.cached.is_some() { 10 } else { 9 };
        let cache = |bytes: u64| match bytes {
            0 => String::new(),
            bytes => human_bytes(bytes),
        };
        let mut cells: Vec<Vec<String>> = Vec::with_capacity(self.layers.len() + 2);
        for row in &self.layers {
            let get = |key| row.figures.get(key).unwrap_or(0);
            let indent = "  ".repeat(row.depth as usize);
            let repeat = if row.repeat > 1 {
                format!(" ×{}", row.repeat)
            } else {
                String::new()
            };
            let traffic = match get("memory_access_bytes") {
                0 => String::new(),
                bytes => human_bytes(bytes),
            };
            let train_only = row.flags.iter().any(|f| f == "train_only");
            let mut line = vec![
                format!("{indent}{}{repeat}", row.path),
                format!("{}{}", row.kind, mark(&row.flags)),
                shape(&row.output),
                grouped(get("params")),
                grouped(get("macs")),
                share(get("macs"), total_macs),
                if train_only {
                    String::new()
                } else {
                    human_bytes(get("output_bytes"))
                },
                traffic,
                intensity(get("flops"), get("memory_access_bytes")),
                cache(get("kv_cache_bytes")),
            ];
            line.truncate(columns);
            cells.push(line);
        }
        let mut totals = vec![
            format!("{} (total)", self.model),
            String::new(),
            shape(&self.output),
            grouped(self.figure("params")),
            grouped(total_macs),
            "100.0%".to_owned(),
            human_bytes(self.figure("output_bytes")),
            human_bytes(access),
            intensity(self.figure("flops"), access),
            cache(self.figure("kv_cache_bytes")),
        ];
        totals.truncate(columns);
        write_table(f, &HEADERS[..columns], &RIGHT, &cells, &totals)?;
        // A model with several inputs or named outputs lists them all.
        let named = |tensors: &[NamedShape]| -> String {
            tensors
                .iter()
                .map(|t| format!("{} {}", t.name, shape(&t.shape)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.inputs.len() > 1 {
            writeln!(f, "inputs: {}", named(&self.inputs))?;
        }
        if self.outputs.len() > 1 || self.outputs.first().is_some_and(|o| o.name != "output") {
            writeln!(f, "outputs: {}", named(&self.outputs))?;
        }
        let count = |key| (grouped(self.figure(key)), human(self.figure(key)));
        let (params, params_h) = count("params");
        let (macs, macs_h) = count("macs");
        let (flops, flops_h) = count("flops");
        let trainable = match self.figures.get("trainable_params") {
            Some(t) if t != self.figure("params") => format!(" (trainable {})", grouped(t)),
            _ => String::new(),
        };
        writeln!(
            f,
            "input {}  params {params} ({params_h}){trainable}  buffers {} (all {})  MACs {macs} ({macs_h})  FLOPs {flops} ({flops_h})",
            shape(&self.input),
            grouped(self.figure("buffers")),
            grouped(self.figure("all_buffers")),
        )?;
        let active = self.figure("active_params");
        if active != self.figure("params") && self.figures.get("active_params").is_some() {
            writeln!(
                f,
                "active params {} ({}) of {params_h}: the experts a token's router picks",
                grouped(active),
                human(active),
            )?;
        }
        writeln!(
            f,
            "dtypes: weights {}, activations {}  weights {}  activations {}",
            self.dtypes.weights,
            self.dtypes.activations,
            exact_bytes(self.figure("weight_bytes")),
            exact_bytes(self.figure("activation_bytes")),
        )?;
        if let Some(cached) = self.cached {
            let step = if cached == 0 {
                "prefill".to_owned()
            } else {
                format!("decode step after {} cached positions", grouped(cached))
            };
            writeln!(
                f,
                "{step}: KV cache {} in {} (held after the step; its reads and writes are in the traffic)",
                exact_bytes(self.figure("kv_cache_bytes")),
                self.dtypes.kv_cache.as_deref().unwrap_or(&self.dtypes.activations),
            )?;
        }
        let per_byte = if access == 0 {
            0.0
        } else {
            self.figure("flops") as f64 / access as f64
        };
        writeln!(
            f,
            "peak memory {}  memory access {}  {per_byte:.1} FLOPs per byte",
            exact_bytes(self.figure("peak_memory_bytes")),
            exact_bytes(access),
        )
    }
}

/// How a row counts, when not as a layer that runs: a head trained but not run, a module whose
/// weights are counted at its first use, frozen weights (the first that applies).
pub(crate) fn mark(flags: &[String]) -> &'static str {
    let has = |flag: &str| flags.iter().any(|f| f == flag);
    if has("train_only") {
        " (train only)"
    } else if has("shared") {
        " (shared)"
    } else if has("frozen") {
        " (frozen)"
    } else {
        ""
    }
}
