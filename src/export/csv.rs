//! CSV: one row per layer row, then the totals, for spreadsheets, pandas and dashboards.
//!
//! Written by hand rather than with the `csv` crate: the only CSV rule needed is RFC 4180's
//! quoting (a field with a comma, a quote or a line break goes in double quotes, its quotes
//! doubled), a few lines here, while `csv` would bring `csv-core`, `itoa`, `ryu` and a
//! non-optional `serde` into every build that wants a table.

use super::figures::FIGURES;
use super::snapshot::{LayerSnapshot, Snapshot, Values};
use crate::format::shape;
use crate::Summary;

impl Summary {
    /// The rows this summary shows as CSV: [`Snapshot::to_csv`] of [`Summary::snapshot`].
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4) }
    /// }
    /// // A header, one row, the totals.
    /// assert_eq!(Mlp::summary().to_csv().lines().count(), 3);
    /// ```
    pub fn to_csv(&self) -> String {
        self.snapshot().to_csv()
    }
}

impl Snapshot {
    /// The rows as CSV ([RFC 4180](https://www.rfc-editor.org/rfc/rfc4180), `\n` line ends):
    /// a header, one line per row, then a `(total)` line with the whole model's figures.
    ///
    /// Columns: `path, kind, depth, group, repeat, flags, output` (`flags` space-separated:
    /// `train_only`, `shared`, `frozen`), one column per figure of
    /// [`FIGURES`] (exact integers), then `macs_share` (the row's fraction of the model's
    /// MACs) and `flops_per_byte` (FLOPs per byte of memory traffic), empty where undefined.
    /// The totals line has an empty `depth`, `group` and `flags`.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4), act: ReLU }
    /// }
    /// let csv = Mlp::summary().snapshot().to_csv();
    /// let mut lines = csv.lines();
    /// assert!(lines.next().unwrap().starts_with("path,kind,depth,group,repeat,flags,output,params,"));
    /// assert!(lines.next().unwrap().starts_with("fc,Linear,0,false,1,,\"[1, 4]\",68,68,68,0,0,64,"));
    /// assert!(csv.lines().last().unwrap().starts_with("(total),Mlp,,,1,,\"[1, 4]\",68,"));
    /// ```
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut header = vec![
            "path", "kind", "depth", "group", "repeat", "flags", "output",
        ];
        header.extend(FIGURES.iter().map(|f| f.key));
        header.extend(["macs_share", "flops_per_byte"]);
        line(&mut out, header.iter().map(|h| h.to_string()));
        let total_macs = self.figure("macs");
        for row in &self.layers {
            let LayerSnapshot {
                path,
                kind,
                depth,
                group,
                repeat,
                flags,
                output,
                figures,
                ..
            } = row;
            let mut cells = vec![
                path.clone(),
                kind.clone(),
                depth.to_string(),
                group.to_string(),
                repeat.to_string(),
                flags.join(" "),
                shape(output),
            ];
            cells.extend(numbers(figures, total_macs));
            line(&mut out, cells.into_iter());
        }
        let mut cells = vec![
            "(total)".to_owned(),
            self.model.clone(),
            String::new(),
            String::new(),
            "1".to_owned(),
            String::new(),
            shape(&self.output),
        ];
        cells.extend(numbers(&self.figures, total_macs));
        line(&mut out, cells.into_iter());
        out
    }
}

/// Every figure's cell, then the MACs share and the FLOPs per byte.
fn numbers(figures: &Values, total_macs: u64) -> Vec<String> {
    let mut cells: Vec<String> = FIGURES
        .iter()
        .map(|f| {
            figures
                .get(f.key)
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    let macs = figures.get("macs");
    cells.push(match macs {
        Some(m) if total_macs > 0 => format!("{:.6}", m as f64 / total_macs as f64),
        _ => String::new(),
    });
    cells.push(
        match (figures.get("flops"), figures.get("memory_access_bytes")) {
            (Some(flops), Some(access)) if access > 0 => {
                format!("{:.3}", flops as f64 / access as f64)
            }
            _ => String::new(),
        },
    );
    cells
}

/// One CSV line of `cells`, quoted where needed.
fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.map(|c| quote(&c)).collect();
    out.push_str(&cells.join(","));
    out.push('\n');
}

/// A field as RFC 4180 wants it: in double quotes, with its quotes doubled, if it holds a
/// comma, a quote or a line break.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(quote("conv1"), "conv1");
        assert_eq!(quote("[1, 64]"), "\"[1, 64]\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("a\nb"), "\"a\nb\"");
        assert_eq!(quote(""), "");
    }
}
