//! Per-layer summary tables (`Model::summary()`), built at run time from the same const fns.

use std::fmt;

use nncost_core::{Message, Model, Report, Row, Segment, UnitSystem, Walk};

/// A model's per-layer table: layer path, kind, output shape, params, MACs and share of the MACs.
///
/// Print it with `{}`; rows are in execution order, groups (blocks, repeats) before their layers.
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
        let mut walk = Walk::new(&mut rows);
        // The const evaluation already succeeded, so this one does too.
        let _ = walk.eval(&M::NODE, M::INPUT);
        Summary { report, rows }
    }

    /// The full dotted path of every row (`layer2.0.conv1`), in row order.
    pub fn paths(&self) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        self.rows
            .iter()
            .map(|row| {
                stack.truncate(row.depth as usize);
                let name = match row.name {
                    Segment::Name(name) => name.to_owned(),
                    Segment::Index(i) => i.to_string(),
                };
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

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.report.cost;
        let paths = self.paths();
        let headers = ["layer", "kind", "output", "params", "MACs", "share"];
        let mut cells: Vec<[String; 6]> = Vec::with_capacity(self.rows.len() + 2);
        for (row, path) in self.rows.iter().zip(&paths) {
            let indent = "  ".repeat(row.depth as usize);
            let share = if total.macs == 0 || row.cost.macs == 0 {
                String::new()
            } else {
                format!("{:.1}%", row.cost.macs as f64 * 100.0 / total.macs as f64)
            };
            cells.push([
                format!("{indent}{path}"),
                row.kind.to_owned(),
                row.output.to_string(),
                grouped(row.cost.params),
                grouped(row.cost.macs),
                share,
            ]);
        }
        let totals = [
            format!("{} (total)", self.report.name),
            String::new(),
            self.report.output.to_string(),
            grouped(total.params),
            grouped(total.macs),
            "100.0%".to_owned(),
        ];
        let mut widths = headers.map(str::len);
        for row in cells.iter().chain(std::iter::once(&totals)) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, row: &[String; 6]| -> fmt::Result {
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                let pad = w - cell.chars().count();
                if i > 0 {
                    f.write_str("  ")?;
                }
                if i >= 3 {
                    write!(f, "{}{}", " ".repeat(pad), cell)?;
                } else if i == 5 {
                    write!(f, "{cell}")?;
                } else {
                    write!(f, "{}{}", cell, " ".repeat(pad))?;
                }
            }
            writeln!(f)
        };
        let header = headers.map(str::to_owned);
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
            self.report.input,
            grouped(total.params),
            human(total.params),
            grouped(total.buffers),
            grouped(total.macs),
            human(total.macs),
            grouped(total.flops),
            human(total.flops),
        )
    }
}
