//! Property tests: the closed-form shape and cost formulas of convolutions and pooling against
//! brute force over random configurations.
//!
//! - Output sizes are counted window by window: a plain convolution's windows are the positions
//!   whose whole (dilated) kernel lies in the padded input; a transposed convolution's output is
//!   what its input positions scatter to, cropped by the padding; pooling follows PyTorch's
//!   `ceil_mode` rule (windows may run past the end, but must start in the input or the left
//!   padding) and its padding limit.
//! - MACs are counted by looping over output positions and kernel taps (for transposed
//!   convolutions: over input positions and taps), as torchvision and fvcore count them.
//!
//! A small deterministic PRNG drives the configurations; no dependencies.

use nncost_core::layers::{ConvSpec, Parameter, PoolSpec};
use nncost_core::{evaluate, Entry, Layer, Merge, Node, Problem, Shape};

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// Every index tuple of `sizes` (row-major), for looping over multi-dimensional positions.
fn positions(sizes: &[u64]) -> Vec<Vec<u64>> {
    let mut out = vec![Vec::new()];
    for &n in sizes {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                (0..n).map(move |i| {
                    let mut p = prefix.clone();
                    p.push(i);
                    p
                })
            })
            .collect();
    }
    out
}

/// The number of window starts `o·stride` (in padded coordinates) whose whole dilated kernel
/// lies inside the padded input.
fn brute_conv_size(input: u64, kernel: u64, stride: u64, padding: u64, dilation: u64) -> u64 {
    let padded = input + 2 * padding;
    let mut count = 0;
    let mut start = 0;
    loop {
        // Every tap of the window must be inside the padded input.
        let inside = (0..kernel).all(|j| start + j * dilation < padded);
        if !inside {
            return count;
        }
        count += 1;
        start += stride;
    }
}

/// A transposed convolution's output size: mark every position an input element scatters to,
/// take the extent, add the output padding and crop the padding from both sides; `None` if
/// nothing is left.
fn brute_transposed_size(
    input: u64,
    kernel: u64,
    stride: u64,
    padding: u64,
    dilation: u64,
    output_padding: u64,
) -> Option<u64> {
    let mut hit = Vec::new();
    for i in 0..input {
        for j in 0..kernel {
            let at = (i * stride + j * dilation) as usize;
            if hit.len() <= at {
                hit.resize(at + 1, false);
            }
            hit[at] = true;
        }
    }
    let extent = hit
        .iter()
        .rposition(|&h| h)
        .map_or(0, |last| last as u64 + 1)
        + output_padding;
    extent.checked_sub(2 * padding).filter(|&n| n > 0)
}

/// PyTorch's pooling windows, one by one: in floor mode the whole window lies in the padded
/// input; in ceil mode it may run past the end as long as it would have started before a
/// full window's end plus a stride, and it starts inside the input or the left padding.
fn brute_pool_size(
    input: u64,
    kernel: u64,
    stride: u64,
    padding: u64,
    dilation: u64,
    ceil_mode: bool,
) -> u64 {
    let padded = input + 2 * padding;
    let extent = dilation * (kernel - 1) + 1;
    let mut count = 0;
    let mut start = 0;
    loop {
        let ok = if ceil_mode {
            // The window may hang over the end by less than a stride ...
            start + extent < padded + stride
                // ... but must start in the input or the left padding.
                && start < input + padding
        } else {
            start + extent <= padded
        };
        if !ok {
            return count;
        }
        count += 1;
        start += stride;
    }
}

fn conv_layer(spec: ConvSpec) -> Layer {
    Layer::Conv(spec)
}

#[test]
fn conv_shapes_and_macs_match_brute_force() {
    let mut rng = Rng(0xC02D);
    let mut checked = 0;
    let mut rejected = 0;
    for _ in 0..8000 {
        let rank = rng.range(1, 3) as usize;
        let groups = [1, 1, 2, 4][rng.range(0, 3) as usize];
        let cin = groups * rng.range(1, 3);
        let cout = groups * rng.range(1, 3);
        let batch = rng.range(1, 2);
        let mut dims = vec![batch, cin];
        let (mut kernel, mut stride, mut padding, mut dilation) = ([1; 3], [1; 3], [0; 3], [1; 3]);
        for d in 0..rank {
            dims.push(rng.range(1, if rank == 3 { 6 } else { 12 }));
            kernel[d] = rng.range(1, 5);
            stride[d] = rng.range(1, 4);
            padding[d] = rng.range(0, 3);
            dilation[d] = rng.range(1, 3);
        }
        let input = Shape::new(&dims);
        let spec = ConvSpec {
            rank,
            transposed: false,
            in_channels: if rng.coin() { cin } else { 0 },
            out_channels: cout,
            out_ratio: None,
            kernel,
            stride,
            padding,
            dilation,
            output_padding: [0; 3],
            groups,
            bias: rng.coin(),
        };
        let sizes: Vec<u64> = (0..rank)
            .map(|d| brute_conv_size(dims[d + 2], kernel[d], stride[d], padding[d], dilation[d]))
            .collect();
        let result = conv_layer(spec).apply(&input);
        if sizes.contains(&0) {
            assert!(
                matches!(result, Err(Problem::WindowTooLarge { .. })),
                "{spec:?} on {input}: expected no window to fit, got {result:?}"
            );
            rejected += 1;
            continue;
        }
        let (out, cost) = result.unwrap_or_else(|e| panic!("{spec:?} on {input}: {e:?}"));
        let mut expected = vec![batch, cout];
        expected.extend(&sizes);
        assert_eq!(out, Shape::new(&expected), "{spec:?} on {input}");
        // MACs: every output position of every sample and output channel, every kernel tap,
        // every input channel of the group (taps over the padding count, as in fvcore).
        let taps = positions(&kernel[..rank]);
        let mut macs = 0;
        for _sample in 0..batch {
            for _position in positions(&sizes) {
                for _tap in &taps {
                    macs += cout * (cin / groups);
                }
            }
        }
        assert_eq!(cost.macs, macs, "{spec:?} on {input}");
        let weights = cout * (cin / groups) * taps.len() as u64;
        let bias = if spec.bias { cout } else { 0 };
        assert_eq!(cost.params, weights + bias, "{spec:?}");
        let outputs: u64 = expected.iter().product();
        assert_eq!(cost.flops, 2 * macs + if spec.bias { outputs } else { 0 });
        checked += 1;
    }
    eprintln!("conv: {checked} configurations checked, {rejected} rejected as PyTorch does");
    // Both outcomes are exercised.
    assert!(
        checked > 4000 && rejected > 200,
        "{checked} checked, {rejected} rejected"
    );
}

#[test]
fn transposed_conv_shapes_and_macs_match_a_scatter_count() {
    let mut rng = Rng(0x72A45);
    let mut checked = 0;
    let mut rejected = 0;
    for _ in 0..6000 {
        let rank = rng.range(1, 3) as usize;
        let groups = [1, 1, 2, 3][rng.range(0, 3) as usize];
        let cin = groups * rng.range(1, 3);
        let cout = groups * rng.range(1, 3);
        let batch = rng.range(1, 2);
        let mut dims = vec![batch, cin];
        let (mut kernel, mut stride, mut padding, mut dilation, mut output_padding) =
            ([1; 3], [1; 3], [0; 3], [1; 3], [0; 3]);
        for d in 0..rank {
            dims.push(rng.range(1, if rank == 3 { 5 } else { 9 }));
            kernel[d] = rng.range(1, 4);
            stride[d] = rng.range(1, 3);
            padding[d] = rng.range(0, 4);
            dilation[d] = rng.range(1, 2);
            // PyTorch: output padding below the stride or the dilation.
            output_padding[d] = rng.range(0, stride[d].max(dilation[d]) - 1);
        }
        let input = Shape::new(&dims);
        let spec = ConvSpec {
            rank,
            transposed: true,
            in_channels: 0,
            out_channels: cout,
            out_ratio: None,
            kernel,
            stride,
            padding,
            dilation,
            output_padding,
            groups,
            bias: rng.coin(),
        };
        let sizes: Vec<Option<u64>> = (0..rank)
            .map(|d| {
                brute_transposed_size(
                    dims[d + 2],
                    kernel[d],
                    stride[d],
                    padding[d],
                    dilation[d],
                    output_padding[d],
                )
            })
            .collect();
        let result = conv_layer(spec).apply(&input);
        if sizes.contains(&None) {
            assert!(
                matches!(result, Err(Problem::EmptyOutput { .. })),
                "{spec:?} on {input}: expected an empty output, got {result:?}"
            );
            rejected += 1;
            continue;
        }
        let sizes: Vec<u64> = sizes.into_iter().flatten().collect();
        let (out, cost) = result.unwrap_or_else(|e| panic!("{spec:?} on {input}: {e:?}"));
        let mut expected = vec![batch, cout];
        expected.extend(&sizes);
        assert_eq!(out, Shape::new(&expected), "{spec:?} on {input}");
        // MACs over input positions: each input element of each channel scatters every tap to
        // the group's output channels.
        let taps = positions(&kernel[..rank]);
        let mut macs = 0;
        for _sample in 0..batch {
            for _position in positions(&dims[2..]) {
                for _tap in &taps {
                    macs += cin * (cout / groups);
                }
            }
        }
        assert_eq!(cost.macs, macs, "{spec:?} on {input}");
        let bias = if spec.bias { cout } else { 0 };
        assert_eq!(
            cost.params,
            cin * (cout / groups) * taps.len() as u64 + bias
        );
        checked += 1;
    }
    eprintln!("transposed conv: {checked} checked, {rejected} rejected");
    assert!(
        checked > 3000 && rejected > 100,
        "{checked} checked, {rejected} rejected"
    );
}

#[test]
fn pool_shapes_match_pytorch_windows() {
    let mut rng = Rng(0x9001);
    let mut checked = 0;
    let mut rejected = 0;
    for _ in 0..20000 {
        let rank = rng.range(1, 3) as usize;
        let max = rng.coin();
        let ceil_mode = rng.coin();
        let dims_len = rank + 2;
        let mut dims = vec![rng.range(1, 2), rng.range(1, 3)];
        let (mut kernel, mut stride, mut padding, mut dilation) = ([1; 3], [0; 3], [0; 3], [1; 3]);
        for d in 0..rank {
            dims.push(rng.range(1, 14));
            kernel[d] = rng.range(1, 5);
            // 0: the default, the kernel size.
            stride[d] = rng.range(0, 4);
            if max {
                dilation[d] = rng.range(1, 3);
            }
            // Mostly within PyTorch's limit (half the kernel), sometimes beyond.
            padding[d] = if rng.range(0, 5) == 0 {
                rng.range(0, 3)
            } else {
                rng.range(0, kernel[d] / 2)
            };
        }
        assert_eq!(dims.len(), dims_len);
        let input = Shape::new(&dims);
        let spec = PoolSpec {
            rank,
            max,
            kernel,
            stride,
            padding,
            dilation,
            ceil_mode,
            count_include_pad: true,
        };
        let result = Layer::Pool(spec).apply(&input);
        // Dim by dim, as PyTorch checks them: padding at most half the kernel (MaxPool2d: the
        // dilated kernel), AvgPool3d's kernel within the unpadded input, then the windows.
        let mut sizes = Vec::new();
        let mut failure = None;
        for d in 0..rank {
            let limit = if max && rank == 2 {
                dilation[d] * (kernel[d] - 1) + 1
            } else {
                kernel[d]
            };
            let s = if stride[d] == 0 { kernel[d] } else { stride[d] };
            let n = brute_pool_size(
                dims[d + 2],
                kernel[d],
                s,
                padding[d],
                dilation[d],
                ceil_mode,
            );
            if padding[d] > limit / 2 {
                failure = Some("padding");
            } else if !max && rank == 3 && dims[d + 2] < kernel[d] {
                failure = Some("kernel");
            } else if n == 0 {
                failure = Some("window");
            }
            if failure.is_some() {
                break;
            }
            sizes.push(n);
        }
        if let Some(failure) = failure {
            let ok = match failure {
                "padding" => matches!(result, Err(Problem::PaddingTooLarge { .. })),
                "kernel" => matches!(result, Err(Problem::KernelTooLarge { .. })),
                _ => matches!(
                    result,
                    Err(Problem::WindowTooLarge { .. } | Problem::EmptyOutput { .. })
                ),
            };
            assert!(
                ok,
                "{spec:?} on {input}: expected a {failure} error, got {result:?}"
            );
            rejected += 1;
            continue;
        }
        let (out, cost) = result.unwrap_or_else(|e| panic!("{spec:?} on {input}: {e:?}"));
        let mut expected = dims[..2].to_vec();
        expected.extend(&sizes);
        assert_eq!(out, Shape::new(&expected), "{spec:?} on {input}");
        // FLOPs: per output element, `taps − 1` comparisons (max) or `taps` adds and a divide.
        let taps = positions(&kernel[..rank]).len() as u64;
        let outputs: u64 = expected.iter().product();
        let per_output = if max { taps - 1 } else { taps };
        assert_eq!((cost.macs, cost.flops), (0, outputs * per_output));
        checked += 1;
    }
    eprintln!("pooling: {checked} checked, {rejected} rejected");
    assert!(
        checked > 8000 && rejected > 1000,
        "{checked} checked, {rejected} rejected"
    );
}

/// PyTorch's broadcasting rule as its docs state it, written independently of nncost's: pad the
/// shorter shape with leading 1s, then at every dim the sizes must be equal or one of them 1.
/// `Err` is the dim PyTorch's `infer_size` names ("at non-singleton dimension i"): it checks
/// from the last dim to the first and stops at the first clash.
fn reference_broadcast(a: &[u64], b: &[u64]) -> Result<Vec<u64>, usize> {
    let rank = a.len().max(b.len());
    let pad = |s: &[u64]| -> Vec<u64> {
        let mut v = vec![1; rank - s.len()];
        v.extend_from_slice(s);
        v
    };
    let (a, b) = (pad(a), pad(b));
    let mut out = vec![0; rank];
    for i in (0..rank).rev() {
        out[i] = match (a[i], b[i]) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return Err(i),
        };
    }
    Ok(out)
}

/// A random shape for broadcasting: rank 0 to 6, sizes drawn mostly from {1, 2, 3} so that
/// pairs often agree, and sometimes 0 (an empty tensor broadcasts like any other size).
fn broadcast_operand(rng: &mut Rng) -> Vec<u64> {
    let rank = rng.range(0, 6) as usize;
    (0..rank)
        .map(|_| match rng.range(0, 9) {
            0..=3 => 1,
            4..=6 => rng.range(2, 3),
            7 => 0,
            _ => rng.range(4, 64),
        })
        .collect()
}

#[test]
fn broadcasting_matches_pytorch_rule() {
    let mut rng = Rng(0xB40A_DCA5);
    let (mut broadcast, mut rejected) = (0, 0);
    for _ in 0..20000 {
        let (a, b) = (broadcast_operand(&mut rng), broadcast_operand(&mut rng));
        let (left, right) = (Shape::new(&a), Shape::new(&b));
        let got = left.broadcast(&right);
        match reference_broadcast(&a, &b) {
            Ok(expected) => {
                assert_eq!(got, Ok(Shape::new(&expected)), "{left} with {right}");
                // Symmetric, and idempotent: the result broadcasts with either operand to itself.
                assert_eq!(right.broadcast(&left), got, "{right} with {left}");
                let out = Shape::new(&expected);
                assert_eq!(out.broadcast(&left), Ok(out), "{out} with {left}");
                broadcast += 1;
            }
            Err(dim) => {
                assert_eq!(got, Err(dim), "{left} with {right}");
                // The sizes reported at that dim are the clashing ones.
                let (x, y) = left.broadcast_dim(&right, dim);
                assert!(x != y && x != 1 && y != 1, "{left} with {right} at {dim}");
                rejected += 1;
            }
        }
    }
    eprintln!("broadcasting: {broadcast} pairs broadcast, {rejected} rejected");
    assert!(
        broadcast > 5000 && rejected > 5000,
        "{broadcast} broadcast, {rejected} rejected"
    );
}

/// The same rule through the evaluator: `add { a: Parameter(a), b: Parameter(b) }` (each branch
/// yields its tensor) has the broadcast shape, one FLOP per output element, reads each operand
/// at its own size, and fails with both shapes and PyTorch's dim in the message.
#[test]
fn broadcasting_merges_cost_and_report_as_pytorch() {
    let mut rng = Rng(0x5E_B40A);
    let (mut broadcast, mut rejected) = (0, 0);
    for _ in 0..3000 {
        // Parameters hold at least one element per dim.
        let operand = |rng: &mut Rng| -> Vec<u64> {
            let mut dims = broadcast_operand(rng);
            dims.retain(|&d| d > 0);
            dims
        };
        let (a, b) = (operand(&mut rng), operand(&mut rng));
        let merge = if rng.coin() { Merge::Add } else { Merge::Mul };
        let branches: &'static [Entry] = Box::leak(Box::new([
            Entry::new("a", Node::Layer(Parameter::new(&a).into_layer())),
            Entry::new("b", Node::Layer(Parameter::new(&b).into_layer())),
        ]));
        let node: &'static Node = Box::leak(Box::new(Node::Parallel { branches, merge }));
        let result = evaluate("Net", node, Shape::new(&[1]));
        let (na, nb) = (a.iter().product::<u64>(), b.iter().product::<u64>());
        match reference_broadcast(&a, &b) {
            Ok(expected) => {
                let report = result.unwrap_or_else(|e| panic!("{a:?} {b:?}: {e:?}"));
                let out: u64 = expected.iter().product();
                assert_eq!(report.output, Shape::new(&expected), "{a:?} with {b:?}");
                assert_eq!(
                    (report.cost.params, report.cost.macs, report.cost.flops),
                    (na + nb, 0, out),
                    "{a:?} with {b:?}"
                );
                // Read a and b (no expanded copies), write the output; f32.
                assert_eq!(report.memory.access, 4 * (na + nb + out), "{a:?} {b:?}");
                broadcast += 1;
            }
            Err(dim) => {
                let error = result.expect_err("shapes that do not broadcast");
                let message = error.message();
                let (left, right) = (Shape::new(&a), Shape::new(&b));
                let (x, y) = left.broadcast_dim(&right, dim);
                for part in [
                    left.to_string(),
                    right.to_string(),
                    format!("dim {dim} "),
                    format!("({x} vs {y})"),
                ] {
                    assert!(
                        message.as_str().contains(&part),
                        "{part:?} missing from {:?}",
                        message.as_str()
                    );
                }
                rejected += 1;
            }
        }
    }
    assert!(
        broadcast > 1000 && rejected > 500,
        "{broadcast} broadcast, {rejected} rejected"
    );
}
