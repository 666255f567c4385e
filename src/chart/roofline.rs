//! The roofline: every layer at its arithmetic intensity, under a device's compute and
//! bandwidth ceilings.

use super::charted;
use super::svg::{escape, num, Svg, COMPUTE, GRID, INK, MEMORY, MUTED};
use crate::export::Snapshot;
use crate::format::{grouped, human};

/// A device's ceilings for a roofline: peak compute and memory bandwidth.
///
/// A layer doing `F` FLOPs while moving `B` bytes has arithmetic intensity `I = F / B` and
/// can run at most at `min(peak, bandwidth × I)` FLOP/s: below the ridge point
/// `peak / bandwidth` it is bound by memory, above it by compute. Its time is at least
/// `max(F / peak, B / bandwidth)`.
///
/// ```
/// use nncost::chart::Roofline;
/// // NVIDIA T4 at FP32: 8.1 TFLOP/s, 320 GB/s (NVIDIA's datasheet).
/// let t4 = Roofline::new("NVIDIA T4 (FP32)", 8.1e12, 320e9);
/// assert_eq!(t4.ridge(), 8.1e12 / 320e9); // 25.3 FLOPs per byte
/// assert_eq!(t4.attainable(10.0), 3.2e12); // memory-bound
/// assert_eq!(t4.attainable(100.0), 8.1e12); // compute-bound
/// assert_eq!(t4.seconds(8.1e9, 1.0), 1e-3);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Roofline {
    /// The device's name, shown in the chart.
    pub device: String,
    /// Peak compute, FLOP/s.
    pub peak_flops: f64,
    /// Memory bandwidth, bytes/s.
    pub bandwidth: f64,
}

impl Roofline {
    /// A device with `peak_flops` FLOP/s and `bandwidth` bytes/s.
    pub fn new(device: impl Into<String>, peak_flops: f64, bandwidth: f64) -> Roofline {
        Roofline {
            device: device.into(),
            peak_flops,
            bandwidth,
        }
    }

    /// The intensity (FLOPs per byte) where the two ceilings meet.
    pub fn ridge(&self) -> f64 {
        self.peak_flops / self.bandwidth
    }

    /// The most FLOP/s reachable at `intensity` FLOPs per byte.
    pub fn attainable(&self, intensity: f64) -> f64 {
        (self.bandwidth * intensity).min(self.peak_flops)
    }

    /// The least time for `flops` FLOPs moving `bytes` bytes, in seconds.
    pub fn seconds(&self, flops: f64, bytes: f64) -> f64 {
        (flops / self.peak_flops).max(bytes / self.bandwidth)
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
    /// The legend gives the ceilings, the ridge point and the least time of the whole model,
    /// layer by layer.
    ///
    /// ```
    /// use nncost::chart::Roofline;
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(3, 16, 16)]
    ///     model Net { conv: Conv2d::new(8, 3), relu: ReLU, flatten: Flatten, fc: Linear::new(2) }
    /// }
    /// let svg = Net::summary().roofline_svg(&Roofline::new("laptop", 1e12, 50e9));
    /// // The flatten moves nothing: three points.
    /// assert_eq!(svg.matches("class=\"point\"").count(), 3);
    /// ```
    pub fn roofline_svg(&self, roof: &Roofline) -> String {
        struct Point<'a> {
            name: String,
            kind: &'a str,
            flops: u64,
            bytes: u64,
            intensity: f64,
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
        let y_max = roof.peak_flops * 4.0;
        let y_min = roof.attainable(x_min) / 2.0;
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
            &format!("peak {}FLOP/s", si(roof.peak_flops)),
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

        // The layers, largest first so that small points stay visible on top.
        let most = points.iter().map(|p| p.flops).max().unwrap_or(1).max(1);
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(points[i].flops));
        let mut least_time = 0.0;
        let mut memory_bound = 0;
        for p in &points {
            least_time += roof.seconds(p.flops as f64, p.bytes as f64);
            if p.intensity < ridge {
                memory_bound += 1;
            }
        }
        for (rank, &i) in order.iter().enumerate() {
            let p = &points[i];
            let bound = p.intensity < ridge;
            let color = if bound { MEMORY } else { COMPUTE };
            let (cx, cy) = (x(p.intensity), y(roof.attainable(p.intensity)));
            let r = 2.5 + 10.0 * (p.flops as f64 / most as f64).sqrt();
            let tooltip = format!(
                "{} ({}): {} FLOPs, {} bytes, {:.1} FLOPs/byte, {}-bound, at least {}",
                p.name,
                p.kind,
                grouped(p.flops),
                grouped(p.bytes),
                p.intensity,
                if bound { "memory" } else { "compute" },
                duration(roof.seconds(p.flops as f64, p.bytes as f64))
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
        let mut lines: Vec<(String, String)> = vec![
            (roof.device.clone(), "font-weight=\"bold\"".to_owned()),
            (
                format!(
                    "peak {}FLOP/s, bandwidth {}B/s",
                    si(roof.peak_flops),
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
                format!("{hidden} rows with no FLOPs or traffic not shown"),
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
            format!("least time, layer by layer: {}", duration(least_time)),
            String::new(),
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

/// `1.23 ms`, `45.6 µs`, `2.50 s`.
fn duration(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
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
        assert_eq!(duration(0.00123), "1.23 ms");
        assert_eq!(duration(4.56e-5), "45.6 µs");
    }
}
