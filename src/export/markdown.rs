//! Markdown: a GitHub table of the rows and the totals, for READMEs, PR comments and notebooks;
//! and the MACs by operator beside `FlopCounterMode`'s counts.

use super::figures::{FigureColumn, Quantity, FIGURES, OPERATORS};
use super::snapshot::{Snapshot, Values};
use crate::format::{grouped, human_bytes, intensity, shape, share};
use crate::Summary;

impl Summary {
    /// The rows this summary shows as a Markdown table: [`Snapshot::to_markdown`] of
    /// [`Summary::snapshot`].
    ///
    /// ```
    /// # #[cfg(feature = "zoo")] {
    /// use nncost::zoo::ResNet152;
    /// // The model's own entries, each stage with its totals: a table for a README.
    /// let md = ResNet152::summary().depth(1).to_markdown();
    /// assert_eq!(md.lines().count(), 2 + 11 + 1);
    /// assert!(md.contains("| `layer3` | BottleneckStage | [1, 1024, 14, 14] | 40,613,888 |"));
    /// # }
    /// ```
    pub fn to_markdown(&self) -> String {
        self.snapshot().to_markdown()
    }
}

impl Snapshot {
    /// The rows as a GitHub-flavoured Markdown table, then a bold totals row.
    ///
    /// Columns: the path (folded rows end in `×n`), the kind (marked `(train only)`,
    /// `(shared)` or `(frozen)` where it applies), the output shape, one column per
    /// figure of [`FIGURES`] the model has (counts exact, bytes in KiB/MiB/GiB; the active
    /// parameters only for a mixture of experts, the KV cache only for a step over a cache,
    /// as [`FigureColumn::shown`] says), the share of the model's
    /// MACs and the FLOPs per byte of memory traffic. `|` in a cell is escaped.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4), act: ReLU }
    /// }
    /// let md = Mlp::summary().snapshot().to_markdown();
    /// let lines: Vec<&str> = md.lines().collect();
    /// assert!(lines[0].starts_with("| layer | kind | output | params | trainable | buffers | all buffers | MACs |"));
    /// assert!(lines[1].starts_with("|---|---|---|---:|"));
    /// assert!(lines[2].starts_with("| `fc` | Linear | [1, 4] | 68 | 68 | 0 | 0 | 64 |"));
    /// assert!(lines[4].starts_with("| **Mlp (total)** | | [1, 4] | **68** |"));
    /// ```
    pub fn to_markdown(&self) -> String {
        let columns: Vec<&FigureColumn> = FIGURES
            .iter()
            .filter(|f| (f.shown)(&self.figures))
            .collect();
        let mut headings = vec!["layer", "kind", "output"];
        headings.extend(columns.iter().map(|f| f.label));
        headings.extend(["share", "FLOP/B"]);
        let mut out = table_row(headings.iter().map(|h| h.to_string()));
        out.push_str("|---|---|---|");
        for _ in 0..columns.len() + 2 {
            out.push_str("---:|");
        }
        out.push('\n');
        let total_macs = self.figure("macs");
        for row in &self.layers {
            let path = if row.repeat > 1 {
                format!("`{}` ×{}", row.path, row.repeat)
            } else {
                format!("`{}`", row.path)
            };
            let kind = format!("{}{}", row.kind, super::text::mark(&row.flags));
            let mut cells = vec![path, escape(&kind), shape(&row.output)];
            cells.extend(numbers(&columns, &row.figures, total_macs, false));
            out.push_str(&table_row(cells.into_iter()));
        }
        let mut cells = vec![
            format!("**{} (total)**", escape(&self.model)),
            String::new(),
            shape(&self.output),
        ];
        cells.extend(numbers(&columns, &self.figures, total_macs, true));
        out.push_str(&table_row(cells.into_iter()));
        out
    }

    /// The model's MACs by operator as a Markdown table, beside what `FlopCounterMode`'s
    /// `get_flop_counts()` reports for the same model in PyTorch (2 FLOPs per MAC, and nothing
    /// for recurrent layers, whose fused kernels it cannot see).
    ///
    /// ```
    /// # #[cfg(feature = "zoo")] {
    /// use nncost::export::Snapshot;
    /// use nncost::zoo::ResNet18;
    /// let md = Snapshot::of::<ResNet18>().operators_markdown();
    /// assert!(md.contains("| convolution | `aten.convolution` | 1,813,561,344 | 3,627,122,688 |"));
    /// assert!(md.contains("| linear | `aten.addmm, aten.mm` | 512,000 | 1,024,000 |"));
    /// # }
    /// ```
    pub fn operators_markdown(&self) -> String {
        let mut out = String::from(
            "| operator | FlopCounterMode | MACs | FlopCounterMode FLOPs |\n|---|---|---:|---:|\n",
        );
        for (key, macs) in self.operators.iter() {
            let group = OPERATORS.iter().find(|o| o.key == key);
            let aten = group.map_or("", |o| o.aten);
            let counted = match key {
                "recurrent" | "other" => 0,
                _ => macs.saturating_mul(2),
            };
            let aten = if aten.starts_with("aten") {
                format!("`{aten}`")
            } else {
                aten.to_owned()
            };
            out.push_str(&table_row(
                [key.to_owned(), aten, grouped(macs), grouped(counted)].into_iter(),
            ));
        }
        out
    }
}

/// The cells of the figures in `columns`, then the MACs share and the FLOPs per byte; bold
/// for the totals.
fn numbers(
    columns: &[&FigureColumn],
    figures: &Values,
    total_macs: u64,
    bold: bool,
) -> Vec<String> {
    let strong = |s: String| {
        if bold && !s.is_empty() {
            format!("**{s}**")
        } else {
            s
        }
    };
    let mut cells: Vec<String> = columns
        .iter()
        .map(|f| {
            figures
                .get(f.key)
                .map_or_else(String::new, |v| match f.quantity {
                    Quantity::Count => grouped(v),
                    Quantity::Bytes => human_bytes(v),
                })
        })
        .map(strong)
        .collect();
    let get = |key| figures.get(key).unwrap_or(0);
    cells.push(strong(share(get("macs"), total_macs)));
    cells.push(strong(intensity(get("flops"), get("memory_access_bytes"))));
    cells
}

/// `| a | b |` and a line break; an empty cell is `| |`.
fn table_row(cells: impl Iterator<Item = String>) -> String {
    let mut row = String::from("|");
    for cell in cells {
        if !cell.is_empty() {
            row.push(' ');
            row.push_str(&cell);
        }
        row.push_str(" |");
    }
    row.push('\n');
    row
}

/// `|` escaped, so a cell cannot end early.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
