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
        let mut walk = Walk::new(&mut rows).precision(report.precision);
        // The const evaluation already succeeded, so this one does too.
        let _ = walk.eval(&M::NODE, M::INPUT);
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

/// `summary()` for every [`Model`], so generic code can write `M::summary()` (it is in the
/// prelude). A concrete model's own `summary()` is the same table, with no import needed.
///
/// ```
/// use nncost::prelude::*;
///
/// /// Any model's table, with its parameters and MACs in the heading.
/// fn report<M: Model>() -> String {
///     format!("{}: {} params, {} MACs\n{}", M::NAME, M::PARAMS, M::MACS, M::summary())
/// }
///
/// network! {
///     #[input(16)]
///     model Mlp { fc: Linear::new(4) }
/// }
/// assert!(report::<Mlp>().starts_with("Mlp: 68 params, 64 MACs\n"));
/// ```
pub trait ModelSummary: Model + Sized {
    /// The per-layer table of the model ([`Summary::of`]).
    fn summary() -> Summary {
        Summary::of::<Self>()
    }
}

impl<M: Model> ModelSummary for M {}

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

/// Columns, and which are right-aligned (numbers).
const HEADERS: [&str; 9] = [
    "layer",
    "kind",
    "output",
    "params",
    "MACs",
    "share",
    "out bytes",
    "traffic",
    "FLOP/B",
];
const RIGHT: [bool; 9] = [false, false, false, true, true, true, true, true, true];

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = &self.report;
        let total = report.cost;
        let memory = report.memory;
        let paths = self.paths();
        let mut cells: Vec<[String; 9]> = Vec::with_capacity(self.rows.len() + 2);
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
            cells.push([
                format!("{indent}{path}"),
                row.kind.to_owned(),
                row.output.to_string(),
                grouped(row.cost.params),
                grouped(row.cost.macs),
                share,
                human_bytes(self.output_bytes(row)),
                traffic,
                intensity(row.arithmetic_intensity(), row.memory.access),
            ]);
        }
        let totals = [
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
        ];
        let mut widths = HEADERS.map(str::len);
        for row in cells.iter().chain(std::iter::once(&totals)) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, row: &[String; 9]| -> fmt::Result {
            let mut text = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
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
        let header = HEADERS.map(str::to_owned);
        line(f, &header)?;
        let rule: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        writeln!(f, "{}", "-".repeat(rule))?;
        for row in &cells {
            line(f, row)?;
        }
        writeln!(f, "{}", "-".repeat(rule))?;
        line(f, &totals)?;
        writeln!(
            f,
            "input {}  params {} ({})  buffers {}  MACs {} ({})  FLOPs {} ({})",
            report.input,
            grouped(total.params),
            human(total.params),
            grouped(total.buffers),
            grouped(total.macs),
            human(total.macs),
            grouped(total.flops),
            human(total.flops),
        )?;
        writeln!(
            f,
            "dtypes: weights {}, activations {}  weights {}  activations {}",
            report.precision.weights.name(),
            report.precision.activations.name(),
            exact_bytes(memory.weights),
            exact_bytes(memory.activations),
        )?;
        writeln!(
            f,
            "peak memory {}  memory access {}  {:.1} FLOPs per byte",
            exact_bytes(memory.peak),
            exact_bytes(memory.access),
            report.arithmetic_intensity(),
        )
    }
}
