//! Per-layer summary tables (`Model::summary()`), built at run time from the same const fns.

use std::fmt;

use nncost_core::{Message, Model, Report, Row, UnitSystem, Walk};

/// A model's per-layer table: layer path, kind, output shape, params, MACs, share of the MACs,
/// output bytes, memory traffic and arithmetic intensity (FLOPs per byte of traffic).
///
/// Print it with `{}`; rows are in execution order, groups (blocks, repeats) before their layers,
/// a merge (`add`, `concat`) after its branches. Bytes are at the model's dtypes; a view
/// (`Flatten`) shows the size of its output but moves nothing. Below the table: the totals and
/// the four memory figures (see the crate docs for the execution model behind them).
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(3, 32, 32)]
///     model Tiny {
///         conv: Conv2d::new(8, 3).padding(1),
///         relu: ReLU,
///     }
/// }
/// let table = Tiny::summary().to_string();
/// assert!(table.contains("conv"));
/// assert!(table.contains("Conv2d"));
/// // The conv writes 8 × 32 × 32 f32 values: 32 KiB.
/// assert!(table.contains("32.0 KiB"));
/// ```
#[derive(Clone, Debug)]
pub struct Summary {
    /// The whole model's report.
    pub report: Report,
    /// One row per entry, in pre-order.
    pub rows: Vec<Row>,
}

impl Summary {
    /// Evaluates `M` once more at run time, recording every row.
    pub fn of<M: Model>() -> Summary {
        let report = M::REPORT;
        let mut rows = vec![Row::EMPTY; report.rows];
        let mut walk = Walk::new(&mut rows)
            .precision(report.precision)
            .phase(report.phase);
        // The const evaluation already succeeded, so this one does too.
        let _ = walk.eval_inputs(&M::NODE, M::INPUTS);
        Summary { report, rows }
    }

    /// Bytes of a row's output tensor at the model's activation dtype.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(3, 32, 32)]
    ///     #[dtype(activations = f16)]
    ///     model Half { conv: Conv2d::new(8, 3).padding(1) }
    /// }
    /// let summary = Half::summary();
    /// assert_eq!(summary.output_bytes(&summary.rows[0]), 8 * 32 * 32 * 2);
    /// ```
    pub fn output_bytes(&self, row: &Row) -> u64 {
        row.output
            .numel()
            .and_then(|n| self.report.precision.activations.bytes(n))
            .unwrap_or(u64::MAX)
    }

    /// The full dotted path of every row (`layer2.0.conv1`), in row order.
    pub fn paths(&self) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        self.rows
            .iter()
            .map(|row| {
                stack.truncate(row.depth as usize);
                let name = row.name.to_string();
                let path = if stack.is_empty() {
                    name.clone()
                } else {
                    format!("{}.{}", stack.join("."), name)
                };
                if row.group {
                    stack.push(name);
                }
                path
            })
            .collect()
    }
}

/// `1,814,073,344`, formatted by the same const fn as compile-time messages.
fn grouped(n: u64) -> String {
    let mut m = Message::new();
    m.push_grouped(n);
    m.as_str().to_owned()
}

/// `1.81 G`.
fn human(n: u64) -> String {
    let mut m = Message::new();
    m.push_human(n, UnitSystem::Count);
    m.as_str().to_owned()
}

/// `44.6 MiB`.
fn human_bytes(n: u64) -> String {
    let mut m = Message::new();
    m.push_human(n, UnitSystem::BinaryBytes);
    m.as_str().to_owned()
}

/// `46,758,048 B (44.6 MiB)`.
fn exact_bytes(n: u64) -> String {
    let mut m = Message::new();
    m.push_exact_and_human(n, UnitSystem::BinaryBytes);
    m.as_str().to_owned()
}

/// FLOPs per byte (computed by the core) with one decimal, or nothing when nothing moves.
fn intensity(value: f64, access: u64) -> String {
    if access == 0 {
        String::new()
    } else {
        format!("{value:.1}")
    }
}

/// Columns, and which are right-aligned (numbers); a model with a KV cache gets one more.
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

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = &self.report;
        let total = report.cost;
        let memory = report.memory;
        let paths = self.paths();
        // The KV cache column only for a step over a cache.
        let columns = if report.phase.cache { 10 } else { 9 };
        let cache = |bytes: u64| {
            if bytes == 0 {
                String::new()
            } else {
                human_bytes(bytes)
            }
        };
        let mut cells: Vec<Vec<String>> = Vec::with_capacity(self.rows.len() + 2);
        for (row, path) in self.rows.iter().zip(&paths) {
            let indent = "  ".repeat(row.depth as usize);
            let share = if total.macs == 0 || row.cost.macs == 0 {
                String::new()
            } else {
                format!("{:.1}%", row.cost.macs as f64 * 100.0 / total.macs as f64)
            };
            let traffic = if row.memory.access == 0 {
                String::new()
            } else {
                human_bytes(row.memory.access)
            };
            // How a row counts, when not as a layer that runs: a head trained but not run, a
            // module whose weights are counted at its first use, frozen weights.
            let mark = if row.train_only() {
                " (train only)"
            } else if row.shared() {
                " (shared)"
            } else if row.flags & nncost_core::Wiring::FROZEN != 0 {
                " (frozen)"
            } else {
                ""
            };
            let mut line = vec![
                format!("{indent}{path}"),
                format!("{}{mark}", row.kind),
                row.output.to_string(),
                grouped(row.cost.params),
                grouped(row.cost.macs),
                share,
                if row.train_only() {
                    String::new()
                } else {
                    human_bytes(self.output_bytes(row))
                },
                traffic,
                intensity(row.arithmetic_intensity(), row.memory.access),
                cache(row.memory.kv_cache),
            ];
            line.truncate(columns);
            cells.push(line);
        }
        let mut totals = vec![
            format!("{} (total)", report.name),
            String::new(),
            report.output.to_string(),
            grouped(total.params),
            grouped(total.macs),
            "100.0%".to_owned(),
            human_bytes(
                report
                    .output
                    .numel()
                    .and_then(|n| report.precision.activations.bytes(n))
                    .unwrap_or(u64::MAX),
            ),
            human_bytes(memory.access),
            intensity(report.arithmetic_intensity(), memory.access),
            cache(memory.kv_cache),
        ];
        totals.truncate(columns);
        let mut widths: Vec<usize> = HEADERS[..columns].iter().map(|h| h.len()).collect();
        for row in cells.iter().chain(std::iter::once(&totals)) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, row: &[String]| -> fmt::Result {
            let mut text = String::new();
            for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
                let pad = " ".repeat(w - cell.chars().count());
                if i > 0 {
                    text.push_str("  ");
                }
                if RIGHT[i] {
                    text.push_str(&pad);
                    text.push_str(cell);
                } else {
                    text.push_str(cell);
                    text.push_str(&pad);
                }
            }
            writeln!(f, "{}", text.trim_end())
        };
        let header: Vec<String> = HEADERS[..columns].iter().map(|h| (*h).to_owned()).collect();
        line(f, &header)?;
        let rule: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        writeln!(f, "{}", "-".repeat(rule))?;
        for row in &cells {
            line(f, row)?;
        }
        writeln!(f, "{}", "-".repeat(rule))?;
        line(f, &totals)?;
        // A model with several inputs or named outputs lists them all.
        let named = |tensors: &nncost_core::Tensors| -> String {
            (0..tensors.len())
                .map(|i| format!("{} {}", tensors.name(i), tensors.shape(i)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if report.inputs.len() > 1 {
            writeln!(f, "inputs: {}", named(&report.inputs))?;
        }
        if report.outputs.len() > 1 || report.outputs.name(0) != "output" {
            writeln!(f, "outputs: {}", named(&report.outputs))?;
        }
        let trainable = total.params - total.frozen_params;
        let frozen = if total.frozen_params > 0 {
            format!(" (trainable {})", grouped(trainable))
        } else {
            String::new()
        };
        writeln!(
            f,
            "input {}  params {} ({}){frozen}  buffers {} (all {})  MACs {} ({})  FLOPs {} ({})",
            report.input,
            grouped(total.params),
            human(total.params),
            grouped(total.buffers),
            grouped(total.all_buffers()),
            grouped(total.macs),
            human(total.macs),
            grouped(total.flops),
            human(total.flops),
        )?;
        if total.inactive_params > 0 {
            writeln!(
                f,
                "active params {} ({}) of {}: the experts a token's router picks",
                grouped(total.active_params()),
                human(total.active_params()),
                human(total.params),
            )?;
        }
        writeln!(
            f,
            "dtypes: weights {}, activations {}  weights {}  activations {}",
            report.precision.weights.name(),
            report.precision.activations.name(),
            exact_bytes(memory.weights),
            exact_bytes(memory.activations),
        )?;
        if report.phase.cache {
            let step = if report.phase.cached == 0 {
                "prefill".to_owned()
            } else {
                format!(
                    "decode step after {} cached positions",
                    grouped(report.phase.cached)
                )
            };
            writeln!(
                f,
                "{step}: KV cache {} in {} (held after the step; its reads and writes are in the traffic)",
                exact_bytes(memory.kv_cache),
                report.precision.kv_cache.name(),
            )?;
        }
        writeln!(
            f,
            "peak memory {}  memory access {}  {:.1} FLOPs per byte",
            exact_bytes(memory.peak),
            exact_bytes(memory.access),
            report.arithmetic_intensity(),
        )
    }
}
