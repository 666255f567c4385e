//! Model diffs for code review: what a change does to every figure, and where.
//!
//! A [`Diff`] compares two [`Snapshot`]s: two model types ([`Diff::between`]), or a model
//! against a report saved from the base branch (`Snapshot::from_json`, feature `serde`). It
//! gives each figure of [`FIGURES`] with its delta and percentage, and
//! the layer paths that changed, were added or were removed, as text ([`Display`](fmt::Display))
//! or as Markdown for a pull-request comment ([`Diff::to_markdown`]).
//!
//! ```
//! # #[cfg(feature = "zoo")] {
//! use nncost::diff::Diff;
//! use nncost::zoo::{ResNet18, ResNet34};
//! let diff = Diff::between::<ResNet18, ResNet34>();
//! assert_eq!(diff.figure("params").unwrap().delta(), Some(10_108_160));
//! assert_eq!(diff.figure("macs").unwrap().delta(), Some(1_849_688_064));
//! assert!(diff.added().any(|l| l.path == "layer3.5"));
//! println!("{diff}");
//! # }
//! ```
//!
//! # In CI: comment every pull request with what it does to the model
//!
//! 1. A test writes the model's report, and, when a report from the base branch is there,
//!    the diff as Markdown (feature `serde` for JSON):
//!
//! ```no_run
//! // tests/cost_report.rs
//! use nncost::diff::Diff;
//! use nncost::export::Snapshot;
//! # nncost::network! { #[input(4)] model MyModel { fc: nncost::layers::Linear::new(2) } }
//!
//! #[test]
//! fn cost_report() {
//!     let head = Snapshot::of::<MyModel>();
//!     std::fs::create_dir_all("target/nncost").unwrap();
//!     std::fs::write("target/nncost/MyModel.json", head.to_json()).unwrap();
//!     // Saved by the base branch's run of this test (see the workflow).
//!     if let Ok(base) = std::fs::read_to_string("target/nncost-base/MyModel.json") {
//!         let diff = Diff::new(&Snapshot::from_json(&base).unwrap(), &head);
//!         std::fs::write("target/nncost/MyModel.diff.md", diff.to_markdown()).unwrap();
//!     }
//! }
//! ```
//!
//! 2. A job runs that test on the base branch, keeps its report, runs it again on the pull
//!    request, and posts the Markdown (GitHub Actions; `gh` is on GitHub's runners):
//!
//! ```yaml
//! name: model cost
//! on: pull_request
//! permissions: { contents: read, pull-requests: write }
//! jobs:
//!   cost:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - uses: actions/checkout@v4
//!         with: { ref: "${{ github.base_ref }}" }
//!       - run: cargo test --test cost_report
//!       - run: mv target/nncost target/nncost-base
//!       - run: git fetch origin "$GITHUB_SHA" && git checkout "$GITHUB_SHA"
//!       - run: cargo test --test cost_report
//!       - run: gh pr comment "${{ github.event.number }}" --edit-last --create-if-none --body-file target/nncost/MyModel.diff.md
//!         env: { GH_TOKEN: "${{ github.token }}" }
//! ```
//!
//! The Markdown starts with a one-line headline ([`Diff::headline`]: "MACs +3.2%, params
//! +1.1%", or "no change"), then a table of every figure and, folded under `<details>`, the
//! layers. To fail the build past a threshold instead, compare [`FigureChange::percent`] in the
//! test.

use std::fmt;

use crate::export::{figure, LayerSnapshot, Quantity, Snapshot, Values, FIGURES, HEADLINE};
use crate::format::{grouped, human_bytes, signed_grouped};
use nncost_core::Model;

/// One figure before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureChange {
    /// The figure's key: `"macs"`.
    pub key: String,
    /// The base's value (`None`: the base does not have this figure, e.g. an older report).
    pub base: Option<u64>,
    /// The head's value.
    pub head: Option<u64>,
}

impl FigureChange {
    /// `head - base`, when both are known.
    pub fn delta(&self) -> Option<i128> {
        Some(self.head? as i128 - self.base? as i128)
    }

    /// The delta in percent of the base, when both are known and the base is not 0.
    pub fn percent(&self) -> Option<f64> {
        match (self.base?, self.delta()?) {
            (0, _) => None,
            (base, delta) => Some(delta as f64 * 100.0 / base as f64),
        }
    }

    /// Whether the value changed (a figure only one side has counts as changed).
    pub fn changed(&self) -> bool {
        self.base != self.head
    }

    /// The heading the exports use (`"MACs"`), or the key for a figure this version does not
    /// know.
    pub fn label(&self) -> &str {
        figure(&self.key).map_or(self.key.as_str(), |f| f.label)
    }

    fn quantity(&self) -> Quantity {
        figure(&self.key).map_or(Quantity::Count, |f| f.quantity)
    }

    /// `44.6 MiB` or `11,689,512`; `—` when absent.
    fn value(&self, value: Option<u64>) -> String {
        match (value, self.quantity()) {
            (None, _) => "—".to_owned(),
            (Some(v), Quantity::Count) => grouped(v),
            (Some(v), Quantity::Bytes) => human_bytes(v),
        }
    }

    /// `+10,108,160 (+86.5%)`, `+1.50 MiB (+3.2%)`, `0`, or `new`/`gone` for a figure one side
    /// lacks.
    fn change(&self) -> String {
        match (self.delta(), self.percent()) {
            (None, _) => if self.head.is_some() { "new" } else { "gone" }.to_owned(),
            (Some(delta), Some(p)) if delta != 0 => format!("{} ({})", self.amount(), percent(p)),
            (Some(_), _) => self.amount(),
        }
    }

    /// The delta alone: `+10,108,160`, `-1.50 MiB`, `0` (empty when unknown).
    fn amount(&self) -> String {
        let Some(delta) = self.delta() else {
            return String::new();
        };
        match self.quantity() {
            Quantity::Count => signed_grouped(delta),
            Quantity::Bytes if delta == 0 => "0".to_owned(),
            Quantity::Bytes => format!(
                "{}{}",
                if delta < 0 { "-" } else { "+" },
                human_bytes(u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX))
            ),
        }
    }
}

/// `+86.5%`, `-0.4%`, `+<0.1%`.
fn percent(p: f64) -> String {
    if p.abs() < 0.05 {
        if p > 0.0 { "+<0.1%" } else { "-<0.1%" }.to_owned()
    } else {
        format!("{p:+.1}%")
    }
}

/// How a layer row differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerStatus {
    /// In both, with a different kind, output shape or figure.
    Changed,
    /// Only in the head (only the top row of an added subtree is listed).
    Added,
    /// Only in the base (only the top row of a removed subtree is listed).
    Removed,
}

/// A layer row that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerChange {
    /// The row's path.
    pub path: String,
    /// Its kind (the head's, for a changed row; `Conv2d` → `Linear` shows as the head's).
    pub kind: String,
    /// Changed, added or removed.
    pub status: LayerStatus,
    /// Every per-row figure, before and after (an added row has no base, a removed no head).
    pub figures: Vec<FigureChange>,
}

/// The difference between two models' reports: every figure, and the layers that changed.
#[derive(Clone, Debug)]
pub struct Diff {
    /// The base model's name.
    pub base: String,
    /// The head model's name.
    pub head: String,
    /// Every figure, in [`FIGURES`] order, then any other figure either report has.
    pub figures: Vec<FigureChange>,
    /// The rows that differ, in the head's order, removed ones where they stood in the base.
    pub layers: Vec<LayerChange>,
    /// At most this many layers are shown in text and Markdown (all are in `layers`).
    max_layers: usize,
    /// Figures neither model has (a KV cache, a mixture's active parameters; see
    /// [`FigureColumn::shown`](crate::export::FigureColumn::shown)): in `figures`, but not
    /// shown in text and Markdown.
    unshown: Vec<&'static str>,
}

impl Diff {
    /// `head` compared with `base`.
    pub fn new(base: &Snapshot, head: &Snapshot) -> Diff {
        Diff {
            base: base.model.clone(),
            head: head.model.clone(),
            figures: changes(&base.figures, &head.figures),
            layers: layer_changes(&base.layers, &head.layers),
            max_layers: 50,
            unshown: FIGURES
                .iter()
                .filter(|f| !(f.shown)(&base.figures) && !(f.shown)(&head.figures))
                .map(|f| f.key)
                .collect(),
        }
    }

    /// The figures text and Markdown show: those either model has.
    fn shown_figures(&self) -> impl Iterator<Item = &FigureChange> {
        self.figures
            .iter()
            .filter(|f| !self.unshown.contains(&f.key.as_str()))
    }

    /// Model `Head` compared with model `Base`, every row of each.
    ///
    /// ```
    /// use nncost::diff::Diff;
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Small { fc: Linear::new(8) }
    ///     #[input(16)]
    ///     model Wide { fc: Linear::new(32) }
    /// }
    /// let diff = Diff::between::<Small, Wide>();
    /// assert_eq!(diff.figure("params").unwrap().delta(), Some(16 * 24 + 24));
    /// assert_eq!(diff.layers[0].path, "fc");
    /// ```
    pub fn between<Base: Model, Head: Model>() -> Diff {
        Diff::new(&Snapshot::of::<Base>(), &Snapshot::of::<Head>())
    }

    /// Shows at most `n` layers in text and Markdown (default 50), with a count of the rest.
    pub fn max_layers(mut self, n: usize) -> Diff {
        self.max_layers = n;
        self
    }

    /// The change of figure `key`, if either side has it.
    pub fn figure(&self, key: &str) -> Option<&FigureChange> {
        self.figures.iter().find(|f| f.key == key)
    }

    /// Whether nothing differs: no figure and no layer.
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && !self.figures.iter().any(FigureChange::changed)
    }

    /// The added layers (the top row of each added subtree).
    pub fn added(&self) -> impl Iterator<Item = &LayerChange> {
        self.layers
            .iter()
            .filter(|l| l.status == LayerStatus::Added)
    }

    /// The removed layers (the top row of each removed subtree).
    pub fn removed(&self) -> impl Iterator<Item = &LayerChange> {
        self.layers
            .iter()
            .filter(|l| l.status == LayerStatus::Removed)
    }

    /// The layers in both with different figures, shapes or kinds.
    pub fn changed(&self) -> impl Iterator<Item = &LayerChange> {
        self.layers
            .iter()
            .filter(|l| l.status == LayerStatus::Changed)
    }

    /// One line for a PR title or a chat message: the [`HEADLINE`] figures that changed, with
    /// their percentages (`MACs +102.0%, params +86.5%, peak +76.0%, traffic +67.6%`), or
    /// `no change`.
    ///
    /// ```
    /// # #[cfg(feature = "zoo")] {
    /// use nncost::diff::Diff;
    /// use nncost::zoo::ResNet18;
    /// assert_eq!(Diff::between::<ResNet18, ResNet18>().headline(), "no change");
    /// # }
    /// ```
    pub fn headline(&self) -> String {
        let changed = |key: &&str| self.figure(key).filter(|f| f.changed());
        let parts: Vec<String> = HEADLINE
            .iter()
            .filter_map(changed)
            .map(|f| format!("{} {}", f.label(), short_change(f)))
            .collect();
        let others = self
            .figures
            .iter()
            .filter(|f| f.changed() && !HEADLINE.contains(&f.key.as_str()))
            .count();
        match (parts.is_empty(), others, self.layers.len()) {
            (true, 0, 0) => "no change".to_owned(),
            (true, 0, n) => format!("{n} layers differ, same totals"),
            (true, n, _) => format!("{n} figures changed (see the table)"),
            (false, _, _) => parts.join(", "),
        }
    }

    /// The diff as Markdown for a pull-request comment: a heading, the
    /// [headline](Diff::headline), a table of every figure (base, head, change), and the
    /// layers under a `<details>` fold with the deltas of the [`HEADLINE`] figures.
    ///
    /// ```
    /// # #[cfg(feature = "zoo")] {
    /// use nncost::diff::Diff;
    /// use nncost::zoo::{ResNet18, ResNet34};
    /// let md = Diff::between::<ResNet18, ResNet34>().to_markdown();
    /// assert!(md.contains("| params | 11,689,512 | 21,797,672 | **+10,108,160 (+86.5%)** |"));
    /// assert!(md.contains("| added | `layer1.2` | BasicBlock | +231,211,008 | +73,984 |"));
    /// # }
    /// ```
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "### nncost: `{}` → `{}`\n\n{}\n\n| figure | base | head | change |\n|---|---:|---:|---:|\n",
            self.base,
            self.head,
            self.headline()
        );
        for f in self.shown_figures() {
            let change = if f.changed() {
                format!("**{}**", f.change())
            } else {
                "no change".to_owned()
            };
            out.push_str(&format!(
                "| {} | {} | {} | {change} |\n",
                f.label(),
                f.value(f.base),
                f.value(f.head)
            ));
        }
        if self.layers.is_empty() {
            return out;
        }
        let columns = self.layer_columns();
        out.push_str(&format!(
            "\n<details><summary>Layers: {}</summary>\n\n| | layer | kind |",
            self.counts()
        ));
        for key in &columns {
            out.push_str(&format!(" {} |", label(key)));
        }
        out.push_str("\n|---|---|---|");
        out.push_str(&"---:|".repeat(columns.len()));
        out.push('\n');
        for layer in self.layers.iter().take(self.max_layers) {
            out.push_str(&format!(
                "| {} | `{}` | {} |",
                status_word(layer.status),
                layer.path,
                layer.kind
            ));
            for key in &columns {
                let cell = layer
                    .figures
                    .iter()
                    .find(|f| &f.key == key)
                    .map(|f| layer_cell(f, layer.status))
                    .unwrap_or_default();
                out.push_str(&format!(" {cell} |"));
            }
            out.push('\n');
        }
        if self.layers.len() > self.max_layers {
            out.push_str(&format!(
                "\n… and {} more.\n",
                self.layers.len() - self.max_layers
            ));
        }
        out.push_str("\n</details>\n");
        out
    }

    /// `8 changed, 8 added, 0 removed`.
    fn counts(&self) -> String {
        format!(
            "{} changed, {} added, {} removed",
            self.changed().count(),
            self.added().count(),
            self.removed().count()
        )
    }

    /// The per-row figures that differ in some listed layer, in [`FIGURES`] order.
    fn layer_columns(&self) -> Vec<String> {
        HEADLINE
            .iter()
            .filter(|key| {
                self.layers
                    .iter()
                    .any(|l| l.figures.iter().any(|f| f.key == **key && f.changed()))
            })
            .map(|key| (*key).to_owned())
            .collect()
    }
}

/// The text diff: every figure on a line, then the layers with the [`HEADLINE`] figures.
///
/// ```
/// # #[cfg(feature = "zoo")] {
/// use nncost::diff::Diff;
/// use nncost::zoo::{ResNet18, ResNet34};
/// let text = Diff::between::<ResNet18, ResNet34>().to_string();
/// assert!(text.contains("  MACs         1,814,073,344  3,663,761,408  +1,849,688,064 (+102.0%)\n"));
/// assert!(text.contains("  + layer4.2  BasicBlock  MACs +231,211,008  params +4,720,640  peak +294 KiB"));
/// # }
/// ```
impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} → {}: {}", self.base, self.head, self.headline())?;
        let rows: Vec<[String; 4]> = self
            .shown_figures()
            .map(|c| {
                [
                    c.label().to_owned(),
                    c.value(c.base),
                    c.value(c.head),
                    if c.changed() {
                        c.change()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
        let (w0, w1, w2) = (width(0), width(1), width(2));
        for [label, base, head, change] in &rows {
            let line = format!("  {label:<w0$}  {base:>w1$}  {head:>w2$}  {change}");
            writeln!(f, "{}", line.trim_end())?;
        }
        if self.layers.is_empty() {
            return Ok(());
        }
        writeln!(f, "layers: {}", self.counts())?;
        let path_width = self
            .layers
            .iter()
            .take(self.max_layers)
            .map(|l| l.path.chars().count())
            .max()
            .unwrap_or(0);
        let kind_width = self
            .layers
            .iter()
            .take(self.max_layers)
            .map(|l| l.kind.chars().count())
            .max()
            .unwrap_or(0);
        for layer in self.layers.iter().take(self.max_layers) {
            let mark = match layer.status {
                LayerStatus::Changed => '~',
                LayerStatus::Added => '+',
                LayerStatus::Removed => '-',
            };
            // An added or removed row's zero figures say nothing.
            let zero = |c: &&FigureChange| c.base.unwrap_or(0) == 0 && c.head.unwrap_or(0) == 0;
            let figures: Vec<String> = HEADLINE
                .iter()
                .filter_map(|key| layer.figures.iter().find(|c| c.key == *key))
                .filter(|c| c.changed() && !zero(c))
                .map(|c| format!("{} {}", c.label(), layer_cell(c, layer.status)))
                .collect();
            let line = format!(
                "  {mark} {:<path_width$}  {:<kind_width$}  {}",
                layer.path,
                layer.kind,
                figures.join("  ")
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        if self.layers.len() > self.max_layers {
            writeln!(f, "  … and {} more", self.layers.len() - self.max_layers)?;
        }
        Ok(())
    }
}

/// `+10,108,160 (+86.5%)` without the amount's grouping noise for a headline: `+86.5%`, or the
/// amount when there is no percentage.
fn short_change(f: &FigureChange) -> String {
    match f.percent() {
        Some(p) => percent(p),
        None => f.change(),
    }
}

/// A layer's figure change: the delta (and percent) for a changed row, the signed value for an
/// added or removed one.
fn layer_cell(f: &FigureChange, status: LayerStatus) -> String {
    match status {
        LayerStatus::Changed => f.change(),
        LayerStatus::Added => FigureChange {
            base: Some(0),
            ..f.clone()
        }
        .amount(),
        LayerStatus::Removed => FigureChange {
            head: Some(0),
            ..f.clone()
        }
        .amount(),
    }
}

fn status_word(status: LayerStatus) -> &'static str {
    match status {
        LayerStatus::Changed => "changed",
        LayerStatus::Added => "added",
        LayerStatus::Removed => "removed",
    }
}

fn label(key: &str) -> &str {
    figure(key).map_or(key, |f| f.label)
}

/// Every figure either side has: [`FIGURES`] order first, then the others in the order met.
fn changes(base: &Values, head: &Values) -> Vec<FigureChange> {
    let mut keys: Vec<String> = FIGURES
        .iter()
        .map(|f| f.key)
        .filter(|k| base.get(k).is_some() || head.get(k).is_some())
        .map(str::to_owned)
        .collect();
    for key in base.keys().chain(head.keys()) {
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_owned());
        }
    }
    keys.into_iter()
        .map(|key| FigureChange {
            base: base.get(&key),
            head: head.get(&key),
            key,
        })
        .collect()
}

/// The rows that differ between `base` and `head`, matched by path.
fn layer_changes(base: &[LayerSnapshot], head: &[LayerSnapshot]) -> Vec<LayerChange> {
    // Paths are unique within a report; index them for large models.
    let base_index: std::collections::HashMap<&str, usize> = base
        .iter()
        .enumerate()
        .map(|(i, r)| (r.path.as_str(), i))
        .collect();
    let head_index: std::collections::HashMap<&str, usize> = head
        .iter()
        .enumerate()
        .map(|(i, r)| (r.path.as_str(), i))
        .collect();
    let mut out = Vec::new();
    // The path of the added (or removed) subtree being skipped, so only its top row is listed.
    let mut inside: Option<String> = None;
    let removed_before = |out: &mut Vec<LayerChange>, upto: usize, done: &mut usize| {
        // Removed rows of the base up to index `upto`, listed where they stood.
        let mut inside: Option<String> = None;
        while *done < upto {
            let row = &base[*done];
            *done += 1;
            if head_index.contains_key(row.path.as_str()) {
                continue;
            }
            if inside.as_deref().is_some_and(|p| is_under(&row.path, p)) {
                continue;
            }
            inside = Some(row.path.clone());
            out.push(LayerChange {
                path: row.path.clone(),
                kind: row.kind.clone(),
                status: LayerStatus::Removed,
                figures: changes(&row.figures, &Values::default()),
            });
        }
    };
    let mut base_done = 0;
    for row in head {
        match base_index.get(row.path.as_str()) {
            Some(&b) => {
                removed_before(&mut out, b, &mut base_done);
                inside = None;
                let old = &base[b];
                let figures = changes(&old.figures, &row.figures);
                if old.kind != row.kind
                    || old.output != row.output
                    || old.repeat != row.repeat
                    || figures.iter().any(FigureChange::changed)
                {
                    out.push(LayerChange {
                        path: row.path.clone(),
                        kind: row.kind.clone(),
                        status: LayerStatus::Changed,
                        figures,
                    });
                }
            }
            None => {
                if inside.as_deref().is_some_and(|p| is_under(&row.path, p)) {
                    continue;
                }
                inside = Some(row.path.clone());
                out.push(LayerChange {
                    path: row.path.clone(),
                    kind: row.kind.clone(),
                    status: LayerStatus::Added,
                    figures: changes(&Values::default(), &row.figures),
                });
            }
        }
    }
    removed_before(&mut out, base.len(), &mut base_done);
    out
}

/// Whether `path` is `parent` or below it.
fn is_under(path: &str, parent: &str) -> bool {
    path.strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}
