//! The one table of figures every export iterates: JSON, CSV, Markdown, the diff and the
//! charts' tooltips. **A new figure is one line in [`FIGURES`]**; nothing else in the exports
//! names figures one by one.

use nncost_core::{Operators, Report, Row};

use super::snapshot::Values;

/// What a figure counts, which decides how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// A count: parameters, MACs, FLOPs (shown exact, `1,814,073,344`).
    Count,
    /// Bytes (shown in binary units in Markdown, `44.6 MiB`; exact in JSON and CSV).
    Bytes,
}

/// How the figure of `n` identical rows folded into one ([`Summary::fold`](crate::Summary::fold))
/// combines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeated {
    /// Summed: the `n` rows' total (parameters, MACs, bytes moved).
    Summed,
    /// One row's value: a size or a peak, which repeating does not add up.
    Once,
}

/// One figure: its key, its heading, how to read it from a whole model's [`Report`] and from a
/// summary [`Row`].
#[derive(Clone, Copy, Debug)]
pub struct FigureColumn {
    /// The key in JSON and the CSV header, snake_case: `"macs"`. Keys never change meaning;
    /// a new figure gets a new key (see [the schema](crate::export#json-schema)).
    pub key: &'static str,
    /// The Markdown and diff heading: `"MACs"`.
    pub label: &'static str,
    /// Count or bytes.
    pub quantity: Quantity,
    /// How folded rows combine.
    pub repeated: Repeated,
    /// The whole model's value.
    pub model: fn(&Report) -> u64,
    /// A row's value (the report gives the dtypes), or `None` for a model-only figure.
    pub layer: Option<fn(&Report, &Row) -> u64>,
    /// Whether a table for people (Markdown) shows the column, given the model's figures:
    /// always, but for figures most models do not have (a KV cache, a mixture's active
    /// parameters). JSON and CSV always carry every figure.
    pub shown: fn(&Values) -> bool,
}

impl FigureColumn {
    const fn new(
        key: &'static str,
        label: &'static str,
        quantity: Quantity,
        model: fn(&Report) -> u64,
    ) -> FigureColumn {
        FigureColumn {
            key,
            label,
            quantity,
            repeated: Repeated::Summed,
            model,
            layer: None,
            shown: |_| true,
        }
    }

    /// A table for people shows the column only when `shown(model's figures)`.
    const fn shown_if(mut self, shown: fn(&Values) -> bool) -> FigureColumn {
        self.shown = shown;
        self
    }

    /// The figure also has a per-row value.
    const fn rows(mut self, layer: fn(&Report, &Row) -> u64) -> FigureColumn {
        self.layer = Some(layer);
        self
    }

    /// Folded rows keep one row's value.
    const fn once(mut self) -> FigureColumn {
        self.repeated = Repeated::Once;
        self
    }
}

/// Every figure the exports carry, in column order.
///
/// | key | model | row |
/// |---|---|---|
/// | `params` | `PARAMS` | the row's parameters |
/// | `trainable_params` | `TRAINABLE_PARAMS` | those not frozen |
/// | `active_params` | `ACTIVE_PARAMS` (a mixture's router picks `k` experts) | the parameters one token uses |
/// | `buffers` | `BUFFERS` | its floating-point buffers |
/// | `all_buffers` | `ALL_BUFFERS` | its buffers, integer ones included |
/// | `macs` | `MACS` | its MACs |
/// | `flops` | `FLOPS` | its FLOPs |
/// | `weight_bytes` | `WEIGHT_BYTES` | its parameters' bytes |
/// | `activation_bytes` | `ACTIVATION_BYTES` (the input and every tensor) | bytes of the tensors it writes |
/// | `peak_memory_bytes` | `PEAK_MEMORY_BYTES` (weights included) | activation bytes alive at once while it runs |
/// | `memory_access_bytes` | `MEMORY_ACCESS_BYTES` | bytes it reads and writes |
/// | `kv_cache_bytes` | `KV_CACHE_BYTES` (0 unless a step over a cache) | cache bytes it holds after the step |
/// | `output_bytes` | the output tensor's bytes | its output tensor's bytes (0 for a train-only head) |
///
/// To add a figure, add its line here (a key never used before, a label, a count or bytes,
/// how it reads from a [`Report`] and, if it has one, from a [`Row`]); JSON, CSV, Markdown, the
/// diff and the schema version need no other change.
///
/// ```
/// # #[cfg(feature = "zoo")] {
/// use nncost::export::FIGURES;
/// use nncost::zoo::ResNet18;
/// use nncost::Model;
/// let macs = FIGURES.iter().find(|f| f.key == "macs").unwrap();
/// assert_eq!((macs.model)(&ResNet18::REPORT), 1_814_073_344);
/// # }
/// ```
pub const FIGURES: &[FigureColumn] = &[
    FigureColumn::new("params", "params", Quantity::Count, |r| r.cost.params)
        .rows(|_, row| row.cost.params),
    FigureColumn::new("trainable_params", "trainable", Quantity::Count, |r| {
        r.cost.params - r.cost.frozen_params
    })
    .rows(|_, row| row.cost.params - row.cost.frozen_params),
    FigureColumn::new("active_params", "active", Quantity::Count, |r| {
        r.cost.active_params()
    })
    .rows(|_, row| row.cost.active_params())
    .shown_if(|model| model.get("active_params") != model.get("params")),
    FigureColumn::new("buffers", "buffers", Quantity::Count, |r| r.cost.buffers)
        .rows(|_, row| row.cost.buffers),
    FigureColumn::new("all_buffers", "all buffers", Quantity::Count, |r| {
        r.cost.all_buffers()
    })
    .rows(|_, row| row.cost.all_buffers()),
    FigureColumn::new("macs", "MACs", Quantity::Count, |r| r.cost.macs)
        .rows(|_, row| row.cost.macs),
    FigureColumn::new("flops", "FLOPs", Quantity::Count, |r| r.cost.flops)
        .rows(|_, row| row.cost.flops),
    FigureColumn::new("weight_bytes", "weights", Quantity::Bytes, |r| {
        r.memory.weights
    })
    .rows(|_, row| row.memory.weights),
    FigureColumn::new("activation_bytes", "activations", Quantity::Bytes, |r| {
        r.memory.activations
    })
    .rows(|_, row| row.memory.activations),
    FigureColumn::new("peak_memory_bytes", "peak", Quantity::Bytes, |r| {
        r.memory.peak
    })
    .rows(|_, row| row.memory.peak)
    .once(),
    FigureColumn::new("memory_access_bytes", "traffic", Quantity::Bytes, |r| {
        r.memory.access
    })
    .rows(|_, row| row.memory.access),
    FigureColumn::new("kv_cache_bytes", "KV cache", Quantity::Bytes, |r| {
        r.memory.kv_cache
    })
    .rows(|_, row| row.memory.kv_cache)
    .shown_if(|model| model.get("kv_cache_bytes").is_some_and(|bytes| bytes > 0)),
    FigureColumn::new("output_bytes", "out bytes", Quantity::Bytes, |r| {
        tensor_bytes(r, &r.output)
    })
    // A train-only head's output is not made in inference.
    .rows(|r, row| {
        if row.train_only() {
            0
        } else {
            tensor_bytes(r, &row.output)
        }
    })
    .once(),
];

/// The figures a [`Diff`](crate::diff::Diff) names in its headline and its layer lists, in
/// that order (its figure table has them all): what a reviewer reads first.
pub const HEADLINE: &[&str] = &["macs", "params", "peak_memory_bytes", "memory_access_bytes"];

/// Bytes of a tensor of `shape` at the report's activation dtype (`u64::MAX` past `u64`,
/// which a model that evaluated never reaches).
fn tensor_bytes(report: &Report, shape: &nncost_core::Shape) -> u64 {
    shape
        .numel()
        .and_then(|n| report.precision.activations.bytes(n))
        .unwrap_or(u64::MAX)
}

/// The figure of `key` in [`FIGURES`].
pub(crate) fn figure(key: &str) -> Option<&'static FigureColumn> {
    FIGURES.iter().find(|f| f.key == key)
}

/// One group of [`Operators`]: its key and the `FlopCounterMode` operators it corresponds to.
#[derive(Clone, Copy, Debug)]
pub struct OperatorGroup {
    /// The key in JSON: `"convolution"`.
    pub key: &'static str,
    /// What `FlopCounterMode.get_flop_counts()` calls it (the ATen operators).
    pub aten: &'static str,
    /// The group's MACs.
    pub macs: fn(&Operators) -> u64,
}

/// The operator groups, as [`Operators`] documents them: a new group is one line here.
///
/// ```
/// use nncost::export::OPERATORS;
/// assert_eq!(OPERATORS[0].key, "convolution");
/// assert_eq!(OPERATORS[0].aten, "aten.convolution");
/// ```
pub const OPERATORS: &[OperatorGroup] = &[
    OperatorGroup {
        key: "convolution",
        aten: "aten.convolution",
        macs: |o| o.convolution,
    },
    OperatorGroup {
        key: "linear",
        aten: "aten.addmm, aten.mm",
        macs: |o| o.linear,
    },
    OperatorGroup {
        key: "matmul",
        aten: "aten.bmm, aten.mm",
        macs: |o| o.matmul,
    },
    OperatorGroup {
        key: "attention",
        aten: "aten._scaled_dot_product_*_attention",
        macs: |o| o.attention,
    },
    OperatorGroup {
        key: "recurrent",
        aten: "(not counted: fused RNN kernels)",
        macs: |o| o.recurrent,
    },
    OperatorGroup {
        key: "other",
        aten: "",
        macs: |o| o.other,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_snake_case() {
        let keys: Vec<&str> = FIGURES
            .iter()
            .map(|f| f.key)
            .chain(OPERATORS.iter().map(|o| o.key))
            .collect();
        for (i, key) in keys.iter().enumerate() {
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{key}"
            );
            assert!(!keys[..i].contains(key), "{key} twice");
        }
    }
}
