//! Per-layer bars: MACs on the left, bytes moved on the right, one row per charted layer.

use super::charted;
use super::svg::{escape, num, text_width, Svg, COMPUTE, GRID, MEMORY, MUTED};
use crate::export::Snapshot;
use crate::format::{grouped, human, human_bytes, shape};

/// Height of one row, and of a bar in it.
const ROW: f64 = 18.0;
const BAR: f64 = 12.0;
/// Width of a panel's longest bar, and room for its value after it.
const PANEL: f64 = 300.0;
const VALUE: f64 = 72.0;
/// Outer margin, and the header's height.
const MARGIN: f64 = 16.0;
const HEADER: f64 = 78.0;

impl Snapshot {
    /// A horizontal bar chart, one row per charted layer (see [the module](crate::chart)): its
    /// MACs (blue) and its memory traffic, the bytes it reads and writes (orange), each panel
    /// scaled to its largest bar, values at the bar ends. Every bar is a
    /// `<rect class="bar macs">` or `<rect class="bar bytes">` with a `<title>` tooltip giving
    /// the layer's path, kind and exact figure.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(3, 16, 16)]
    ///     model Net { conv: Conv2d::new(8, 3), relu: ReLU, flatten: Flatten, fc: Linear::new(2) }
    /// }
    /// let svg = Net::summary().bars_svg();
    /// assert_eq!(svg.matches("class=\"bar macs\"").count(), 4);
    /// assert_eq!(svg.matches("class=\"bar bytes\"").count(), 4);
    /// ```
    pub fn bars_svg(&self) -> String {
        let rows = charted(self);
        let label_width = rows
            .iter()
            .map(|r| indent(r.depth) + text_width(&label(r.path.as_str(), r.repeat)))
            .fold(text_width("layer"), f64::max);
        let kind_width = rows
            .iter()
            .map(|r| text_width(&r.kind))
            .fold(text_width("kind"), f64::max);
        let macs_x = MARGIN + label_width + 10.0 + kind_width + 16.0;
        let bytes_x = macs_x + PANEL + VALUE + 16.0;
        let width = (bytes_x + PANEL + VALUE + MARGIN).max(560.0);
        let height = HEADER + ROW * rows.len() as f64 + 2.0 * MARGIN;
        let title = format!("{}: MACs and memory traffic per layer", self.model);
        let mut svg = Svg::new(width, height, &title);
        svg.text(
            MARGIN,
            24.0,
            "start",
            "font-size=\"15\" font-weight=\"bold\"",
            &title,
        );
        let total_macs = self.figure("macs");
        let total_bytes = self.figure("memory_access_bytes");
        svg.text(
            MARGIN,
            42.0,
            "start",
            &format!("fill=\"{MUTED}\""),
            &format!(
                "input {}, weights {}, activations {}; {} MACs and {} moved in all, {} charted rows",
                shape(&self.input),
                self.dtypes.weights,
                self.dtypes.activations,
                human(total_macs),
                human_bytes(total_bytes),
                rows.len()
            ),
        );
        let head_y = HEADER - 8.0;
        let bold = "font-weight=\"bold\"";
        svg.text(MARGIN, head_y, "start", bold, "layer");
        svg.text(MARGIN + label_width + 10.0, head_y, "start", bold, "kind");
        svg.text(
            macs_x,
            head_y,
            "start",
            &format!("{bold} fill=\"{COMPUTE}\""),
            "MACs",
        );
        svg.text(
            bytes_x,
            head_y,
            "start",
            &format!("{bold} fill=\"{MEMORY}\""),
            "memory traffic (bytes read and written)",
        );
        let get = |row: &crate::export::LayerSnapshot, key| row.figures.get(key).unwrap_or(0);
        let max_macs = rows.iter().map(|r| get(r, "macs")).max().unwrap_or(0);
        let max_bytes = rows
            .iter()
            .map(|r| get(r, "memory_access_bytes"))
            .max()
            .unwrap_or(0);
        for (i, row) in rows.iter().enumerate() {
            let top = HEADER + ROW * i as f64;
            if i % 2 == 1 {
                svg.raw(&format!(
                    "<rect x=\"{MARGIN}\" y=\"{}\" width=\"{}\" height=\"{ROW}\" fill=\"#f4f4f4\"/>",
                    num(top),
                    num(width - 2.0 * MARGIN)
                ));
            }
            let baseline = top + ROW - 5.0;
            let name = label(&row.path, row.repeat);
            svg.text(MARGIN + indent(row.depth), baseline, "start", "", &name);
            svg.text(
                MARGIN + label_width + 10.0,
                baseline,
                "start",
                &format!("fill=\"{MUTED}\""),
                &row.kind,
            );
            let macs = get(row, "macs");
            let bytes = get(row, "memory_access_bytes");
            let share = |part: u64, whole: u64| {
                if whole == 0 {
                    String::new()
                } else {
                    format!(" ({:.1}% of the model)", part as f64 * 100.0 / whole as f64)
                }
            };
            let tooltip = |what: String| escape(&format!("{} ({}): {what}", name, row.kind));
            bar(
                &mut svg,
                "macs",
                COMPUTE,
                (macs_x, top),
                scale(macs, max_macs),
                &tooltip(format!("{} MACs{}", grouped(macs), share(macs, total_macs))),
                &human(macs),
            );
            bar(
                &mut svg,
                "bytes",
                MEMORY,
                (bytes_x, top),
                scale(bytes, max_bytes),
                &tooltip(format!(
                    "{} bytes read and written{}",
                    grouped(bytes),
                    share(bytes, total_bytes)
                )),
                &human_bytes(bytes),
            );
        }
        let bottom = HEADER + ROW * rows.len() as f64;
        svg.line((macs_x, HEADER), (macs_x, bottom), GRID);
        svg.line((bytes_x, HEADER), (bytes_x, bottom), GRID);
        svg.finish()
    }
}

/// How far a row's label is indented.
fn indent(depth: u16) -> f64 {
    8.0 * f64::from(depth)
}

/// `layer3.1–35 ×35`, or the path alone.
fn label(path: &str, repeat: u64) -> String {
    if repeat > 1 {
        format!("{path} ×{repeat}")
    } else {
        path.to_owned()
    }
}

/// A bar's length for `value` in a panel whose longest bar is `max`.
fn scale(value: u64, max: u64) -> f64 {
    if max == 0 {
        0.0
    } else {
        PANEL * value as f64 / max as f64
    }
}

/// One bar with its tooltip, and its value after it.
fn bar(
    svg: &mut Svg,
    class: &str,
    color: &str,
    (x, top): (f64, f64),
    length: f64,
    tooltip: &str,
    value: &str,
) {
    let y = top + (ROW - BAR) / 2.0;
    svg.raw(&format!(
        "<rect class=\"bar {class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR}\" fill=\"{color}\"><title>{tooltip}</title></rect>",
        num(x),
        num(y),
        num(length)
    ));
    if length > 0.0 {
        svg.text(
            x + length + 4.0,
            top + ROW - 5.0,
            "start",
            &format!("font-size=\"11\" fill=\"{MUTED}\""),
            value,
        );
    }
}
