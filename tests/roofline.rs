//! Roofline times: hand-worked kernels on a made-up device, the dtype the peak is taken at, and
//! a model's total against the sum of its rows (the const walk and the per-row view are two
//! separate code paths).

use nncost::prelude::*;
use nncost::{roofline_of, Bound, Device, Peaks, Time};

/// A made-up device: plain f32 at 1 TFLOP/s, a matrix engine doing f32 at 4 TFLOP/s, f16 at
/// 8 and int8 at 16, and 100 GB/s of memory.
const MADE_UP: Device = Device::new("Made-up", Peaks::new(1e12).f16(2e12), 100e9, 1 << 30)
    .matrix(Peaks::NONE.f32(4e12).f16(8e12).int8(16e12));

network! {
    /// One compute-bound convolution.
    #[input(16, 32, 32)]
    model OneConv { conv: Conv2d::new(32, 3).padding(1) }

    /// One memory-bound elementwise layer.
    #[input(1_000_000)]
    model OneRelu { relu: ReLU }

    /// The convolution with int8 weights and f16 activations.
    #[input(16, 32, 32)]
    #[dtype(weights = int8, activations = f16)]
    model QuantConv { conv: Conv2d::new(32, 3).padding(1) }

    /// A small residual network: layers, merges, groups and a view.
    #[input(3, 64, 64)]
    model Small {
        stem: { conv: Conv2d::new(32, 3).stride(2).padding(1), relu: ReLU },
        blocks: [Block; 2],
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(10),
    }

    block Block {
        residual {
            conv1: Conv2d::new(32, 3).padding(1).bias(false),
            bn: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(32, 3).padding(1),
        },
        relu_out: ReLU,
    }
}

#[test]
fn compute_bound_conv_by_hand() {
    // 32 filters of 16×3×3 over 32×32 positions, plus one bias add per output.
    let macs = 32 * 16 * 9 * 32 * 32; // 4,718,592
    let bias_adds = 32 * 32 * 32; // 32,768
    assert_eq!(
        (OneConv::MACS, OneConv::FLOPS),
        (macs, 2 * macs + bias_adds)
    );
    // Compute: 2·MACs = 9,437,184 operations on the matrix engine at 4·10¹² op/s = 2,359,296 ps,
    // and the 32,768 bias adds on the vector units at 10¹² op/s = 32,768 ps.
    let compute = 2_359_296 + 32_768;
    // Memory: the input (16·32·32), the weights (32·16·9 + 32) and the output (32·32·32), at
    // f32: 4 · (16,384 + 4,640 + 32,768) = 215,168 bytes at 10¹¹ B/s = 2,151,680 ps.
    assert_eq!(OneConv::MEMORY_ACCESS_BYTES, 215_168);
    let memory = 2_151_680;
    let view = OneConv::summary().on(&MADE_UP);
    let row = view.rows[0];
    assert_eq!(row.compute, Time::from_picos(compute));
    assert_eq!(row.memory, Time::from_picos(memory));
    assert_eq!(row.time, Time::from_picos(2_392_064)); // the larger: compute
    assert_eq!(row.bound, Some(Bound::Compute));
    assert_eq!(roofline_of::<OneConv>(&MADE_UP).time, row.time);
}

#[test]
fn memory_bound_elementwise_by_hand() {
    // One FLOP per element; read 10⁶ f32 values and write 10⁶.
    assert_eq!(OneRelu::FLOPS, 1_000_000);
    assert_eq!(OneRelu::MEMORY_ACCESS_BYTES, 8_000_000);
    let view = OneRelu::summary().on(&MADE_UP);
    let row = view.rows[0];
    // 10⁶ operations at 10¹² op/s (no MACs: all on the vector units) = 1 µs;
    // 8·10⁶ bytes at 10¹¹ B/s = 80 µs.
    assert_eq!(row.compute, Time::from_micros(1));
    assert_eq!(row.memory, Time::from_micros(80));
    assert_eq!(row.time, Time::from_micros(80));
    assert_eq!(row.bound, Some(Bound::Memory));
}

#[test]
fn a_cache_level_bounds_what_it_can_hold() {
    // 4 MB of cache serving 400 GB/s in front of the 100 GB/s memory.
    let cached = MADE_UP.cache(4_000_000, 400e9);
    // The ReLU moves 8 MB: all of it through the cache (8·10⁶ / 4·10¹¹ s = 20 µs), and at least
    // the 4 MB the cache cannot hold from memory (4·10⁶ / 10¹¹ s = 40 µs): 40 µs.
    let row = OneRelu::summary().on(&cached).rows[0];
    assert_eq!(row.memory, Time::from_micros(40));
    // The conv's 215,168 bytes fit the cache: 215,168 / 4·10¹¹ s = 537,920 ps.
    let row = OneConv::summary().on(&cached).rows[0];
    assert_eq!(row.memory, Time::from_picos(537_920));
    // A cache only ever shortens the memory time.
    assert!(row.memory < OneConv::summary().on(&MADE_UP).rows[0].memory);
}

#[test]
fn efficiency_factors_stretch_each_side() {
    // Half the peak arithmetic, 80% of the bandwidth.
    let measured = MADE_UP.efficiency(0.5, 0.8);
    let row = OneConv::summary().on(&measured).rows[0];
    assert_eq!(row.compute, Time::from_picos(2 * 2_392_064));
    assert_eq!(row.memory, Time::from_picos(2_151_680 * 10 / 8));
}

#[test]
fn weight_only_quantization_computes_in_the_activation_float() {
    // int8 weights with f16 activations: the MACs run at the f16 matrix rate (8·10¹² op/s), not
    // int8's 16·10¹²; the bias adds at the f16 vector rate (2·10¹²).
    let row = QuantConv::summary().on(&MADE_UP).rows[0];
    assert_eq!(row.compute, Time::from_picos(9_437_184 / 8 + 32_768 / 2));
    // Memory at the dtypes: input and output 2 bytes a value, weights 1.
    let bytes = 2 * 16_384 + 4_640 + 2 * 32_768;
    assert_eq!(QuantConv::MEMORY_ACCESS_BYTES, bytes);
    assert_eq!(row.memory, Time::from_picos(bytes * 10)); // 10 ps a byte at 10¹¹ B/s
}

#[test]
fn the_total_is_the_sum_of_the_rows() {
    for device in nncost::devices::ALL.iter().chain([&MADE_UP]) {
        let view = Small::summary().on(device);
        let summary = &view.summary;
        let mut leaves = Time::ZERO;
        for (i, (row, r)) in summary.rows.iter().zip(&view.rows).enumerate() {
            if row.group {
                // A group is the sum of the kernels below it.
                let children: Time = summary.rows[i + 1..]
                    .iter()
                    .zip(&view.rows[i + 1..])
                    .take_while(|(c, _)| c.depth > row.depth)
                    .filter(|(c, _)| !c.group)
                    .fold(Time::ZERO, |t, (_, k)| t.saturating_add(k.time));
                assert_eq!(r.time, children, "{} on {}", row.name, device.name);
            } else {
                leaves = leaves.saturating_add(r.time);
            }
        }
        // The const walk (what `latency(..)` budgets check) and the rows agree exactly.
        let total = roofline_of::<Small>(device);
        assert_eq!(total.time, leaves, "{}", device.name);
        assert_eq!(view.total, total, "{}", device.name);
        assert_eq!(
            total.compute_bound.saturating_add(total.memory_bound()),
            total.time
        );
        // Every layer and merge that moves bytes is one kernel; views are free.
        let kernels = summary
            .rows
            .iter()
            .filter(|r| !r.group && r.memory.access > 0)
            .count();
        assert_eq!(total.kernels as usize, kernels);
    }
}

#[test]
fn views_take_no_time() {
    let view = Small::summary().on(&MADE_UP);
    let flatten = view
        .summary
        .rows
        .iter()
        .position(|r| r.kind == "Flatten")
        .unwrap();
    assert_eq!(view.rows[flatten].time, Time::ZERO);
    assert_eq!(view.rows[flatten].bound, None);
}

#[test]
fn the_table_states_the_device_and_the_bound() {
    let text = OneRelu::summary().on(&MADE_UP).to_string();
    assert!(text.contains("relu"), "{text}");
    assert!(text.contains("80.0 µs"), "{text}");
    assert!(text.contains("memory"), "{text}");
    assert!(text.contains("on Made-up"), "{text}");
    assert!(text.contains("a lower bound"), "{text}");
    // The plain summary is unchanged: no time columns.
    assert!(!OneRelu::summary().to_string().contains("µs"));
}

#[cfg(feature = "zoo")]
#[test]
fn zoo_totals_are_the_sum_of_their_rows() {
    use nncost::zoo::{Gpt2, MobileNetV2, ResNet18};
    fn check<M: nncost::Model>(summary: nncost::Summary) {
        for device in &nncost::devices::ALL {
            let view = summary.on(device);
            let leaves = summary
                .rows
                .iter()
                .zip(&view.rows)
                .filter(|(row, _)| !row.group)
                .fold(Time::ZERO, |t, (_, r)| t.saturating_add(r.time));
            let total = roofline_of::<M>(device);
            assert_eq!(total.time, leaves, "{} on {}", M::NAME, device.name);
            assert_eq!(view.total, total);
        }
    }
    check::<ResNet18>(ResNet18::summary());
    check::<MobileNetV2>(MobileNetV2::summary());
    check::<Gpt2<128>>(Gpt2::<128>::summary());
}

/// The roofline view shows the rows its summary shows: cut at a depth, repeated blocks folded
/// with their times summed over the copies.
#[cfg(feature = "zoo")]
#[test]
fn the_roofline_view_follows_the_summary_s_depth_and_folding() {
    use nncost::devices::JETSON_ORIN_NANO;
    use nncost::zoo::ResNet152;
    let full = ResNet152::summary().on(&JETSON_ORIN_NANO);
    let view = ResNet152::summary().fold().depth(2).on(&JETSON_ORIN_NANO);
    assert_eq!(view.total, full.total);
    let text = view.to_string();
    // Header, rule, rows, rule, totals, then four lines about the device and the bound.
    let rows = text.lines().count() - 2 - 2 - 4;
    assert!(rows <= 20, "{text}");
    assert!(!text.contains("layer3.1.conv1"), "{text}");
    // layer3's 35 identical blocks: one row, 35 times one block's time.
    let paths = ResNet152::summary().paths();
    let one = full.rows[paths.iter().position(|p| p == "layer3.1").unwrap()].time;
    let folded = Time::from_picos(one.as_picos() * 35);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("layer3.1–35 ×35"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains(&folded.to_string()), "{line} / {folded}");
}
