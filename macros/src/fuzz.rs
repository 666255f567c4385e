//! Property test: `network!`, `assert_budget!`, `const_assert!` and `#[derive(ModelCost)]` never panic, whatever
//! tokens they get, and always answer with code or a `compile_error!`.
//!
//! Inputs are the valid examples below, mutated (tokens deleted, duplicated, swapped, replaced,
//! inserted; literals changed; the stream truncated; token ranges nested in a new group or a group
//! flattened; subtrees spliced in from another example), plus purely random token streams. A
//! small deterministic PRNG (SplitMix64) drives it, so every run tests the same inputs unless the
//! seed changes.
//!
//! The normal test run tries 125,000 inputs: 50,000 through `network!` (two tests), 25,000 each
//! through `assert_budget!`, `const_assert!` and the derive; the tests run in parallel. For a
//! long run, set the total and optionally the seed:
//!
//! ```sh
//! NNCOST_FUZZ_CASES=5000000 NNCOST_FUZZ_SEED=7 cargo test -p nncost-macros --release fuzz
//! ```
//!
//! A failure prints the input that broke the macro.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// Inputs in the normal test run, over the three macros.
const DEFAULT_CASES: u64 = 100_000;

/// `network!` inputs as the facade's trampoline passes them: `[$crate]` first.
const NETWORK_SEEDS: &[&str] = &[
    r"[::nncost]
    /// ResNet basic block.
    pub block BasicBlock<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            relu: ReLU,
        } shortcut {
            downsample: Projection::conv_bn(C).stride(S),
        },
    }",
    r"[::nncost]
    #[input(3, 224, 224)]
    #[budget(params <= 12M, macs <= 1.5G, weights <= 48MiB, peak_memory <= 64 MiB)]
    #[budget(latency(nncost::devices::H100_SXM) <= 1.5ms, fits(STM32H743), latency(X) <= 9ns)]
    pub model ResNet18 {
        layer1: [BasicBlock<64, 1>; 2],
        layer2: (BasicBlock<128, 2>, BasicBlock<128, 1>),
        fc: Linear::new(1000),
    }",
    r"[::nncost]
    #[input(tokens = 128)]
    #[dtype(weights = int8, activations = f16)]
    #[batch(2)]
    model Lm {
        wte: WTE,
        mix: concat { a: Linear::new(D), b: { c: Linear::new(D), r: GELU } },
        sum: add { x: ReLU, y: ReLU },
        scores: matmul { q: Linear::new(16), k: Transpose::new(1, 2) },
    }",
    r##"[crate]
    #[doc = r#hello]
    #[derive(Debug)]
    pub(crate) block Gate<T: Copy, 'a, const Q: bool> where [(); 1]: Sized {
        if Q { quant: Scale::new(2.0) } else if !Q { none: Dropout } else { },
        r#type: <T as Trait>::Assoc,
        turbo: Foo::<1, 2>::new(-1, 1e3, 'c', b'x', "s"),
        rep: [{ a: ReLU }; N * 2],
    }"##,
    r"[nn] #[input(4)] #[dtype(f16)] model M { x: ReLU, mul { a: ReLU, b: ReLU } }",
    r"[::nncost]
    #[input(tokens = 1, cached = 4095)]
    #[dtype(weights = bf16, kv_cache = fp8)]
    #[budget(kv_cache <= 1GiB, active_params <= 13G)]
    pub model Step<const E: u64> {
        mlp: moe(experts = E, top_k = 2) {
            gate: Linear::new(E).bias(false),
            experts: { up: Linear::new(64), act: SiLU },
            shared_expert: Expert<64>,
            shared_expert_gate: Linear::new(1),
        },
    }",
    r"[::nncost] #[input(4, 16)] #[output(4, 16)] model Repeated {
        residual { norm: LayerNorm::new(16), fc: Linear::new(16) },
        residual { norm: LayerNorm::new(16), fc: Linear::new(16) },
        act: GELU, act: GELU, norm_2: ReLU,
    }",
    r#"[::nncost] #[input(tokens = 8)] model Named -> ("block1-0", out as "o") {
        0: Embedding::new(100, 64),
        "block1-0": 0 -> Linear::new(64),
        q: "block1-0" -> Linear::new(64),
        k: 0 -> Linear::new(16),
        v: 0 -> Linear::new(16),
        out: (q, k, v) -> ScaledDotProductAttention::new(4).kv_heads(1),
        "inner_blocks.3": (Linear::new(8)),
    }"#,
];

/// `assert_budget!` inputs: `[$crate] Type: limits`.
const BUDGET_SEEDS: &[&str] = &[
    "[::nncost] ResNet18: macs <= 2G, params <= 12M, flops <= 0.1G",
    "[$crate] Net<16>: weights <= 48 MiB, peak_memory <= BASE * 2, memory_access <= 1e9",
    "[nn] <T as Model>::Assoc: activations <= 1.5KiB",
    "[nn] Mixtral<1, 4096>: kv_cache <= 1GiB, active_params <= 13G",
    "[::nncost] Net: latency(nncost::devices::H100_SXM) <= 5ms, fits(STM32H743), latency(D) <= 2 µs",
    "[nn] Kws: fits(Device::new(\"x\", Peaks::new(1e9), 1e9, 1 << 20)), latency(BOARD) <= FRAME",
];

/// `const_assert!` inputs: `[$crate] (condition)`.
const ASSERT_SEEDS: &[&str] = &[
    "[::nncost] (Net::MACS * 10 == <B as Model>::MACS,)",
    "[$crate] (A::<1, 2>::PARAMS < 10 * B::PARAMS)",
    "[nn] (is_small(A::MACS) && !(B::FLOPS >= 1e9 as u64) || { let x = 1; x != 2 })",
];

/// `#[derive(ModelCost)]` inputs.
const DERIVE_SEEDS: &[&str] = &[
    r"#[nncost(input(1, 28, 28), batch = 2, budget(params <= 62K, macs <= 420K), dtype(f16))]
    pub struct LeNet5<B> {
        #[layer(Conv2d::new(6, 5).padding(2))]
        #[nncost(after(relu1: ReLU, pool1: MaxPool2d::new(2)))]
        pub conv1: Param<B>,
        #[layer({ conv: Conv2d::new(8, 3), relu: ReLU })]
        #[nncost(before(flatten: Flatten))]
        pub fc1: Param<B>,
        pub relu3: ReLU,
        pub arr: [ReLU; 3],
        pub tuple: (ReLU, GELU),
        #[nncost(skip)]
        pub dropout_p: f32,
    }",
    r"#[nncost(crate = nn, residual(conv1..=bn2, shortcut = downsample, after(relu_out: ReLU)))]
    #[nncost(concat(a, b..=c), add(d, e), mul(f, g), matmul(h, i))]
    pub struct Block<B, const C: u64, const S: u64> where B: Copy {
        #[layer(Conv2d::new(C, 3).stride(S))] pub conv1: Param<B>,
        #[layer(BatchNorm2d::new())] pub bn1: Param<B>,
        #[layer(BatchNorm2d::new())] pub bn2: Param<B>,
        #[layer(Projection::conv_bn(C).stride(S))] pub downsample: Option<Param<B>>,
        a: ReLU, b: ReLU, c: ReLU, d: ReLU, e: ReLU, f: ReLU, g: ReLU, h: ReLU, i: ReLU,
    }",
    r#"#[nncost(input(1, 28, 28), output(10), forward(conv1, drop, residual(norm, fc, shortcut = (a, b), after(r: ReLU)),
        concat((a, b), c..=d, x: Flatten), drop))]
    pub struct Model<B: Backend> {
        #[layer(Conv2d::new(8, 3))] conv1: Conv2d<B>,
        #[layer(Dropout::new(0.5))] drop: Dropout,
        #[module(skip)] device: B::Device,
        #[module(key = "n")] norm: Norm<B>,
        #[layer(Linear::new(8))] fc: Linear<B>,
        a: ReLU, b: ReLU, c: ReLU, d: ReLU,
    }"#,
    r#"#[nncost(input(tokens = 16), crate = "nn")]
    struct Fire<const S: u64>(
        #[layer(Conv2d::new(S, 1))] (),
        #[layer([ReLU; 2])] (),
        #[nncost(skip)] u8,
    );"#,
    r"#[nncost(input(tokens = 1, cached = 99), dtype(kv_cache = fp8))]
    struct Moe {
        #[layer(moe(experts = 4, top_k = 2) { gate: Linear::new(4), experts: Expert })]
        mlp: (),
    }",
];

/// Tokens that mutations insert: the DSL's words, punctuation, literals and empty groups.
const POOL: &str = r#"model block residual shortcut concat add mul matmul if else pub crate input
    batch budget dtype tokens weights activations params macs flops peak_memory memory_access
    forward output module moe experts top_k gate cached kv_cache
    Conv2d new ReLU Linear layer skip before after struct enum union where const u64 Self self
    true r#model _ T C
    : , ; # = < > <= == >= - . .. ..= :: ! & * + ? / @ $ 'a
    0 1 3 12M 1.5G 1e30 0x10 "s" 'c' 1u8 1.5 1_000 b"x" 18446744073709551616 2KiB 4Mb 7X
    () [] {}"#;

/// SplitMix64: small, fast and good enough to drive mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

fn parse(text: &str) -> TokenStream {
    match TokenStream::from_str(text) {
        Ok(tokens) => tokens,
        Err(e) => panic!("fuzz seed does not lex: {e}\n{text}"),
    }
}

/// The token trees of the pool, plus every subtree of the seeds (to splice in).
struct Material {
    pool: Vec<TokenTree>,
    literals: Vec<TokenTree>,
    subtrees: Vec<TokenTree>,
}

impl Material {
    fn new(seeds: &[TokenStream]) -> Material {
        let pool: Vec<TokenTree> = parse(POOL).into_iter().collect();
        let literals = pool
            .iter()
            .filter(|t| matches!(t, TokenTree::Literal(_)))
            .cloned()
            .collect();
        let mut subtrees = Vec::new();
        for seed in seeds {
            collect_groups(seed.clone(), &mut subtrees);
        }
        Material {
            pool,
            literals,
            subtrees,
        }
    }
}

fn collect_groups(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for tt in tokens {
        if let TokenTree::Group(g) = &tt {
            collect_groups(g.stream(), out);
            out.push(tt);
        }
    }
}

/// Applies one random mutation somewhere in `tokens` (at the top level or inside a group).
fn mutate(tokens: TokenStream, rng: &mut Rng, material: &Material) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    // Descend into a group half of the time, when there is one.
    let groups: Vec<usize> = (0..trees.len())
        .filter(|&i| matches!(trees[i], TokenTree::Group(_)))
        .collect();
    if !groups.is_empty() && rng.chance(2) {
        let i = groups[rng.below(groups.len())];
        if let TokenTree::Group(g) = &trees[i] {
            let inner = mutate(g.stream(), rng, material);
            let mut group = Group::new(g.delimiter(), inner);
            group.set_span(g.span());
            trees[i] = TokenTree::Group(group);
        }
        return trees.into_iter().collect();
    }
    let len = trees.len();
    let pick = |rng: &mut Rng, from: &[TokenTree]| from[rng.below(from.len())].clone();
    match rng.below(10) {
        0 if len > 0 => {
            trees.remove(rng.below(len));
        }
        1 if len > 0 => {
            let i = rng.below(len);
            trees.insert(i, trees[i].clone());
        }
        2 if len > 1 => {
            let (i, j) = (rng.below(len), rng.below(len));
            trees.swap(i, j);
        }
        3 if len > 0 => {
            let i = rng.below(len);
            trees[i] = pick(rng, &material.pool);
        }
        4 => {
            let i = rng.below(len + 1);
            trees.insert(i, pick(rng, &material.pool));
        }
        5 => {
            let literals: Vec<usize> = (0..len)
                .filter(|&i| matches!(trees[i], TokenTree::Literal(_)))
                .collect();
            if literals.is_empty() {
                trees.insert(rng.below(len + 1), pick(rng, &material.literals));
            } else {
                trees[literals[rng.below(literals.len())]] = pick(rng, &material.literals);
            }
        }
        6 if len > 0 => trees.truncate(rng.below(len)),
        7 => {
            let start = rng.below(len + 1);
            let end = start + rng.below(len - start + 1);
            let inner: TokenStream = trees.drain(start..end).collect();
            let delimiter = match rng.below(4) {
                0 => Delimiter::Parenthesis,
                1 => Delimiter::Bracket,
                2 => Delimiter::Brace,
                _ => Delimiter::None,
            };
            trees.insert(start, TokenTree::Group(Group::new(delimiter, inner)));
        }
        8 if !groups.is_empty() => {
            let i = groups[rng.below(groups.len())];
            if let TokenTree::Group(g) = trees.remove(i) {
                for (k, tt) in g.stream().into_iter().enumerate() {
                    trees.insert(i + k, tt);
                }
            }
        }
        _ if !material.subtrees.is_empty() => {
            let i = rng.below(len + 1);
            trees.insert(i, pick(rng, &material.subtrees));
        }
        _ => {}
    }
    trees.into_iter().collect()
}

/// A stream of random pool tokens and groups, `depth` levels deep at most.
fn random_stream(rng: &mut Rng, material: &Material, depth: u32) -> TokenStream {
    let len = rng.below(24);
    let mut trees = Vec::with_capacity(len);
    for _ in 0..len {
        if depth > 0 && rng.chance(6) {
            let delimiter = match rng.below(3) {
                0 => Delimiter::Parenthesis,
                1 => Delimiter::Bracket,
                _ => Delimiter::Brace,
            };
            let inner = random_stream(rng, material, depth - 1);
            trees.push(TokenTree::Group(Group::new(delimiter, inner)));
        } else {
            trees.push(material.pool[rng.below(material.pool.len())].clone());
        }
    }
    trees.into_iter().collect()
}

/// Whether `tokens` hold a `compile_error!` (`syn::Error::into_compile_error` puts it at the
/// top level of the output: `::core::compile_error! { .. }`).
fn has_compile_error(tokens: &TokenStream) -> bool {
    tokens
        .clone()
        .into_iter()
        .any(|tt| matches!(&tt, TokenTree::Ident(i) if i == "compile_error"))
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, got `{v}`")),
        Err(_) => default,
    }
}

/// Runs `cases` inputs through `run`; returns how many of them reported an error. Fails on the
/// first panic, or on an output that is neither code nor a `compile_error!`.
/// `share` is the macro's part of `NNCOST_FUZZ_CASES`, in quarters.
fn fuzz(
    name: &str,
    seeds: &[&str],
    stream_prefix: Option<&str>,
    salt: u64,
    share: u64,
    run: fn(TokenStream) -> TokenStream,
    must_emit: &str,
) -> u64 {
    let cases = env_u64("NNCOST_FUZZ_CASES", DEFAULT_CASES) * share / 4;
    let seed = env_u64("NNCOST_FUZZ_SEED", 0x6E6E_636F_7374) ^ salt;
    let seeds: Vec<TokenStream> = seeds.iter().map(|s| parse(s)).collect();
    let material = Material::new(&seeds);
    let prefix = stream_prefix.map(parse).unwrap_or_default();
    let mut rng = Rng(seed);
    let mut errors = 0;
    let started = std::time::Instant::now();
    for case in 0..cases {
        let input = if rng.chance(10) {
            // Random tokens, after the `[$crate]` the trampolines always pass (sometimes not).
            let mut input = if rng.chance(8) {
                TokenStream::new()
            } else {
                prefix.clone()
            };
            input.extend(random_stream(&mut rng, &material, 3));
            input
        } else {
            let mut input = seeds[rng.below(seeds.len())].clone();
            for _ in 0..=rng.below(4) {
                input = mutate(input, &mut rng, &material);
            }
            input
        };
        let output = match catch_unwind(AssertUnwindSafe(|| run(input.clone()))) {
            Ok(output) => output,
            Err(payload) => {
                let message = payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                panic!("{name} panicked on case {case} (seed {seed}): {message}\ninput: {input}");
            }
        };
        if has_compile_error(&output) {
            errors += 1;
        } else {
            let text = output.to_string();
            assert!(
                text.contains(must_emit),
                "{name}: no error and no `{must_emit}` for case {case} (seed {seed})\ninput: {input}\noutput: {text}"
            );
        }
    }
    eprintln!(
        "fuzz {name}: {cases} inputs ({errors} rejected with an error) in {:.2?}",
        started.elapsed()
    );
    errors
}

/// `network!`'s half, in two tests so that the test harness spreads them over the cores.
fn fuzz_network(salt: u64) {
    let errors = fuzz(
        "network!",
        NETWORK_SEEDS,
        Some("[::nncost]"),
        salt,
        1,
        crate::network,
        "ModelCost",
    );
    // The mutations reach the error paths (and not only: see `fuzz`).
    assert!(errors > 0);
}

#[test]
fn network_never_panics() {
    fuzz_network(1);
}

#[test]
fn network_never_panics_either() {
    fuzz_network(4);
}

#[test]
fn assert_budget_never_panics() {
    let errors = fuzz(
        "assert_budget!",
        BUDGET_SEEDS,
        Some("[::nncost] Net:"),
        2,
        1,
        crate::assert_budget,
        // `check_budget (& report ..` or `check_device_budget (& report ..`.
        "budget (& report",
    );
    assert!(errors > 0);
}

#[test]
fn const_assert_never_panics() {
    let errors = fuzz(
        "const_assert!",
        ASSERT_SEEDS,
        Some("[::nncost]"),
        6,
        1,
        crate::const_assert,
        "__private",
    );
    assert!(errors > 0);
}

#[test]
fn derive_never_panics() {
    let errors = fuzz(
        "derive(ModelCost)",
        DERIVE_SEEDS,
        Some("struct S"),
        3,
        1,
        crate::derive::derive,
        "ModelCost",
    );
    assert!(errors > 0);
}

#[test]
fn the_seeds_are_valid() {
    for seed in NETWORK_SEEDS {
        assert!(!has_compile_error(&crate::network(parse(seed))), "{seed}");
    }
    for seed in BUDGET_SEEDS {
        assert!(
            !has_compile_error(&crate::assert_budget(parse(seed))),
            "{seed}"
        );
    }
    for seed in ASSERT_SEEDS {
        assert!(
            !has_compile_error(&crate::const_assert(parse(seed))),
            "{seed}"
        );
    }
    for seed in DERIVE_SEEDS {
        assert!(
            !has_compile_error(&crate::derive::derive(parse(seed))),
            "{seed}"
        );
    }
}

/// The harness itself: a macro that panics on some inputs is caught, with the input shown.
#[test]
#[should_panic(expected = "panicked on case")]
fn a_panicking_macro_fails_the_test() {
    fn fragile(input: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = input.into_iter().collect();
        assert!(trees.len() % 2 == 1, "an even number of tokens");
        TokenStream::new()
    }
    fuzz("fragile", BUDGET_SEEDS, None, 5, 1, fragile, "");
}
