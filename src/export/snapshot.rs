//! [`Snapshot`]: a model's figures and per-layer rows as owned data, what every export writes,
//! what a saved JSON report reads back into, and what a [`Diff`](crate::diff::Diff) compares.

use std::borrow::Cow;

use nncost_core::{Model, Operators, Row, Tensors, Wiring};

use super::figures::{FIGURES, OPERATORS};
use crate::Summary;

/// The version of the exported report's layout ([the JSON schema](crate::export#json-schema)).
/// New figures and operator groups are new keys and keep the version; it changes only when a
/// key is renamed or removed or changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Named numbers in a fixed order: a row's figures (keys of [`FIGURES`]) or its MACs by
/// operator (keys of [`OPERATORS`]). A report read from JSON keeps the keys it had, including
/// ones this version does not know.
///
/// ```
/// use nncost::export::Values;
/// let mut v = Values::default();
/// v.insert("params", 10);
/// v.insert("macs", 20);
/// v.insert("params", 11);
/// assert_eq!(v.get("params"), Some(11));
/// assert_eq!(v.keys().collect::<Vec<_>>(), ["params", "macs"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values(Vec<(Cow<'static, str>, u64)>);

impl Values {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<u64> {
        self.0.iter().find(|(k, _)| k == key).map(|&(_, v)| v)
    }

    /// Sets `key` to `value`, in place if present, else at the end.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: u64) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    /// `(key, value)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every value transformed by `f(key, value)`.
    pub(crate) fn map(&self, mut f: impl FnMut(&str, u64) -> u64) -> Values {
        Values(self.0.iter().map(|(k, v)| (k.clone(), f(k, *v))).collect())
    }
}

impl FromIterator<(Cow<'static, str>, u64)> for Values {
    fn from_iter<I: IntoIterator<Item = (Cow<'static, str>, u64)>>(iter: I) -> Values {
        let mut values = Values::default();
        for (k, v) in iter {
            values.insert(k, v);
        }
        values
    }
}

/// The dtypes a report's bytes are counted in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dtypes {
    /// The weights' dtype: `"f32"`, `"int8"`, ...
    pub weights: String,
    /// The activations' dtype.
    pub activations: String,
    /// The KV cache's dtype, for a step over a cache (absent otherwise).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub kv_cache: Option<String>,
}

/// A named tensor of a model: an input or an output.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NamedShape {
    /// Its name: `"input"` and `"output"` unless the model names them.
    pub name: String,
    /// Its shape, batch first.
    pub shape: Vec<u64>,
}

/// A model's figures, its MACs by operator and its per-layer rows, as owned data.
///
/// Build it from a model ([`Snapshot::of`]) or a [`Summary`] (whose [`depth`](Summary::depth)
/// and [`fold`](Summary::fold) it follows), write it as [CSV](Snapshot::to_csv),
/// [Markdown](Snapshot::to_markdown) or JSON (`to_json`, feature `serde`), read JSON back
/// with `Snapshot::from_json`, and compare two with [`Diff`](crate::diff::Diff).
///
/// ```
/// use nncost::export::Snapshot;
/// use nncost::prelude::*;
/// network! {
///     #[input(3, 8, 8)]
///     model Net { conv: Conv2d::new(4, 3), relu: ReLU }
/// }
/// let snapshot = Snapshot::of::<Net>();
/// assert_eq!(snapshot.model, "Net");
/// assert_eq!(snapshot.figures.get("params"), Some(4 * 27 + 4));
/// assert_eq!(snapshot.layers[0].path, "conv");
/// assert_eq!(snapshot.layers[0].figures.get("macs"), Some(4 * 6 * 6 * 27));
/// assert_eq!(snapshot.operators.get("convolution"), Some(4 * 6 * 6 * 27));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Snapshot {
    /// The layout's version, [`SCHEMA_VERSION`] when built here.
    pub schema_version: u32,
    /// What wrote it: `"nncost 0.1.0"`.
    pub generator: String,
    /// The model's name.
    pub model: String,
    /// The input shape, batch first (the first input's).
    pub input: Vec<u64>,
    /// The output shape, batch first (the first output's).
    pub output: Vec<u64>,
    /// Every input by name, in declaration order.
    pub inputs: Vec<NamedShape>,
    /// Every output by name, in declaration order.
    pub outputs: Vec<NamedShape>,
    /// The dtypes the bytes are counted in.
    pub dtypes: Dtypes,
    /// For a step over a KV cache, the positions cached before it (0: prefill); absent for a
    /// pass over the whole sequence with no cache (every model without `cached = ..`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cached: Option<u64>,
    /// The whole model's figures, keyed as [`FIGURES`].
    pub figures: Values,
    /// The whole model's MACs by operator, keyed as [`OPERATORS`] (every group, zeros too).
    pub operators: Values,
    /// The rows, in execution order, groups before their layers.
    pub layers: Vec<LayerSnapshot>,
}

/// One row of a [`Snapshot`]: a layer, a merge, or a group (a block, a repeat) summing the rows
/// under it; or, [folded](Summary::fold), `repeat` identical rows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LayerSnapshot {
    /// The dotted path: `layer2.0.conv1`; folded, `layer3.1–5` (an en dash).
    pub path: String,
    /// The layer's or block's kind: `"Conv2d"`, `"BasicBlock"`, `"Add"`.
    pub kind: String,
    /// Nesting depth, 0 for the model's own entries.
    pub depth: u16,
    /// Whether the row sums the rows under it.
    pub group: bool,
    /// How many identical rows it stands for (1 unless folded).
    pub repeat: u64,
    /// How the row counts, when not as a layer that runs: `"train_only"` (weights only, an
    /// auxiliary head), `"shared"` (weights counted at another row), `"frozen"` (parameters
    /// not trainable). Empty for most rows.
    pub flags: Vec<String>,
    /// The output shape (of one of them, when folded).
    pub output: Vec<u64>,
    /// The row's figures, keyed as [`FIGURES`] (those with a per-row value).
    pub figures: Values,
    /// The row's MACs by operator, keyed as [`OPERATORS`] (non-zero groups only; a group row
    /// sums its layers').
    pub operators: Values,
}

impl Snapshot {
    /// Every row of `M`.
    pub fn of<M: Model>() -> Snapshot {
        Summary::of::<M>().snapshot()
    }

    /// Every row of `summary`, before its view options are applied.
    pub(crate) fn from_rows(summary: &Summary) -> Snapshot {
        let report = &summary.report;
        let paths = summary.paths();
        let operators = row_operators(&summary.rows);
        let total = summary
            .rows
            .iter()
            .zip(&operators)
            .filter(|(row, _)| row.depth == 0)
            .fold(Operators::ZERO, |sum, (_, ops)| sum.plus(ops));
        let layers = summary
            .rows
            .iter()
            .zip(paths)
            .zip(&operators)
            .map(|((row, path), ops)| LayerSnapshot {
                path,
                kind: row.kind.to_owned(),
                depth: row.depth,
                group: row.group,
                repeat: 1,
                flags: flags(row),
                output: row.output.dims().to_vec(),
                figures: FIGURES
                    .iter()
                    .filter_map(|f| f.layer.map(|value| (f.key.into(), value(report, row))))
                    .collect(),
                operators: OPERATORS
                    .iter()
                    .map(|o| (o.key.into(), (o.macs)(ops)))
                    .filter(|&(_, macs)| macs != 0)
                    .collect(),
            })
            .collect();
        Snapshot {
            schema_version: SCHEMA_VERSION,
            generator: concat!("nncost ", env!("CARGO_PKG_VERSION")).to_owned(),
            model: report.name.to_owned(),
            input: report.input.dims().to_vec(),
            output: report.output.dims().to_vec(),
            inputs: named(&report.inputs),
            outputs: named(&report.outputs),
            dtypes: Dtypes {
                weights: report.precision.weights.name().to_owned(),
                activations: report.precision.activations.name().to_owned(),
                kv_cache: report
                    .phase
                    .cache
                    .then(|| report.precision.kv_cache.name().to_owned()),
            },
            cached: report.phase.cache.then_some(report.phase.cached),
            figures: FIGURES
                .iter()
                .map(|f| (f.key.into(), (f.model)(report)))
                .collect(),
            operators: OPERATORS
                .iter()
                .map(|o| (o.key.into(), (o.macs)(&total)))
                .collect(),
            layers,
        }
    }

    /// The figure `key` of the whole model, or 0 if the report has none (an older report).
    pub(crate) fn figure(&self, key: &str) -> u64 {
        self.figures.get(key).unwrap_or(0)
    }
}

/// Each row's MACs by operator: a layer's own, a group's the sum of the rows under it — run as
/// many times as the group's MACs say (a mixture's experts row runs its expert `k` times).
fn row_operators(rows: &[Row]) -> Vec<Operators> {
    /// The subtree at `first`: fills `out` for it and returns the index after it.
    fn subtree(rows: &[Row], first: usize, out: &mut [Operators]) -> usize {
        let row = &rows[first];
        if !row.group {
            out[first] = row.operators;
            return first + 1;
        }
        let mut sum = Operators::ZERO;
        let mut next = first + 1;
        while next < rows.len() && rows[next].depth > row.depth {
            let child = next;
            next = subtree(rows, child, out);
            sum = sum.plus(&out[child]);
        }
        let counted = sum.total();
        out[first] =
            if counted != 0 && row.cost.macs != counted && row.cost.macs.is_multiple_of(counted) {
                times(&sum, row.cost.macs / counted)
            } else {
                sum
            };
        next
    }
    let mut out = vec![Operators::ZERO; rows.len()];
    let mut next = 0;
    while next < rows.len() {
        next = subtree(rows, next, &mut out);
    }
    out
}

/// `ops` run `n` times.
fn times(ops: &Operators, n: u64) -> Operators {
    Operators {
        convolution: ops.convolution * n,
        linear: ops.linear * n,
        matmul: ops.matmul * n,
        attention: ops.attention * n,
        recurrent: ops.recurrent * n,
        other: ops.other * n,
    }
}

/// A row's flags, as [`LayerSnapshot::flags`] names them.
fn flags(row: &Row) -> Vec<String> {
    let mut flags = Vec::new();
    if row.train_only() {
        flags.push("train_only".to_owned());
    }
    if row.shared() {
        flags.push("shared".to_owned());
    }
    if row.flags & Wiring::FROZEN != 0 {
        flags.push("frozen".to_owned());
    }
    flags
}

/// Named tensors as owned data.
fn named(tensors: &Tensors) -> Vec<NamedShape> {
    (0..tensors.len())
        .map(|i| NamedShape {
            name: tensors.name(i).to_owned(),
            shape: tensors.shape(i).dims().to_vec(),
        })
        .collect()
}
