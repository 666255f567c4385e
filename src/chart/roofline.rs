//! The roofline: every layer at its arithmetic intensity, under a device's compute and
//! bandwidth ceilings.

use super::charted;
use super::svg::{escape, num, Svg, COMPUTE, GRID, INK, MEMORY, MUTED};
use crate::export::Snapshot;
use crate::format::{grouped, human};
use nncost_core::{compute_dtype, Device, Precision};

/// The ceilings of a roofline: peak compute on the matrix engine (the multiply-accumulates of
/// conv, linear, matmul and attention) and on the vector units (elementwise work), and memory
/// bandwidth.
///
/// A layer doing `F` FLOPs while moving `B` bytes has arithmetic intensity `I = F / B` and
/// can run at most at `min(peak, bandwidth × I)` FLOP/s: below the ridge point
/// `peak / bandwidth` it is bound by memory, above it by compute. Layers with MACs sit under the
/// matrix peak, the others (norms, activations, adds) under the vector peak.
///
/// From a device profile ([`Ceilings::of`], at the model's dtypes and the profile's efficiency
/// factors, as [`Device::kernel`] counts them), or by hand:
///
/// ```
/// use nncost::chart::Ceilings;
/// use nncost::devices::L4;
/// use nncost::Precision;
/// // NVIDIA L4 at f32: 30.3 TFLOP/s on its CUDA cores, 300 GB/s.
/// let l4 = Ceilings::of(&L4, Precision::DEFAULT);
/// assert_eq!((l4.matrix, l4.vector, l4.bandwidth), (30.3e12, 30.3e12, 300e9));
/// assert_eq!(l4.ridge(), 101.0); // FLOPs per byte
/// let laptop = Ceilings::new("laptop", 1e12, 50e9);
/// assert_eq!(laptop.attainable(10.0), 5e11); // memory-bound
/// assert_eq!(laptop.attainable(100.0), 1e12); // compute-bound
/// ```
///
/// Times per layer, with the profile's cache levels, are [`Summary::on`](crate::Summary::on)'s.
#[derive(Clone, Debug, PartialEq)]
pub struct Ceilings {
    /// The device's name, shown in the chart.
    pub device: String,
    /// Peak FLOP/s for multiply-accumulates (the matrix engine, or the vector units where there
    /// is none).
    pub matrix: f64,
    /// Peak FLOP/s for elementwise work.
    pub vector: f64,
    /// Memory bandwidth, bytes/s.
    pub bandwidth: f64,
}

impl Ceilings {
    /// A device with one compute peak, `peak` FLOP/s, and `bandwidth` bytes/s.
    pub fn new(device: impl Into<String>, peak: f64, bandwidth: f64) -> Ceilings {
        Ceilings {
            device: device.into(),
            matrix: peak,
            vector: peak,
            bandwidth,
        }
    }

    /// The ceilings of `device` for a model at `precision`: the matrix peak of the compute
    /// dtype ([`compute_dtype`](crate::compute_dtype)), the vector peak of the activation
    /// dtype and the bandwidth, each times the profile's efficiency factor.
    pub fn of(device: &Device, precision: Precision) -> Ceilings {
        let compute = device.compute_efficiency as f64 / 1e6;
        let memory = device.memory_efficiency as f64 / 1e6;
        let dtype = compute_dtype(precision);
        let name = format!("{} ({})", device.name, dtype.name());
        Ceilings {
            device: name,
            matrix: device.matrix_peak(dtype).1 as f64 * compute,
            vector: device.vector_peak(precision.activations).1 as f64 * compute,
            bandwidth: device.bandwidth as f64 * memory,
        }
    }

    /// The intensity (FLOPs per byte) where the matrix peak meets the bandwidth.
    pub fn ridge(&self) -> f64 {
        self.matrix / self.bandwidth
    }

    /// The most FLOP/s reachable under the matrix peak at `intensity` FLOPs per byte.
    pub fn attainable(&self, intensity: f64) -> f64 {
        (self.bandwidth * intensity).min(self.matrix)
    }

    /// The most FLOP/s reachable under the vector peak at `intensity`.
    fn attainable_vector(&self, intensity: f64) -> f64 {
        (self.bandwidth * intensity).min(self.vector)
    }
}

/// The plot area.
const LEFT: f64 = 78.0;
const TOP: f64 = 58.0;
const PLOT_W: f64 = 600.0;
const PLOT_H: f64 = 400.0;
const LEGEND_W: f64 = 330.0;
/// How many of the layers with the most FLOPs are numbered and listed.
const NAMED: usize = 5;

impl Snapshot {
    /// A roofline chart for `roof`: one point per charted layer (see [the module](crate::chart))
    /// that does FLOPs and moves bytes, at its arithmetic intensity (x, FLOPs per byte, log
    /// scale) and the FLOP/s the device can reach there (y, log scale), its area proportional
    /// to its FLOPs; blue when compute-bound, orange when memory-bound. The whole model is a
    /// black diamond. Each point is a `<circle class="point">` with a `<title>` tooltip (path,
    /// FLOPs, bytes, intensity, least time); the five layers with the most FLOPs are numbered
    /// and named in the legend.
    /// The legend gives the ceilings, the ridge point, how many layers each ceiling bounds and
    /// the layers with the most FLOPs. Layers with MACs sit under the matrix peak, the others
    /// under the vector peak (a dashed roof, on devices with a matrix engine).
    ///
    /// ```
    /// use nncost::chart::Ceilings;
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(3, 16, 16)]
    ///     model Net { conv: Conv2d::new(8, 3), relu: ReLU, flatten: Flatten, fc: Linear::new(2) }
    /// }
    /// let svg = Net::summary().snapshot().roofline_svg(&Ceilings::new("laptop", 1e12, 50e9));
    /// // The flatten moves nothing: three points.
    /// assert_eq!(svg.matches("class=\"point\"").count(), 3);
    /// ```
    pub fn roofline_svg(&self, roof: &Ceilings) -> String {
        struct Point<'a> {
            name: String,
            kind: &'a str,
            flops: u64,
            bytes: u64,
            intensity: f64,
            /// Whether it does multiply-accumulates (under the matrix peak), else elementwise
            /// work only (under the vector peak).
            macs: bool,
        }
        let rows = charted(self);
        let points: Vec<Point<'_>> = rows
            .iter()
            .filter_map(|r| {
                let flops = r.figures.get("flops").unwrap_or(0);
                let bytes = r.figures.get("memory_access_bytes").unwrap_or(0);
                (flops > 0 && bytes > 0).then(|| Point {
                    name: if r.repeat > 1 {
                        format!("{} ×{}", r.path, r.repeat)
                    } else {
                        r.path.clone()
                    },
                    kind: &r.kind,
                    flops,
                    bytes,
                    intensity: flops as f64 / bytes as f64,
                    macs: r.figures.get("macs").unwrap_or(0) > 0,
                })
            })
            .collect();
        let model_flops = self.figure("flops");
        let model_bytes = self.figure("memory_access_bytes");
        let model_intensity = if model_bytes == 0 {
            roof.ridge()
        } else {
            model_flops as f64 / model_bytes as f64
        };

        // Axes: a margin around the points, the ridge and the model; grid lines at decades.
        let intensities = points
            .iter()
            .map(|p| p.intensity)
            .chain([roof.ridge(), model_intensity]);
        let (lo, hi) = intensities.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let x_min = lo / 3.0;
        let x_max = hi * 3.0;
        let y_max = roof.matrix.max(roof.vector) * 4.0;
        let y_min = roof.attainable(x_min).min(roof.attainable_vector(x_min)) / 2.0;
        let x = |v: f64| LEFT + PLOT_W * (v / x_min).log10() / (x_max / x_min).log10();
        let y = |v: f64| TOP + PLOT_H * (1.0 - (v / y_min).log10() / (y_max / y_min).log10());

        let width = LEFT + PLOT_W + 24.0 + LEGEND_W;
        let height = TOP + PLOT_H + 56.0;
        let title = format!("{}: roofline on {}", self.model, roof.device);
        let mut svg = Svg::new(width, height, &title);
        svg.text(
            16.0,
            24.0,
            "start",
            "font-size=\"15\" font-weight=\"bold\"",
            &title,
        );
        svg.text(
            16.0,
            42.0,
            "start",
            &format!("fill=\"{MUTED}\""),
            "each layer at its arithmetic intensity, at the FLOP/s the device can reach there; area ∝ FLOPs",
        );

        for decade in decades(x_min, x_max) {
            svg.line((x(decade), TOP), (x(decade), TOP + PLOT_H), GRID);
            svg.text(x(decade), TOP + PLOT_H + 16.0, "middle", "", &tick(decade));
        }
        for decade in decades(y_min, y_max) {
            svg.line((LEFT, y(decade)), (LEFT + PLOT_W, y(decade)), GRID);
            svg.text(LEFT - 6.0, y(decade) + 4.0, "end", "", &tick(decade));
        }
        svg.raw(&format!(
            "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{PLOT_W}\" height=\"{PLOT_H}\" fill=\"none\" stroke=\"{INK}\"/>"
        ));
        svg.text(
            LEFT + PLOT_W / 2.0,
            TOP + PLOT_H + 36.0,
            "middle",
            "",
            "arithmetic intensity (FLOPs per byte moved)",
        );
        svg.text(
            18.0,
            TOP + PLOT_H / 2.0,
            "middle",
            &format!("transform=\"rotate(-90 18 {})\"", num(TOP + PLOT_H / 2.0)),
            "attainable FLOP/s",
        );

        // The roof: the bandwidth slope up to the ridge, then the peak.
        let ridge = roof.ridge();
        let (rx, ry) = (x(ridge.clamp(x_min, x_max)), y(roof.attainable(ridge)));
        svg.raw(&format!(
            "<polyline class=\"roof\" points=\"{},{} {},{} {},{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\"/>",
            num(x(x_min)),
            num(y(roof.attainable(x_min))),
            num(rx),
            num(ry),
            num(x(x_max)),
            num(ry)
        ));
        // Above the largest point's reach (its radius is at most 12.5).
        svg.text(
            x(x_max) - 4.0,
            ry - 17.0,
            "end",
            "",
            &format!("peak {}FLOP/s", si(roof.matrix)),
        );
        svg.text(
            x(x_min) + 6.0,
            y(roof.attainable(x_min)) - 8.0,
            "start",
            "",
            &format!("{}B/s", si(roof.bandwidth)),
        );
        svg.raw(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{MUTED}\" stroke-dasharray=\"4 3\"/>",
            num(rx),
            num(ry),
            num(rx),
            num(TOP + PLOT_H)
        ));

        // Elementwise work has its own, lower roof on devices with a matrix engine.
        if roof.vector < roof.matrix {
            let vx = x((roof.vector / roof.bandwidth).clamp(x_min, x_max));
            let vy = y(roof.vector);
            svg.raw(&format!(
                "<polyline class=\"vector-roof\" points=\"{},{} {},{}\" fill=\"none\" stroke=\"{MUTED}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
                num(vx),
                num(vy),
                num(x(x_max)),
                num(vy)
            ));
            svg.text(
                x(x_max) - 4.0,
                vy + 14.0,
                "end",
                &format!("fill=\"{MUTED}\""),
                &format!("elementwise {}FLOP/s", si(roof.vector)),
            );
        }

        // The layers, largest first so that small points stay visible on top.
        let most = points.iter().map(|p| p.flops).max().unwrap_or(1).max(1);
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(points[i].flops));
        let under = |p: &Point<'_>| {
            if p.macs {
                (roof.attainable(p.intensity), p.intensity < ridge)
            } else {
                let bound = p.intensity < roof.vector / roof.bandwidth;
                (roof.attainable_vector(p.intensity), bound)
            }
        };
        let memory_bound = points.iter().filter(|p| under(p).1).count();
        for (rank, &i) in order.iter().enumerate() {
            let p = &points[i];
            let (reach, bound) = under(p);
            let color = if bound { MEMORY } else { COMPUTE };
            let (cx, cy) = (x(p.intensity), y(reach));
            let r = 2.5 + 10.0 * (p.flops as f64 / most as f64).sqrt();
            let tooltip = format!(
                "{} ({}): {} FLOPs, {} bytes, {:.1} FLOPs/byte, {}-bound",
                p.name,
                p.kind,
                grouped(p.flops),
                grouped(p.bytes),
                p.intensity,
                if bound { "memory" } else { "compute" },
            );
            svg.raw(&format!(
                "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{color}\" fill-opacity=\"0.55\" stroke=\"{color}\"><title>{}</title></circle>",
                num(cx),
                num(cy),
                num(r),
                escape(&tooltip)
            ));
            if rank < NAMED {
                // Numbered, staggered so that points at one place keep their numbers apart.
                svg.text(
                    cx,
                    cy + r + 12.0 + 11.0 * rank as f64,
                    "middle",
                    "font-size=\"11\" font-weight=\"bold\"",
                    &(rank + 1).to_string(),
                );
            }
        }
        // The whole model.
        let (mx, my) = (x(model_intensity), y(roof.attainable(model_intensity)));
        svg.raw(&format!(
            "<path class=\"model\" d=\"M {} {} l 7 7 l -7 7 l -7 -7 z\" fill=\"{INK}\"><title>{}</title></path>",
            num(mx),
            num(my - 7.0),
            escape(&format!(
                "{} (whole model): {:.1} FLOPs/byte",
                self.model, model_intensity
            ))
        ));

        // The legend: lines of text, a gap before each group.
        let muted = format!("fill=\"{MUTED}\"");
        let muted_for_times = muted.clone();
        let mut lines: Vec<(String, String)> = vec![
            (roof.device.clone(), "font-weight=\"bold\"".to_owned()),
            (
                format!(
                    "peak {}FLOP/s, bandwidth {}B/s",
                    si(roof.matrix),
                    si(roof.bandwidth)
                ),
                String::new(),
            ),
            (format!("ridge at {ridge:.1} FLOPs per byte"), muted.clone()),
            (String::new(), String::new()),
            (
                format!("{} layers compute-bound", points.len() - memory_bound),
                format!("fill=\"{COMPUTE}\""),
            ),
            (
                format!("{memory_bound} layers memory-bound"),
                format!("fill=\"{MEMORY}\""),
            ),
        ];
        let hidden = rows.len() - points.len();
        if hidden > 0 {
            lines.push((
                format!(
                    "{hidden} {} with no FLOPs or traffic not shown",
                    if hidden == 1 { "row" } else { "rows" }
                ),
                muted,
            ));
        }
        lines.push((String::new(), String::new()));
        lines.push(("most FLOPs:".to_owned(), String::new()));
        for (rank, &i) in order.iter().take(NAMED).enumerate() {
            let p = &points[i];
            lines.push((
                format!(
                    "{}. {} ({} FLOPs, {:.1} FLOP/B)",
                    rank + 1,
                    p.name,
                    human(p.flops),
                    p.intensity
                ),
                "font-size=\"11\"".to_owned(),
            ));
        }
        lines.push((String::new(), String::new()));
        lines.push((
            format!(
                "◆ {}: {} FLOPs, {:.1} FLOPs/byte",
                self.model,
                human(model_flops),
                model_intensity
            ),
            String::new(),
        ));
        lines.push((
            "per-layer times: summary().on(&DEVICE)".to_owned(),
            muted_for_times,
        ));
        let lx = LEFT + PLOT_W + 24.0;
        let mut ly = TOP + 8.0;
        for (text, extra) in &lines {
            if text.is_empty() {
                ly += 8.0;
            } else {
                svg.text(lx, ly, "start", extra, text);
                ly += 18.0;
            }
        }
        svg.finish()
    }
}

/// The powers of ten from `lo` to `hi`.
fn decades(lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    let first = lo.log10().ceil() as i32;
    let last = hi.log10().floor() as i32;
    (first..=last).map(|e| 10f64.powi(e))
}

/// `8.1 T`, `320 G`, `1.5 k`: three significant digits and an SI prefix.
fn si(v: f64) -> String {
    let prefixes = ["", "k", "M", "G", "T", "P", "E"];
    let mut value = v;
    let mut i = 0;
    while value.abs() >= 1000.0 && i + 1 < prefixes.len() {
        value /= 1000.0;
        i += 1;
    }
    let digits = if value.abs() >= 100.0 {
        0
    } else if value.abs() >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{value:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    format!("{text} {}", prefixes[i])
}

/// A decade's label: `0.01`, `1`, `100`, `10 k`, `1 T`.
fn tick(v: f64) -> String {
    if v < 1.0 {
        let text = format!("{v:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        si(v).trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(si(8.1e12), "8.1 T");
        assert_eq!(si(320e9), "320 G");
        assert_eq!(si(1.5e3), "1.5 k");
        assert_eq!(si(12.0), "12 ");
        assert_eq!(tick(0.01), "0.01");
        assert_eq!(tick(1e12), "1 T");
        assert_eq!(tick(1.0), "1");
    }
}
