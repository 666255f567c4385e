//! Per-layer summary tables (`Model::summary()`), built at run time from the same const fns.

use std::fmt;

use nncost_core::{Model, Report, Row, Walk};

use crate::export::Snapshot;

/// A model's per-layer table: layer path, kind, output shape, params, MACs, share of the MACs,
/// output bytes, memory traffic and arithmetic intensity (FLOPs per byte of traffic).
///
/// Print it with `{}`; rows are in execution order, groups (blocks, repeats) before their layers,
/// a merge (`add`, `concat`) after its branches. Bytes are at the model's dtypes; a view
/// (`Flatten`) shows the size of its output but moves nothing. Below the table: the totals and
/// the four memory figures (see the crate docs for the execution model behind them).
///
/// Fewer rows with [`depth`](Summary::depth) and [`fold`](Summary::fold); the same rows as
/// Markdown, CSV or JSON, as charts, or as data with [`snapshot`](Summary::snapshot) (see
/// [`export`](crate::export)).
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
    /// One row per entry, in pre-order (every row, whatever [`depth`](Summary::depth) and
    /// [`fold`](Summary::fold) show).
    pub rows: Vec<Row>,
    /// Which rows the table and the exports show.
    view: View,
}

/// Which rows a [`Summary`] shows: all of them unless cut at a depth or folded.
#[derive(Clone, Copy, Debug, Default)]
struct View {
    depth: Option<usize>,
    fold: bool,
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
        Summary {
            report,
            rows,
            view: View::default(),
        }
    }

    /// Shows only the rows less than `depth` levels deep, as torchinfo's `depth`: `depth(1)`
    /// is the model's own entries, each group with its total. Applies to the printed table
    /// and every export ([`Summary::snapshot`]); `rows` keeps them all.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(3, 16, 16)]
    ///     model Net {
    ///         stem: { conv: Conv2d::new(8, 3), relu: ReLU },
    ///         head: { pool: AdaptiveAvgPool2d::new(1, 1), flatten: Flatten, fc: Linear::new(2) },
    ///     }
    /// }
    /// let table = Net::summary().depth(1).to_string();
    /// assert!(table.contains("stem") && table.contains("head"));
    /// assert!(!table.contains("stem.conv"));
    /// ```
    pub fn depth(mut self, depth: usize) -> Summary {
        self.view.depth = Some(depth);
        self
    }

    /// Folds identical repeated blocks into one row each (`layer3.1–35 ×35`), their
    /// figures summed over the copies; see [`Snapshot::fold`]. Applies to the printed table
    /// and every export; `rows` keeps them all.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(64)]
    ///     model Mlp { blocks: [{ fc: Linear::new(64), act: ReLU }; 6], out: Linear::new(10) }
    /// }
    /// let table = Mlp::summary().fold().to_string();
    /// assert!(table.contains("blocks.0–5 ×6"));
    /// assert!(table.contains("blocks.0–5.fc ×6"));
    /// ```
    pub fn fold(mut self) -> Summary {
        self.view.fold = true;
        self
    }

    /// The rows this summary shows (after [`depth`](Summary::depth) and
    /// [`fold`](Summary::fold)) with every figure, as owned data for the exports.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4) }
    /// }
    /// let snapshot = Mlp::summary().snapshot();
    /// assert_eq!(snapshot.layers[0].figures.get("params"), Some(16 * 4 + 4));
    /// ```
    pub fn snapshot(&self) -> Snapshot {
        self.viewed(Snapshot::from_rows(self))
    }

    /// `snapshot` (every row of this summary, perhaps with more figures) cut and folded as
    /// this summary shows its rows.
    pub(crate) fn viewed(&self, mut snapshot: Snapshot) -> Snapshot {
        if self.view.fold {
            snapshot = snapshot.fold();
        }
        if let Some(depth) = self.view.depth {
            snapshot = snapshot.depth(depth);
        }
        snapshot
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

/// The per-layer table, then the totals and the memory figures (see [`Summary`]).
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.snapshot(), f)
    }
}
