//! The roofline view of a summary: each layer's time on a device, and whether compute or memory
//! bounds it (`summary().on(&DEVICE)`).

use std::fmt;

use nncost_core::{Bound, Device, Message, Roofline, Time, UnitSystem};

use crate::export::Snapshot;
use crate::Summary;

/// A model's per-layer roofline on a device: [`Summary::on`].
///
/// Each layer and merge is one kernel taking `max(compute, memory)`: its `2 × MACs` at the
/// device's matrix peak and its other FLOPs at its vector peak (at the model's dtypes, see
/// [`compute_dtype`](crate::compute_dtype)), against its bytes moved at the device's
/// bandwidth. A group (block, repeat) sums its kernels. The total is the sum over kernels.
/// The table shows the rows its summary shows: `summary().depth(2).on(&DEVICE)` is cut at
/// depth 2, `summary().fold().on(&DEVICE)` folds repeated blocks (`layer3.1–35 ×35`, their
/// times summed); [`rows`](RooflineSummary::rows) keeps every row.
///
/// **These times are lower bounds**: peak arithmetic and bandwidth, perfect reuse (each byte
/// moved once), no launch or framework overhead. Real inference is slower; see the crate docs
/// ("Devices, latency and tokens per second") for how much on the machine the validation ran on.
///
/// ```
/// use nncost::prelude::*;
/// use nncost::devices::RASPBERRY_PI_5;
/// network! {
///     #[input(64, 56, 56)]
///     model Tiny {
///         conv: Conv2d::new(64, 3).padding(1),
///         relu: ReLU,
///     }
/// }
/// let view = Tiny::summary().on(&RASPBERRY_PI_5);
/// assert_eq!(view.rows[0].bound, Some(nncost::Bound::Compute)); // the conv
/// assert_eq!(view.rows[1].bound, Some(nncost::Bound::Memory)); // the ReLU
/// // The model's time is the sum of its layers' (the rows here are all layers).
/// let sum = view.rows.iter().fold(nncost::Time::ZERO, |t, r| t.saturating_add(r.time));
/// assert_eq!(view.total.time, sum);
/// println!("{view}");
/// ```
#[derive(Clone, Debug)]
pub struct RooflineSummary {
    /// The per-layer summary the view is built on.
    pub summary: Summary,
    /// The device.
    pub device: Device,
    /// One entry per summary row, in the same order.
    pub rows: Vec<RooflineRow>,
    /// The whole model: the sum over its kernels (equal to what [`roofline_of`](crate::roofline_of)
    /// computes at compile time for `latency(..)` budgets; the tests check it).
    pub total: Roofline,
}

/// One row of a [`RooflineSummary`]: a kernel (layer or merge), or a group of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RooflineRow {
    /// The compute time (for a group, the sum over its kernels).
    pub compute: Time,
    /// The memory time (for a group, the sum).
    pub memory: Time,
    /// The roofline time, `max(compute, memory)` (for a group, the sum of its kernels' times).
    pub time: Time,
    /// What bounds it: for a group, the bound all its kernels share; `None` for a group whose
    /// kernels differ, and for a view (no work, no traffic).
    pub bound: Option<Bound>,
}

impl Summary {
    /// The roofline of every row on `device`: time, compute and memory parts, and the bound.
    /// A group sums its kernels, as many times as it runs them (a mixture's experts row: its
    /// expert's kernels `k` times, as the compile-time roofline counts them).
    pub fn on(&self, device: &Device) -> RooflineSummary {
        let mut rows = vec![RooflineRow::default(); self.rows.len()];
        let mut total = Roofline::new(device);
        let mut next = 0;
        while next < self.rows.len() {
            let (after, part, _) = self.roofline_subtree(next, device, &mut rows);
            total.add_runs(&part, 1);
            next = after;
        }
        RooflineSummary {
            summary: self.clone(),
            device: *device,
            rows,
            total,
        }
    }

    /// The roofline of the subtree at row `first` (written to `out`): the index after it, its
    /// kernels summed, and the MACs they count.
    fn roofline_subtree(
        &self,
        first: usize,
        device: &Device,
        out: &mut [RooflineRow],
    ) -> (usize, Roofline, u64) {
        let row = &self.rows[first];
        let mut part = Roofline::new(device);
        if !row.group {
            let kernel = device.kernel(&row.cost, row.memory.access, self.report.precision);
            part.add(kernel);
            out[first] = RooflineRow {
                compute: kernel.compute,
                memory: kernel.memory,
                time: kernel.time(),
                bound: (!kernel.is_empty()).then(|| kernel.bound()),
            };
            return (first + 1, part, row.cost.macs);
        }
        let mut counted = 0u64;
        let mut next = first + 1;
        while next < self.rows.len() && self.rows[next].depth > row.depth {
            let (after, child, macs) = self.roofline_subtree(next, device, out);
            part.add_runs(&child, 1);
            counted = counted.saturating_add(macs);
            next = after;
        }
        // A group whose MACs are a multiple of its rows' runs them that many times.
        let runs =
            if counted != 0 && row.cost.macs != counted && row.cost.macs.is_multiple_of(counted) {
                row.cost.macs / counted
            } else {
                1
            };
        let mut runs_part = Roofline::new(device);
        runs_part.add_runs(&part, runs);
        let bound = match runs_part.compute_bound_kernels {
            _ if runs_part.kernels == 0 => None,
            0 => Some(Bound::Memory),
            n if n == runs_part.kernels => Some(Bound::Compute),
            _ => None,
        };
        out[first] = RooflineRow {
            compute: runs_part.compute,
            memory: runs_part.memory,
            time: runs_part.time,
            bound,
        };
        (next, runs_part, counted.saturating_mul(runs))
    }
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

/// A time, or nothing for zero.
fn time(t: Time) -> String {
    if t == Time::ZERO {
        String::new()
    } else {
        t.to_string()
    }
}

/// `67.0 T`: an operations-per-second rate.
fn rate(ops: u64) -> String {
    human(ops)
}

/// Keys of the roofline figures added to a snapshot's rows for the table (not export figures).
const COMPUTE: &str = "roofline_compute_ps";
const MEMORY: &str = "roofline_memory_ps";
const TIME: &str = "roofline_time_ps";
/// 0 for none or mixed, else the [`Bound`] plus one.
const BOUND: &str = "roofline_bound";

const HEADERS: [&str; 9] = [
    "layer", "kind", "FLOPs", "traffic", "compute", "memory", "time", "bound", "share",
];
const RIGHT: [bool; 9] = [false, false, true, true, true, true, true, false, true];

impl RooflineSummary {
    /// The table's cells: one line per row the summary shows (cut at its depth, its repeated
    /// blocks folded), then the totals.
    fn cells(&self) -> (Vec<[String; 9]>, [String; 9]) {
        let summary = &self.summary;
        let total = self.total.time.as_picos();
        let share = |picos: u64| {
            if total == 0 || picos == 0 {
                String::new()
            } else {
                format!("{:.1}%", picos as f64 * 100.0 / total as f64)
            }
        };
        // The rows' times ride along as figures, so that cutting and folding treat them as
        // every other figure (a folded row sums its copies).
        let mut snapshot = Snapshot::from_rows(summary);
        for (layer, r) in snapshot.layers.iter_mut().zip(&self.rows) {
            layer.figures.insert(COMPUTE, r.compute.as_picos());
            layer.figures.insert(MEMORY, r.memory.as_picos());
            layer.figures.insert(TIME, r.time.as_picos());
            layer
                .figures
                .insert(BOUND, r.bound.map_or(0, |b| b as u64 + 1));
        }
        let snapshot = summary.viewed(snapshot);
        let mut cells = Vec::with_capacity(snapshot.layers.len());
        for layer in &snapshot.layers {
            let get = |key| layer.figures.get(key).unwrap_or(0);
            let indent = "  ".repeat(layer.depth as usize);
            let repeat = if layer.repeat > 1 {
                format!(" ×{}", layer.repeat)
            } else {
                String::new()
            };
            // A folded row's bound is its copies' (the same in each), which folding multiplied.
            let bound = match (get(BOUND) / layer.repeat.max(1), get(TIME)) {
                (0, 0) => "",
                (0, _) => "mixed",
                (b, _) if b == Bound::Compute as u64 + 1 => Bound::Compute.name(),
                _ => Bound::Memory.name(),
            };
            let nonzero = |v: u64, f: fn(u64) -> String| if v == 0 { String::new() } else { f(v) };
            cells.push([
                format!("{indent}{}{repeat}", layer.path),
                layer.kind.clone(),
                nonzero(get("flops"), human),
                nonzero(get("memory_access_bytes"), human_bytes),
                time(Time::from_picos(get(COMPUTE))),
                time(Time::from_picos(get(MEMORY))),
                time(Time::from_picos(get(TIME))),
                bound.to_owned(),
                share(get(TIME)),
            ]);
        }
        let t = &self.total;
        let bound = if t.kernels == 0 {
            ""
        } else if t.compute_bound_kernels == t.kernels {
            "compute"
        } else if t.compute_bound_kernels == 0 {
            "memory"
        } else {
            "mixed"
        };
        let totals = [
            format!("{} (total)", summary.report.name),
            String::new(),
            human(summary.report.cost.flops),
            human_bytes(summary.report.memory.access),
            time(t.compute),
            time(t.memory),
            time(t.time),
            bound.to_owned(),
            "100.0%".to_owned(),
        ];
        (cells, totals)
    }
}

impl fmt::Display for RooflineSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (cells, totals) = self.cells();
        let cells: Vec<Vec<String>> = cells.into_iter().map(Vec::from).collect();
        crate::format::write_table(f, &HEADERS, &RIGHT, &cells, &totals)?;
        let device = &self.device;
        let precision = self.summary.report.precision;
        let compute = nncost_core::compute_dtype(precision);
        let (matrix_dtype, matrix) = device.matrix_peak(compute);
        let (vector_dtype, vector) = device.vector_peak(precision.activations);
        let mut bandwidth = Message::new();
        bandwidth.push_human(device.bandwidth, UnitSystem::DecimalBytes);
        writeln!(
            f,
            "on {}: MACs at {} op/s ({}), other FLOPs at {} op/s ({}), {}/s{}",
            device.name,
            rate(matrix),
            matrix_dtype.name(),
            rate(vector),
            vector_dtype.name(),
            bandwidth.as_str(),
            efficiency(device),
        )?;
        let t = &self.total;
        writeln!(
            f,
            "roofline {}: {} kernels compute-bound ({}), {} memory-bound ({})",
            t.time,
            t.compute_bound_kernels,
            t.compute_bound,
            t.kernels - t.compute_bound_kernels,
            t.memory_bound(),
        )?;
        // A step over a KV cache: the figures an LLM deployment is judged by.
        let report = &self.summary.report;
        let tokens = report.step_tokens();
        if tokens > 0 {
            // Rounded down, as an upper bound on the rate should be.
            let mut rate = Message::new();
            rate.push_thousandths(nncost_core::milli_tokens_per_second(tokens, t.time));
            let rate = rate.as_str();
            if report.phase.is_prefill() {
                writeln!(
                    f,
                    "prefill of {} tokens: time to first token at least {}, at most {rate} tokens/s",
                    tokens, t.time,
                )?;
            } else {
                writeln!(
                    f,
                    "decode step of {tokens} token{} after {} cached: at most {rate} tokens/s",
                    if tokens == 1 { "" } else { "s" },
                    report.phase.cached,
                )?;
            }
        }
        writeln!(
            f,
            "a lower bound: peak arithmetic and bandwidth, each byte moved once, no launch or framework overhead"
        )
    }
}

/// `, at 70% of peak compute and 90% of bandwidth`, or nothing at 100%.
fn efficiency(device: &Device) -> String {
    if device.compute_efficiency == 1_000_000 && device.memory_efficiency == 1_000_000 {
        return String::new();
    }
    format!(
        ", at {}% of peak compute and {}% of bandwidth",
        device.compute_efficiency as f64 / 10_000.0,
        device.memory_efficiency as f64 / 10_000.0
    )
}
