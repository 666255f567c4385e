//! Validates nncost's roofline on the machine it runs on.
//!
//! 1. Measures this machine: its f32 GEMM peak with the `gemm` crate (the kernel library candle
//!    uses for matrix products on the CPU) over several sizes; its main-memory bandwidth with a
//!    STREAM-style triad (`a = b + s·c`) and a read-only sweep over arrays four times the
//!    last-level cache; and each cache level's read bandwidth (levels and sizes from sysfs).
//! 2. Makes a `Device` profile from those numbers: the best GEMM rate as the f32 peak, the
//!    better of the two main-memory figures, the cache levels.
//! 3. Times real inference with candle (layers one at a time, and two small models built the
//!    same way as their `network!` declarations) and prints, per case, the measured time (the
//!    best of all runs), nncost's roofline time on the profile, and their ratio, then the
//!    median ratio. Every ratio must be at least 1: the roofline is a lower bound. The program
//!    exits with an error if one is not.
//!
//! Every quantity is measured in every round, interleaved, and its best kept, so that load from
//! other processes slows the profile and the cases alike.
//!
//! ```sh
//! cargo run --release --manifest-path benches/roofline/Cargo.toml            # one thread
//! cargo run --release --manifest-path benches/roofline/Cargo.toml -- --threads 2 --rounds 16
//! ```
//!
//! One thread by default: the machine this project runs on has two cores shared with other
//! work, and one core gives steadier numbers. `--threads N` measures the profile and runs
//! candle on N threads alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use candle_core::{DType as CDType, Device as Cpu, Module, ModuleT, Result, Tensor};
use candle_nn::{
    BatchNorm, Conv2d as CConv2d, Conv2dConfig, LayerNorm as CLayerNorm, Linear as CLinear,
};
use nncost::prelude::*;
use nncost::{roofline, Device, Peaks, Roofline, Time};

// ---------------------------------------------------------------------------------------------
// The cases, declared for nncost exactly as candle runs them below.

network! {
    /// A matrix product: 256 rows of 1024 features through a 1024×1024 weight (compute-bound).
    #[input(1024)]
    #[batch(256)]
    pub model Gemm { fc: Linear::new(1024).bias(false) }

    /// Batch-1 matrix-vector product over a 512 MiB weight, as in LLM decoding (memory-bound;
    /// large, so that the caches can hold only a small part of it).
    #[input(8192)]
    pub model Gemv { fc: Linear::new(16384).bias(false) }

    /// A linear layer with its bias at batch 32 (the bias add is a second pass in candle).
    #[input(2048)]
    #[batch(32)]
    pub model LinearBias { fc: Linear::new(2048) }

    /// ResNet's 3×3 convolution at 56×56, 64 channels.
    #[input(64, 56, 56)]
    pub model Conv3x3 { conv: Conv2d::new(64, 3).padding(1).bias(false) }

    /// ResNet's stem: 7×7, stride 2, 3 → 64 channels at 224×224.
    #[input(3, 224, 224)]
    pub model Stem { conv: Conv2d::new(64, 7).stride(2).padding(3).bias(false) }

    /// A pointwise (1×1) convolution, 256 → 256 channels at 28×28.
    #[input(256, 28, 28)]
    pub model Pointwise { conv: Conv2d::new(256, 1).bias(false) }

    /// ReLU over 16 Mi values (64 MiB in, 64 MiB out).
    #[input(16_777_216)]
    pub model Relu { relu: ReLU }

    /// An elementwise sum of two 16 Mi-value tensors (here the input twice: `Dropout` is the
    /// identity at inference, a view that moves nothing; the sum reads both and writes one).
    #[input(16_777_216)]
    pub model Sum { add { a: Dropout, b: Dropout } }

    /// Softmax over 4096 scores, 4096 rows.
    #[input(4096, 4096)]
    pub model Softmax4k { softmax: Softmax::new(-1) }

    /// LayerNorm over 768 features, 8192 positions.
    #[input(8192, 768)]
    pub model Norm { ln: LayerNorm::new(768) }

    /// A ResNet basic block.
    pub block Basic<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C).stride(S),
        },
        relu_out: ReLU,
    }

    /// A small ResNet for 128×128 images.
    #[input(3, 128, 128)]
    pub model SmallResNet {
        conv1: Conv2d::new(32, 3).stride(2).padding(1).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        layer1: Basic<32, 1>,
        layer2: Basic<64, 2>,
        layer3: Basic<128, 2>,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(10),
    }

    /// A GPT-2-style block: width `D`, `H` heads.
    pub block GptBlock<const D: u64, const H: u64> {
        residual {
            ln_1: LayerNorm::new(D),
            c_attn: Linear::new(3 * D),
            attn: ScaledDotProductAttention::new(H).causal(true),
            c_proj: Linear::new(D),
        },
        residual {
            ln_2: LayerNorm::new(D),
            c_fc: Linear::new(4 * D),
            act: GELU,
            mlp_proj: Linear::new(D),
        },
    }

    /// A small GPT-2-style decoder over 256 positions of width 256: four blocks, a final norm
    /// and a 4096-word head.
    #[input(256, 256)]
    pub model TinyGpt {
        h: [GptBlock<256, 4>; 4],
        ln_f: LayerNorm::new(256),
        lm_head: Linear::new(4096).bias(false),
    }
}

// ---------------------------------------------------------------------------------------------
// Measuring the machine.

/// Arguments: `--threads N`, `--rounds N` (8 by default), `--quick` (2 rounds), `--case TEXT`
/// (only the cases whose name contains it).
struct Args {
    threads: usize,
    rounds: usize,
    case: Option<String>,
}

fn args() -> Args {
    let mut out = Args {
        threads: 1,
        rounds: 8,
        case: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--threads" => {
                out.threads = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--threads takes a positive number");
            }
            "--rounds" => {
                out.rounds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--rounds takes a positive number");
            }
            "--quick" => out.rounds = 2,
            "--case" => out.case = Some(it.next().expect("--case takes a text")),
            other => panic!(
                "unknown argument {other}; use --threads N, --rounds N, --quick, --case TEXT"
            ),
        }
    }
    out
}

/// The best (shortest) time of `f` over at least `runs` runs and at least `budget` of time.
fn best_of(runs: usize, budget: Duration, mut f: impl FnMut()) -> Duration {
    // Warm up: page faults, caches, thread pools.
    f();
    f();
    let started = Instant::now();
    let mut best = Duration::MAX;
    let mut n = 0;
    while n < runs || started.elapsed() < budget {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
        n += 1;
    }
    best
}

/// f32 GEMM operations per second at `n×n×n`, the best of several runs.
fn gemm_rate(n: usize, threads: usize, runs: usize) -> f64 {
    let a = vec![1.0f32; n * n];
    let b = vec![0.5f32; n * n];
    let mut c = vec![0.0f32; n * n];
    let parallelism = if threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    let t = best_of(runs, Duration::from_millis(300), || unsafe {
        // Row-major n×n matrices: column stride 1, row stride n.
        gemm::gemm(
            n,
            n,
            n,
            c.as_mut_ptr(),
            1,
            n as isize,
            false,
            a.as_ptr(),
            1,
            n as isize,
            b.as_ptr(),
            1,
            n as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
        black_box(&mut c);
    });
    2.0 * (n as f64).powi(3) / t.as_secs_f64()
}

/// Splits `len` into `threads` ranges and runs `f` on each in its own thread.
fn split(threads: usize, len: usize, f: impl Fn(std::ops::Range<usize>) + Sync) {
    let chunk = len.div_ceil(threads);
    std::thread::scope(|s| {
        for t in 0..threads {
            let range = t * chunk..((t + 1) * chunk).min(len);
            let f = &f;
            s.spawn(move || f(range));
        }
    });
}

/// Bytes per second of a STREAM triad `a = b + s·c` over 128 MiB arrays (counted as STREAM
/// does: 3 arrays of 4-byte values), the best of several runs.
fn triad_rate(threads: usize, runs: usize) -> f64 {
    const N: usize = 32 << 20; // 32 Mi values: 128 MiB an array, 4× the last-level cache
    let mut a = vec![0.0f32; N];
    let b = vec![1.0f32; N];
    let c = vec![2.0f32; N];
    let s = 3.0f32;
    let a_ptr = a.as_mut_ptr() as usize;
    let t = best_of(runs, Duration::from_millis(300), || {
        split(threads, N, |range| {
            // SAFETY: the ranges are disjoint, so each thread writes its own part of `a`.
            let a = unsafe { std::slice::from_raw_parts_mut(a_ptr as *mut f32, N) };
            for i in range {
                a[i] = b[i] + s * c[i];
            }
        });
        black_box(&mut a);
    });
    3.0 * 4.0 * N as f64 / t.as_secs_f64()
}

/// Sums `data` as `S` streams read side by side (its `S` equal parts, 16 values of each in
/// turn): more streams keep more cache misses in flight, which is what a core needs to reach
/// its share of DRAM bandwidth (one sequential stream is bound by memory latency instead).
fn sweep<const S: usize>(data: &[f32]) -> f32 {
    let part = data.len() / S / 16 * 16;
    let mut streams: [std::slice::ChunksExact<'_, f32>; S] =
        std::array::from_fn(|j| data[j * part..(j + 1) * part].chunks_exact(16));
    let mut acc = [0.0f32; 16];
    for _ in 0..part / 16 {
        for stream in streams.iter_mut() {
            if let Some(chunk) = stream.next() {
                for (x, y) in acc.iter_mut().zip(chunk) {
                    *x += *y;
                }
            }
        }
    }
    acc.iter().sum()
}

/// Bytes per second of reading a buffer of `bytes` over and over (at least 64 MiB per run),
/// split over `threads`, as 1 to 16 side-by-side streams: the best of all: main memory for a
/// buffer far larger than the caches, a cache level's bandwidth for one that fits it.
fn read_rate(bytes: usize, threads: usize, runs: usize) -> f64 {
    let n = bytes / 4;
    let b = vec![1.0f32; n];
    let passes = (64 << 20) / bytes.min(64 << 20);
    let mut best = 0.0f64;
    for streams in [1, 4, 8, 16] {
        let t = best_of(runs, Duration::from_millis(100), || {
            split(threads, n, |range| {
                let data = black_box(&b[range]);
                for _ in 0..passes {
                    black_box(match streams {
                        1 => sweep::<1>(data),
                        4 => sweep::<4>(data),
                        8 => sweep::<8>(data),
                        _ => sweep::<16>(data),
                    });
                }
            });
        });
        best = best.max((passes * n * 4) as f64 / t.as_secs_f64());
    }
    best
}

/// The data caches of CPU 0 from sysfs, smallest first: `(level, bytes, shared by all cores)`.
fn caches() -> Vec<(u32, usize, bool)> {
    let mut out = Vec::new();
    for index in 0..8 {
        let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{index}");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).ok();
        let (Some(level), Some(kind), Some(size), Some(shared)) = (
            read("level"),
            read("type"),
            read("size"),
            read("shared_cpu_list"),
        ) else {
            break;
        };
        if kind.trim() == "Instruction" {
            continue;
        }
        let size = size.trim();
        let bytes = match size.strip_suffix('K') {
            Some(k) => k.parse::<usize>().unwrap_or(0) << 10,
            None => size
                .strip_suffix('M')
                .map_or(0, |m| m.parse::<usize>().unwrap_or(0) << 20),
        };
        let shared = shared.trim().contains(['-', ',']);
        out.push((level.trim().parse().unwrap_or(0), bytes, shared));
    }
    out
}

/// Total memory, from `/proc/meminfo` (for the profile's RAM; not used by the roofline).
fn ram_bytes() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        })
        .unwrap_or(1 << 30)
}

// ---------------------------------------------------------------------------------------------
// The cases in candle.

fn randn(shape: &[usize]) -> Result<Tensor> {
    Tensor::randn(0f32, 0.02, shape, &Cpu::Cpu)
}

fn ones(n: usize) -> Result<Tensor> {
    Tensor::ones(n, CDType::F32, &Cpu::Cpu)
}

fn linear(inp: usize, out: usize, bias: bool) -> Result<CLinear> {
    let b = if bias { Some(randn(&[out])?) } else { None };
    Ok(CLinear::new(randn(&[out, inp])?, b))
}

fn conv(inp: usize, out: usize, k: usize, stride: usize, padding: usize) -> Result<CConv2d> {
    let config = Conv2dConfig {
        padding,
        stride,
        ..Default::default()
    };
    Ok(CConv2d::new(randn(&[out, inp, k, k])?, None, config))
}

fn batch_norm(c: usize) -> Result<BatchNorm> {
    BatchNorm::new(c, randn(&[c])?, ones(c)?, ones(c)?, randn(&[c])?, 1e-5)
}

fn layer_norm(d: usize) -> Result<CLayerNorm> {
    Ok(CLayerNorm::new(ones(d)?, randn(&[d])?, 1e-5))
}

/// torchvision's `BasicBlock` in candle.
struct CBasic {
    conv1: CConv2d,
    bn1: BatchNorm,
    conv2: CConv2d,
    bn2: BatchNorm,
    downsample: Option<(CConv2d, BatchNorm)>,
}

impl CBasic {
    fn new(inp: usize, c: usize, stride: usize) -> Result<CBasic> {
        let downsample = if stride != 1 || inp != c {
            Some((conv(inp, c, 1, stride, 0)?, batch_norm(c)?))
        } else {
            None
        };
        Ok(CBasic {
            conv1: conv(inp, c, 3, stride, 1)?,
            bn1: batch_norm(c)?,
            conv2: conv(c, c, 3, 1, 1)?,
            bn2: batch_norm(c)?,
            downsample,
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let y = self.bn1.forward_t(&self.conv1.forward(x)?, false)?.relu()?;
        let y = self.bn2.forward_t(&self.conv2.forward(&y)?, false)?;
        let shortcut = match &self.downsample {
            Some((conv, bn)) => bn.forward_t(&conv.forward(x)?, false)?,
            None => x.clone(),
        };
        (y + shortcut)?.relu()
    }
}

/// `SmallResNet` in candle.
struct CResNet {
    conv1: CConv2d,
    bn1: BatchNorm,
    layers: Vec<CBasic>,
    fc: CLinear,
}

impl CResNet {
    fn new() -> Result<CResNet> {
        Ok(CResNet {
            conv1: conv(3, 32, 3, 2, 1)?,
            bn1: batch_norm(32)?,
            layers: vec![
                CBasic::new(32, 32, 1)?,
                CBasic::new(32, 64, 2)?,
                CBasic::new(64, 128, 2)?,
            ],
            fc: linear(128, 10, true)?,
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mut x = self.bn1.forward_t(&self.conv1.forward(x)?, false)?.relu()?;
        for layer in &self.layers {
            x = layer.forward(&x)?;
        }
        let x = x.mean_keepdim(3)?.mean_keepdim(2)?.flatten_from(1)?;
        self.fc.forward(&x)
    }
}

/// `GptBlock` in candle: fused q‖k‖v projection, causal attention, projection, MLP.
struct CGptBlock {
    ln_1: CLayerNorm,
    c_attn: CLinear,
    c_proj: CLinear,
    ln_2: CLayerNorm,
    c_fc: CLinear,
    mlp_proj: CLinear,
    heads: usize,
}

impl CGptBlock {
    fn new(d: usize, heads: usize) -> Result<CGptBlock> {
        Ok(CGptBlock {
            ln_1: layer_norm(d)?,
            c_attn: linear(d, 3 * d, true)?,
            c_proj: linear(d, d, true)?,
            ln_2: layer_norm(d)?,
            c_fc: linear(d, 4 * d, true)?,
            mlp_proj: linear(4 * d, d, true)?,
            heads,
        })
    }

    fn forward(&self, x: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (b, l, d) = x.dims3()?;
        let hd = d / self.heads;
        let qkv = self.c_attn.forward(&self.ln_1.forward(x)?)?;
        let heads = |i: usize| -> Result<Tensor> {
            qkv.narrow(2, i * d, d)?
                .reshape((b, l, self.heads, hd))?
                .transpose(1, 2)?
                .contiguous()
        };
        let (q, k, v) = (heads(0)?, heads(1)?, heads(2)?);
        let scores = (q.matmul(&k.t()?)? / (hd as f64).sqrt())?.broadcast_add(mask)?;
        let attn = candle_nn::ops::softmax_last_dim(&scores)?.matmul(&v)?;
        let attn = attn.transpose(1, 2)?.reshape((b, l, d))?;
        let x = (x + self.c_proj.forward(&attn)?)?;
        let h = self.c_fc.forward(&self.ln_2.forward(&x)?)?.gelu()?;
        x + self.mlp_proj.forward(&h)?
    }
}

/// `TinyGpt` in candle.
struct CGpt {
    blocks: Vec<CGptBlock>,
    ln_f: CLayerNorm,
    lm_head: CLinear,
    mask: Tensor,
}

impl CGpt {
    fn new(len: usize, d: usize, heads: usize, layers: usize, vocab: usize) -> Result<CGpt> {
        let mask: Vec<f32> = (0..len * len)
            .map(|i| {
                if i % len > i / len {
                    f32::NEG_INFINITY
                } else {
                    0.0
                }
            })
            .collect();
        Ok(CGpt {
            blocks: (0..layers)
                .map(|_| CGptBlock::new(d, heads))
                .collect::<Result<_>>()?,
            ln_f: layer_norm(d)?,
            lm_head: linear(d, vocab, false)?,
            mask: Tensor::from_vec(mask, (len, len), &Cpu::Cpu)?,
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mut x = x.clone();
        for block in &self.blocks {
            x = block.forward(&x, &self.mask)?;
        }
        self.lm_head.forward(&self.ln_f.forward(&x)?)
    }
}

// ---------------------------------------------------------------------------------------------

/// One case: its name, its roofline on a profile, and how to run it once in candle.
struct Case {
    name: &'static str,
    predict: fn(&Device) -> Roofline,
    run: Box<dyn FnMut() -> Result<Tensor>>,
}

/// `M`'s roofline on `device`.
fn predict<M: Model>(device: &Device) -> Roofline {
    roofline(M::NAME, &M::NODE, M::INPUT, M::PRECISION, device)
        .unwrap_or_else(|e| panic!("{}", e.message().as_str()))
}

fn case<M: Model>(name: &'static str, run: impl FnMut() -> Result<Tensor> + 'static) -> Case {
    Case {
        name,
        predict: predict::<M>,
        run: Box::new(run),
    }
}

fn cases() -> Result<Vec<Case>> {
    let mut out = Vec::new();

    let (fc, x) = (linear(1024, 1024, false)?, randn(&[256, 1024])?);
    out.push(case::<Gemm>("Linear 1024→1024, batch 256", move || {
        fc.forward(&x)
    }));

    let (fc, x) = (linear(8192, 16384, false)?, randn(&[1, 8192])?);
    out.push(case::<Gemv>(
        "Linear 8192→16384, batch 1 (GEMV, x·Wᵀ)",
        move || fc.forward(&x),
    ));

    // The same product as `W·x`: the weight is the left operand, read row after row.
    let (w, x) = (randn(&[16384, 8192])?, randn(&[8192, 1])?);
    out.push(case::<Gemv>(
        "Linear 8192→16384, batch 1 (GEMV, W·x)",
        move || w.matmul(&x),
    ));

    let (fc, x) = (linear(2048, 2048, true)?, randn(&[32, 2048])?);
    out.push(case::<LinearBias>(
        "Linear 2048→2048 + bias, batch 32",
        move || fc.forward(&x),
    ));

    let (c, x) = (conv(64, 64, 3, 1, 1)?, randn(&[1, 64, 56, 56])?);
    out.push(case::<Conv3x3>("Conv2d 3×3, 64→64, 56×56", move || {
        c.forward(&x)
    }));

    let (c, x) = (conv(3, 64, 7, 2, 3)?, randn(&[1, 3, 224, 224])?);
    out.push(case::<Stem>("Conv2d 7×7/2, 3→64, 224×224", move || {
        c.forward(&x)
    }));

    let (c, x) = (conv(256, 256, 1, 1, 0)?, randn(&[1, 256, 28, 28])?);
    out.push(case::<Pointwise>(
        "Conv2d 1×1, 256→256, 28×28",
        move || c.forward(&x),
    ));

    let x = randn(&[1, 16_777_216])?;
    out.push(case::<Relu>("ReLU, 16 Mi values", move || x.relu()));

    let (x, y) = (randn(&[1, 16_777_216])?, randn(&[1, 16_777_216])?);
    out.push(case::<Sum>("Add, 2 × 16 Mi values", move || &x + &y));

    let x = randn(&[1, 4096, 4096])?;
    out.push(case::<Softmax4k>("Softmax, 4096 × 4096", move || {
        candle_nn::ops::softmax_last_dim(&x)
    }));

    let (ln, x) = (layer_norm(768)?, randn(&[1, 8192, 768])?);
    out.push(case::<Norm>("LayerNorm 768, 8192 positions", move || {
        ln.forward(&x)
    }));

    let (net, x) = (CResNet::new()?, randn(&[1, 3, 128, 128])?);
    out.push(case::<SmallResNet>(
        "model: SmallResNet, 3×128×128",
        move || net.forward(&x),
    ));

    let (net, x) = (CGpt::new(256, 256, 4, 4, 4096)?, randn(&[1, 256, 256])?);
    out.push(case::<TinyGpt>("model: TinyGpt, 256 tokens", move || {
        net.forward(&x)
    }));

    Ok(out)
}

fn gflops(rate: f64) -> String {
    format!("{:.1} GFLOP/s", rate / 1e9)
}

/// The 1-, 5- and 15-minute load averages, to report the conditions of a run.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn main() -> Result<()> {
    let args = args();
    // candle sizes its thread pool from RAYON_NUM_THREADS; set it before any candle call.
    std::env::set_var("RAYON_NUM_THREADS", args.threads.to_string());
    let rounds = args.rounds;
    let sizes = [256, 512, 1024, 1536, 2048];
    println!(
        "{} thread(s), {rounds} rounds; load average {} at the start",
        args.threads,
        load()
    );

    // Every measurement is repeated in every round, interleaved, and its best kept (the
    // highest rate, the shortest time): a burst of load from other processes then slows one
    // round of everything rather than one quantity, and the profile and the cases are measured
    // under the same conditions.
    let mut cases = cases()?;
    if let Some(filter) = &args.case {
        cases.retain(|c| c.name.contains(filter.as_str()));
    }
    let mut gemm_best = vec![0.0f64; sizes.len()];
    let (mut triad, mut read) = (0.0f64, 0.0f64);
    // Cache levels as the threads see them: private ones count once per thread. A level's
    // bandwidth is the best read rate over buffers larger than the level before it (the bytes
    // it must serve) and no larger than itself.
    let levels: Vec<(u32, usize)> = caches()
        .into_iter()
        .map(|(level, bytes, shared)| (level, if shared { bytes } else { bytes * args.threads }))
        .collect();
    let probes: Vec<Vec<usize>> = levels
        .iter()
        .enumerate()
        .map(|(i, &(_, bytes))| {
            let from = if i == 0 {
                bytes / 8
            } else {
                levels[i - 1].1 * 2
            };
            let mut sizes = Vec::new();
            let mut size = from.max(4096);
            while size <= bytes * 3 / 4 {
                sizes.push(size);
                size *= 2;
            }
            sizes
        })
        .collect();
    let mut cache_best = vec![0.0f64; levels.len()];
    let mut measured = vec![Duration::MAX; cases.len()];
    for round in 0..rounds {
        for (best, &n) in gemm_best.iter_mut().zip(&sizes) {
            *best = best.max(gemm_rate(n, args.threads, 3));
        }
        triad = triad.max(triad_rate(args.threads, 3));
        read = read.max(read_rate(128 << 20, args.threads, 3));
        for (best, sizes) in cache_best.iter_mut().zip(&probes) {
            for &size in sizes {
                *best = best.max(read_rate(size, args.threads, 3));
            }
        }
        for (c, best) in cases.iter_mut().zip(&mut measured) {
            let mut failed = None;
            let t = best_of(3, Duration::from_millis(150), || {
                if let Err(e) = (c.run)().map(black_box) {
                    failed = Some(e);
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
            *best = (*best).min(t);
        }
        eprintln!("round {} of {rounds} done (load {})", round + 1, load());
    }

    let peak = gemm_best.iter().copied().fold(0.0, f64::max);
    let gemm: Vec<String> = sizes
        .iter()
        .zip(&gemm_best)
        .map(|(n, r)| format!("{n}³ {}", gflops(*r)))
        .collect();
    println!("f32 GEMM (gemm crate): {}", gemm.join(", "));
    println!(
        "bandwidth: triad {:.1} GB/s (STREAM's count: 12 bytes an element), read-only {:.1} GB/s",
        triad / 1e9,
        read / 1e9
    );
    let bandwidth = triad.max(read);
    let mut device = Device::new("this machine", Peaks::new(peak), bandwidth, ram_bytes());
    let mut described = Vec::new();
    for (&(level, bytes), &rate) in levels.iter().zip(&cache_best) {
        device = device.cache(bytes as u64, rate);
        described.push(format!(
            "L{level} {} KiB at {:.1} GB/s",
            bytes >> 10,
            rate / 1e9
        ));
    }
    println!("caches (read rates): {}", described.join(", "));
    println!(
        "profile: f32 peak {} (the best GEMM), main memory {:.1} GB/s (the better of the two), the caches above\n",
        gflops(peak),
        bandwidth / 1e9
    );

    let mut rows = Vec::new();
    for (c, measured) in cases.iter().zip(&measured) {
        let predicted = (c.predict)(&device);
        let ratio = measured.as_secs_f64() / predicted.time.as_secs_f64();
        let bound = if predicted.compute_bound.as_picos() * 2 >= predicted.time.as_picos() {
            "compute"
        } else {
            "memory"
        };
        rows.push((c.name, bound, predicted.time, *measured, ratio));
    }

    println!("| case | bound | roofline | measured (best) | measured / roofline |");
    println!("|---|---|---:|---:|---:|");
    for (name, bound, predicted, measured, ratio) in &rows {
        let measured = Time::from_picos(measured.as_nanos() as u64 * 1000);
        println!("| {name} | {bound} | {predicted} | {measured} | {ratio:.2} |");
    }
    let mut ratios: Vec<f64> = rows.iter().map(|r| r.4).collect();
    ratios.sort_by(f64::total_cmp);
    let median = if ratios.len() % 2 == 1 {
        ratios[ratios.len() / 2]
    } else {
        (ratios[ratios.len() / 2 - 1] + ratios[ratios.len() / 2]) / 2.0
    };
    println!(
        "\nmedian measured / roofline: {median:.2}; smallest {:.2}; largest {:.2}; load average {} at the end",
        ratios[0],
        ratios[ratios.len() - 1],
        load()
    );
    let below: Vec<&str> = rows.iter().filter(|r| r.4 < 1.0).map(|r| r.0).collect();
    if below.is_empty() {
        println!("every case is at or above its roofline: the lower bound holds");
    } else {
        println!(
            "BELOW THE ROOFLINE (not a lower bound): {}",
            below.join(", ")
        );
        std::process::exit(1);
    }
    Ok(())
}
