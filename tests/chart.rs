//! Charts: the SVGs parse as XML, have one bar per charted layer row and one roofline point per
//! row that does FLOPs and moves bytes, and the README's committed image is current.

use nncost::devices::JETSON_ORIN_NANO;
use nncost::export::Snapshot;
use nncost::zoo::{Gpt2, ResNet152, ResNet18};
use nncost::Summary;

/// Elements of `svg` with `class="{class}"`, after checking it is well-formed SVG.
fn classed<'a>(doc: &'a roxmltree::Document<'a>, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .collect()
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    doc
}

/// The tooltip of an element.
fn title<'a>(node: &roxmltree::Node<'a, 'a>) -> &'a str {
    node.children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .unwrap_or_default()
}

/// Checks the bars of `summary`: one of each per row with nothing shown under it, in order.
fn check_bars(summary: Summary) {
    let snapshot = summary.snapshot();
    let svg = summary.bars_svg();
    let doc = parse(&svg);
    let layers = &snapshot.layers;
    let rows: Vec<_> = layers
        .iter()
        .enumerate()
        .filter(|(i, l)| layers.get(i + 1).is_none_or(|next| next.depth <= l.depth))
        .map(|(_, l)| l)
        .collect();
    for class in ["bar macs", "bar bytes"] {
        let bars = classed(&doc, class);
        assert_eq!(bars.len(), rows.len(), "{} {class}", snapshot.model);
        for (bar, row) in bars.iter().zip(&rows) {
            assert!(
                title(bar).starts_with(row.path.as_str()),
                "{} vs {}",
                title(bar),
                row.path
            );
        }
    }
}

#[test]
fn bars_parse_and_have_one_bar_per_layer_row() {
    // Every layer of ResNet-18 (no groups are charted when nothing is cut).
    let full = ResNet18::summary();
    let layers = full.rows.iter().filter(|r| !r.group).count();
    assert_eq!(
        parse(&full.bars_svg())
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar macs"))
            .count(),
        layers
    );
    check_bars(ResNet18::summary());
    check_bars(ResNet18::summary().depth(2));
    check_bars(ResNet152::summary().fold().depth(3));
    check_bars(Gpt2::<128>::summary().fold());
}

#[test]
fn a_bar_is_as_long_as_its_share_of_the_longest() {
    let svg = ResNet18::summary().depth(1).bars_svg();
    let doc = parse(&svg);
    let bars = classed(&doc, "bar macs");
    let width = |i: usize| bars[i].attribute("width").unwrap().parse::<f64>().unwrap();
    // Rows: conv1, bn1, relu, maxpool, layer1 .. layer4, avgpool, flatten, fc. layer1 has
    // the most MACs (462,422,016); conv1 118,013,952; bn1 none.
    let longest = (0..bars.len()).map(width).fold(0.0, f64::max);
    assert_eq!(longest, width(4));
    let expected = longest * 118_013_952.0 / 462_422_016.0;
    assert!(
        (width(0) - expected).abs() < 0.01,
        "{} vs {expected}",
        width(0)
    );
    assert_eq!(width(1), 0.0);
    assert!(title(&bars[0]).contains("118,013,952 MACs (6.5% of the model)"));
}

#[test]
fn roofline_parses_and_places_every_layer_that_computes() {
    for summary in [ResNet18::summary(), Gpt2::<128>::summary().fold()] {
        let snapshot: Snapshot = summary.snapshot();
        let svg = summary.roofline_svg(&JETSON_ORIN_NANO);
        let doc = parse(&svg);
        let computing = snapshot
            .layers
            .iter()
            .filter(|l| !l.group)
            .filter(|l| {
                l.figures.get("flops").unwrap() > 0
                    && l.figures.get("memory_access_bytes").unwrap() > 0
            })
            .count();
        assert_eq!(
            classed(&doc, "point").len(),
            computing,
            "{}",
            snapshot.model
        );
        assert_eq!(classed(&doc, "roof").len(), 1);
        assert_eq!(classed(&doc, "model").len(), 1);
    }
    // ResNet-18's conv1 (no bias): 2 × 118,013,952 FLOPs over its input, weights and output
    // at 4 bytes each: 61.3 FLOPs per byte, above the Orin Nano's ridge of 1.28 T / 68 G =
    // 18.8, so compute-bound.
    let svg = ResNet18::summary().roofline_svg(&JETSON_ORIN_NANO);
    let doc = parse(&svg);
    let conv1 = classed(&doc, "point")
        .into_iter()
        .find(|p| title(p).starts_with("conv1 "))
        .unwrap();
    let flops = 2 * 118_013_952u64;
    let bytes = 4 * (3 * 224 * 224 + 64 * 3 * 49 + 64 * 112 * 112);
    assert!(title(&conv1).contains(&format!(
        "{:.1} FLOPs/byte, compute-bound",
        flops as f64 / bytes as f64
    )));
}

#[test]
fn the_readme_image_is_the_example_s_current_output() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/resnet18-roofline.svg"
    ))
    .unwrap();
    // As `examples/charts.rs` makes it.
    let current = ResNet18::summary().roofline_svg(&JETSON_ORIN_NANO);
    assert!(
        committed == current,
        "docs/resnet18-roofline.svg is stale: run `cargo run --example charts --features zoo,chart` \
         and copy target/charts/resnet18-roofline.svg there"
    );
    parse(&committed);
}
