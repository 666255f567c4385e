//! The built-in device profiles: the table in their docs matches the constants, every profile
//! cites its sources, and the peaks are ordered as the hardware is.

use nncost::devices::{self, *};
use nncost::{DType, Device};

/// Every built-in profile with its const name.
const NAMED: [(&str, Device); 11] = [
    ("H100_SXM", H100_SXM),
    ("H200", H200),
    ("A100_SXM", A100_SXM),
    ("L4", L4),
    ("JETSON_ORIN_NANO", JETSON_ORIN_NANO),
    ("RASPBERRY_PI_5", RASPBERRY_PI_5),
    ("APPLE_M2", APPLE_M2),
    ("STM32H743", STM32H743),
    ("STM32L476", STM32L476),
    ("NRF52840", NRF52840),
    ("ESP32_S3", ESP32_S3),
];

const SOURCE: &str = include_str!("../core/src/devices.rs");

/// `989.5`, `67`, `2.039`: a number with no trailing zeros.
fn trimmed(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// `989.5 T`, `153.6 G`, `960 M` (with `suffix` after the prefix).
fn si(value: u64, suffix: &str) -> String {
    if value == 0 {
        return String::new();
    }
    let v = value as f64;
    let (scaled, prefix) = if v >= 1e12 {
        (v / 1e12, "T")
    } else if v >= 1e9 {
        (v / 1e9, "G")
    } else {
        (v / 1e6, "M")
    };
    format!("{} {prefix}{suffix}", trimmed(scaled))
}

/// `80 GB` (decimal) or `1 MiB` (binary: a power of 1024 times less than 1024).
fn capacity(bytes: u64) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes > 0 && bytes.is_multiple_of(1 << shift) && bytes >> shift < 1024 {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    si(bytes, "B")
}

fn table_row(name: &str, d: &Device) -> String {
    let int8 = d.matrix.int8.max(d.vector.int8);
    let cells = [
        format!("[`{name}`]"),
        si(d.vector.f32, ""),
        si(d.vector.f16, ""),
        si(d.matrix.f16, ""),
        si(int8, ""),
        si(d.matrix.fp8, ""),
        si(d.bandwidth, "B/s"),
        capacity(d.ram),
        capacity(d.flash),
    ];
    let mut line = String::from("//! |");
    for cell in cells {
        if cell.is_empty() {
            line.push_str(" |");
        } else {
            line.push_str(&format!(" {cell} |"));
        }
    }
    line
}

#[test]
fn the_docs_table_matches_the_constants() {
    assert_eq!(
        devices::ALL.map(|d| d.name),
        NAMED.map(|(_, d)| d.name),
        "ALL lists every profile, in order"
    );
    let expected: Vec<String> = NAMED.iter().map(|(n, d)| table_row(n, d)).collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|line| !SOURCE.contains(line.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "core/src/devices.rs's table is out of date; expected rows:\n{}",
        expected.join("\n")
    );
}

#[test]
fn every_profile_cites_its_sources() {
    for (name, _) in NAMED {
        let at = SOURCE
            .find(&format!("pub const {name}: Device"))
            .unwrap_or_else(|| panic!("{name} is declared in devices.rs"));
        // The doc comment right above the declaration.
        let doc_start = SOURCE[..at].rfind("\n\n").unwrap_or(0);
        let doc = &SOURCE[doc_start..at];
        assert!(doc.contains("Source"), "{name} names its sources");
        assert!(doc.contains("https://"), "{name} links its sources");
    }
}

#[test]
fn peaks_are_ordered_as_the_hardware() {
    for (name, d) in NAMED {
        assert!(d.vector.f32 > 0 && d.bandwidth > 0 && d.ram > 0, "{name}");
        // Narrower dtypes are never slower than f32 where the device has them.
        for dtype in [
            DType::F16,
            DType::BF16,
            DType::Fp8,
            DType::Int8,
            DType::Int4,
        ] {
            assert!(d.matrix_peak(dtype).1 >= d.vector.f32, "{name} {dtype:?}");
        }
        // Microcontrollers run their weights from flash; the others load them into RAM.
        let mcu = d.bandwidth < 10_000_000_000;
        assert_eq!(d.flash > 0, mcu && d.ram < (8 << 20), "{name}");
        assert_eq!(d.compute_efficiency, 1_000_000, "{name}: datasheet peaks");
    }
    // The H200 is an H100 with more and faster memory.
    assert_eq!(H200.matrix, H100_SXM.matrix);
    const { assert!(H200.bandwidth > H100_SXM.bandwidth && H200.ram > H100_SXM.ram) };
}
