//! LLM inference as deployed: prefill and decode steps over a KV cache, the cache's bytes and
//! traffic, sliding windows, mixtures of experts, windowed attention (Swin), latent attention
//! and state-space layers. Numbers are published figures (the tables, noted) or worked
//! by hand in the test.

use nncost::prelude::*;
use nncost::{Row, Summary};

network! {
    /// LLaMA's gated MLP.
    pub block LlamaMlp<const D: u64, const I: u64> {
        mul {
            gate: { gate_proj: Linear::new(I).bias(false), act_fn: SiLU },
            up_proj: Linear::new(I).bias(false),
        },
        down_proj: Linear::new(D).bias(false),
    }

    /// A LLaMA decoder layer of width `D`, `H` heads, `G` KV heads, MLP width `I`.
    pub block LlamaLayer<const D: u64, const H: u64, const G: u64, const I: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: MultiheadAttention::new(D, H).kv_heads(G).bias(false).rope(true).causal(true),
        },
        residual {
            post_attention_layernorm: RMSNorm::new(D),
            mlp: LlamaMlp<D, I>,
        },
    }

    /// Llama-2-7B's shape, one step of `T` tokens over `P` cached positions, f16 everywhere.
    #[input(tokens = T, cached = P)]
    #[dtype(f16)]
    pub model Llama2<const T: u64, const P: u64> {
        embed_tokens: Embedding::new(32_000, 4096),
        layers: [LlamaLayer<4096, 32, 32, 11_008>; 32],
        norm: RMSNorm::new(4096),
        lm_head: Linear::new(32_000).bias(false),
    }

    /// The same with its KV cache in fp8, and a budget on it.
    #[input(tokens = 1, cached = 4095)]
    #[dtype(weights = f16, activations = f16, kv_cache = fp8)]
    #[budget(kv_cache <= 1GiB, active_params <= 7G)]
    pub model Llama2Fp8Cache {
        embed_tokens: Embedding::new(32_000, 4096),
        layers: [LlamaLayer<4096, 32, 32, 11_008>; 32],
        norm: RMSNorm::new(4096),
        lm_head: Linear::new(32_000).bias(false),
    }

    /// Llama-2-70B's shape (80 layers, width 8,192, 64 heads, 8 KV heads, MLP 28,672).
    #[input(tokens = T)]
    pub model Llama2_70B<const T: u64> {
        embed_tokens: Embedding::new(32_000, 8192),
        layers: [LlamaLayer<8192, 64, 8, 28_672>; 80],
        norm: RMSNorm::new(8192),
        lm_head: Linear::new(32_000).bias(false),
    }
}

/// The row at `path` of `summary`.
fn row(summary: &Summary, path: &str) -> Row {
    let paths = summary.paths();
    let i = paths
        .iter()
        .position(|p| p == path)
        .unwrap_or_else(|| panic!("no {path} in {paths:?}"));
    summary.rows[i]
}

/// The sum of a figure over the rows whose path ends with `suffix`.
fn sum(summary: &Summary, suffix: &str, figure: fn(&Row) -> u64) -> u64 {
    summary
        .paths()
        .iter()
        .zip(&summary.rows)
        .filter(|(p, _)| p.ends_with(suffix))
        .map(|(_, r)| figure(r))
        .sum()
}

/// The acceptance figures for Llama-2-7B: the cache at 4,096 positions, and one decode
/// step (1 new token attending to 4,096 cached positions and itself) with its breakdown.
#[test]
fn llama2_kv_cache_and_decode_step() {
    // 2 (K and V) · 32 layers · 32 KV heads · 128 · 4,096 positions · 2 bytes (f16): after a
    // 4,096-token prefill, or after a decode step that adds the 4,096th position.
    let per_position = 2 * 32 * 32 * 128 * 2;
    assert_eq!(per_position, 524_288);
    assert_eq!(Llama2::<4096, 0>::KV_CACHE_BYTES, 2_147_483_648);
    assert_eq!(Llama2::<1, 4095>::KV_CACHE_BYTES, 2_147_483_648);
    assert_eq!(Llama2::<1, 4096>::KV_CACHE_BYTES, 4097 * per_position);

    assert_eq!(Llama2::<1, 4096>::MACS, 7_681_081_344);
    let step = Llama2::<1, 4096>::summary();
    // q, k, v, o: 32 layers of 4,096 × 4,096 each; QKᵀ and AV: 32 layers · 32 heads · 128 · 4,097.
    let projection = 32 * 4096 * 4096;
    let product = 32 * 32 * 128 * 4097;
    assert_eq!((projection, product), (536_870_912, 537_001_984));
    let attention = sum(&step, ".self_attn", |r| r.cost.macs);
    assert_eq!(attention, 4 * projection + 2 * product);
    assert_eq!(sum(&step, ".mlp", |r| r.cost.macs), 4_328_521_728);
    assert_eq!(row(&step, "lm_head").cost.macs, 131_072_000);
    assert_eq!(
        4 * projection + 2 * product + 4_328_521_728 + 131_072_000,
        7_681_081_344
    );
    // The same token without a cache would re-project nothing and see only itself.
    assert_eq!(
        Llama2::<1, 4096>::MACS - Llama2::<1, 0>::MACS,
        2 * 32 * 32 * 128 * 4096
    );
}

/// A decode step moves the weights once, the whole cache, the new entries and the (small)
/// activations: about 1 FLOP per byte, memory-bound.
#[test]
fn decode_step_traffic() {
    // Two steps of one token that differ only in the 4,096 cached positions read: the traffic
    // differs by exactly the cache (524,288 bytes a position), the MACs by the two products.
    let read = Llama2::<1, 4096>::MEMORY_ACCESS_BYTES - Llama2::<1, 0>::MEMORY_ACCESS_BYTES;
    assert_eq!(read, 4096 * 524_288);

    // One attention layer's traffic, by the stated rule: its input, its weights, its output,
    // the 4,096 cached positions read and the new one written (2 · 32 · 128 values each, f16).
    let step = Llama2::<1, 4096>::summary();
    let attn = row(&step, "layers.0.self_attn");
    let x = 4096 * 2;
    let weights = 4 * 4096 * 4096 * 2;
    let entry = 2 * 32 * 128 * 2;
    assert_eq!(attn.memory.access, x + weights + x + 4096 * entry + entry);
    assert_eq!(attn.memory.kv_cache, 4097 * entry);

    // The whole step: every weight but the embedding's (one row is read), the cache (4,096
    // positions read, one written: as many as it holds after the step), and activations,
    // each written once and read once or twice; the peak holds the weights, the cache and a
    // few vectors.
    let weights = Llama2::<1, 4096>::WEIGHT_BYTES;
    let cache = Llama2::<1, 4096>::KV_CACHE_BYTES;
    let access = Llama2::<1, 4096>::MEMORY_ACCESS_BYTES;
    let activations = Llama2::<1, 4096>::ACTIVATION_BYTES;
    let embedding = 32_000 * 4096 * 2;
    let moved = weights - embedding + 4096 * 2 + cache;
    assert!(access > moved + activations, "{access}");
    assert!(access < moved + 3 * activations, "{access}");
    let intensity = Llama2::<1, 4096>::ARITHMETIC_INTENSITY;
    assert!((0.9..1.1).contains(&intensity), "{intensity}");
    let peak = Llama2::<1, 4096>::PEAK_MEMORY_BYTES;
    assert!(
        peak > weights + cache && peak < weights + cache + (1 << 20),
        "{peak}"
    );
}

/// The summary of a decode step: per-layer traffic, cache bytes and arithmetic intensity.
#[test]
fn decode_summary_reads_like_an_llm_engineers_checklist() {
    let text = Llama2::<1, 4096>::summary().to_string();
    let header = text.lines().next().unwrap();
    for column in ["traffic", "FLOP/B", "KV cache"] {
        assert!(header.contains(column), "{header}");
    }
    // One attention layer: 64.0 MiB of cache (4,097 positions of 16 KiB), about 1 FLOP a byte.
    let attn = text
        .lines()
        .find(|l| l.trim_start().starts_with("layers.0.self_attn"))
        .unwrap();
    assert!(attn.contains("64.0 MiB"), "{attn}");
    assert!(attn.contains(" 1.0 "), "{attn}");
    assert!(
        text.contains(
            "decode step after 4,096 cached positions: KV cache 2,148,007,936 B (2.00 GiB) in f16"
        ),
        "{text}"
    );
    // Without a cache the summary keeps its columns.
    network! {
        #[input(tokens = 4)]
        model Plain { wte: Embedding::new(10, 8), fc: Linear::new(10) }
    }
    assert!(!Plain::summary().to_string().contains("KV cache"));
    assert_eq!(Plain::KV_CACHE_BYTES, 0);
}

#[test]
fn kv_cache_dtype_and_budget() {
    // fp8: one byte a value.
    assert_eq!(Llama2Fp8Cache::KV_CACHE_BYTES, 2_147_483_648 / 2);
    assert_eq!(Llama2Fp8Cache::PRECISION.kv_cache, DType::Fp8);
    assert_eq!(
        Llama2Fp8Cache::WEIGHT_BYTES,
        Llama2::<1, 4095>::WEIGHT_BYTES
    );
    // No experts: every parameter is active.
    assert_eq!(Llama2Fp8Cache::ACTIVE_PARAMS, Llama2Fp8Cache::PARAMS);
}

/// The 70B shape at 32k tokens evaluates as cheaply as at 128 (the compile-time benchmark
/// measures it): every figure is a closed form in the sequence length.
#[test]
fn seventy_b_at_any_length() {
    assert_eq!(Llama2_70B::<128>::PARAMS, 68_976_648_192);
    assert_eq!(Llama2_70B::<32_768>::PARAMS, 68_976_648_192);
    // Per layer: q, o 8,192²; k, v 8,192 · 1,024; MLP 3 · 8,192 · 28,672; products 2 · 64 · 128 · L.
    let per_token = 80 * (2 * 8192 * 8192 + 2 * 8192 * 1024 + 3 * 8192 * 28_672) + 8192 * 32_000;
    let macs = |l: u64| l * per_token + 80 * 2 * 64 * 128 * l * l;
    assert_eq!(Llama2_70B::<128>::MACS, macs(128));
    assert_eq!(Llama2_70B::<32_768>::MACS, macs(32_768));
}

network! {
    /// A tiny expert: up 8 → 16, ReLU, down 16 → 8, no biases.
    pub block TinyExpert {
        up: Linear::new(16).bias(false),
        act: ReLU,
        down: Linear::new(8).bias(false),
    }

    /// Four experts, two per token, and a router.
    #[input(3, 8)]
    pub model TinyMoe {
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4).bias(false),
            experts: TinyExpert,
        },
    }

    /// The same with a shared expert scaled by a sigmoid gate (Qwen-MoE's layout).
    #[input(3, 8)]
    pub model TinyQwenMoe {
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4).bias(false),
            experts: TinyExpert,
            shared_expert: TinyExpert,
            shared_expert_gate: Linear::new(1).bias(false),
        },
    }

    /// DeepSeek's layout: a dense first layer, then mixtures with a shared expert.
    #[input(3, 8)]
    pub model TinyDeepSeek {
        dense: residual { mlp: TinyExpert },
        sparse: [residual {
            mlp: moe(experts = 4, top_k = 2) {
                gate: Linear::new(4).bias(false),
                experts: TinyExpert,
                shared_experts: TinyExpert,
            },
        }; 2],
    }
}

/// The hand-worked mixture: E = 4, k = 2, width 8, expert width 16, 3 tokens.
#[test]
fn mixture_of_experts_by_hand() {
    let router = 8 * 4; // 32
    let expert = 8 * 16 + 16 * 8; // 256
    assert_eq!(TinyMoe::PARAMS, router + 4 * expert); // 1,056: every expert is held
    assert_eq!(TinyMoe::ACTIVE_PARAMS, router + 2 * expert); // 544: a token uses two
                                                             // Every token runs the router and two experts.
    let tokens = 3;
    assert_eq!(TinyMoe::MACS, tokens * (router + 2 * expert)); // 1,632
                                                               // FLOPs: 2 per MAC; ReLU on 16 values per expert run; softmax over the 4 scores (5 each);
                                                               // 2 weights applied and 1 add per output value.
    let flops = 2 * TinyMoe::MACS + tokens * 2 * 16 + tokens * 4 * 5 + tokens * 8 * (2 + 1);
    assert_eq!(TinyMoe::FLOPS, flops);
    assert_eq!(TinyMoe::OUTPUT_SHAPE, Shape::new(&[1, 3, 8]));

    // Memory (f32): all experts held; 3 tokens × 2 experts > 4 experts, so all 4 are read.
    assert_eq!(TinyMoe::WEIGHT_BYTES, 4 * TinyMoe::PARAMS);
    let s = TinyMoe::summary();
    let experts = row(&s, "mlp.experts");
    assert_eq!(
        (experts.cost.params, experts.cost.macs),
        (4 * expert, tokens * 2 * expert)
    );
    // One expert's activations (input 24, hidden 48 twice, output 24 values) run twice, and
    // the weights of the 4 experts read.
    let one = 24 + 48 + 48 + 48 + 48 + 24;
    assert_eq!(experts.memory.access, 4 * (2 * one + 4 * expert));
    // The rows inside `experts` are one expert's.
    assert_eq!(row(&s, "mlp.experts.up").cost.params, 8 * 16);
    assert_eq!(row(&s, "mlp").kind, "MoE");
    assert!(
        s.to_string().contains("active params 544 (544) of 1.06 K"),
        "{s}"
    );
}

#[test]
fn shared_expert_with_a_sigmoid_gate() {
    let router = 8 * 4;
    let expert = 8 * 16 + 16 * 8;
    let gate = 8;
    assert_eq!(TinyQwenMoe::PARAMS, router + 5 * expert + gate);
    assert_eq!(TinyQwenMoe::ACTIVE_PARAMS, router + 3 * expert + gate);
    let tokens = 3;
    assert_eq!(TinyQwenMoe::MACS, tokens * (router + 3 * expert + gate));
    // Beyond TinyMoe: the shared expert (its MACs and ReLU), its add, the gate's MACs, its
    // sigmoid (4 per token) and the multiply.
    let extra = 2 * tokens * (expert + gate) + tokens * 16 + tokens * 8 + tokens * 4 + tokens * 8;
    assert_eq!(TinyQwenMoe::FLOPS, TinyMoe::FLOPS + extra);
}

#[test]
fn dense_first_layers_then_mixtures() {
    let router = 8 * 4;
    let expert = 8 * 16 + 16 * 8;
    assert_eq!(TinyDeepSeek::PARAMS, expert + 2 * (router + 5 * expert));
    assert_eq!(
        TinyDeepSeek::ACTIVE_PARAMS,
        expert + 2 * (router + 3 * expert)
    );
    assert_eq!(TinyDeepSeek::MACS, 3 * (expert + 2 * (router + 3 * expert)));
}

/// A decode step at batch 1 reads the weights of the `k` experts it runs, not all `E`.
#[test]
fn one_token_reads_k_experts() {
    network! {
        #[input(tokens = 1, cached = 10)]
        model Step {
            wte: Embedding::new(10, 8),
            mlp: moe(experts = 4, top_k = 2) {
                gate: Linear::new(4).bias(false),
                experts: TinyExpert,
            },
        }
    }
    let s = Step::summary();
    let experts = row(&s, "mlp.experts");
    let one = 8 + 16 + 16 + 16 + 16 + 8; // one token through one expert, values
    assert_eq!(experts.memory.access, 4 * (2 * one + 2 * (8 * 16 + 16 * 8)));
}

network! {
    /// Swin's shifted-window attention on a 14×14 map of width 32 with 2 heads: windows of
    /// 7×7, shifted by 3, with the relative position bias and the shift's mask.
    #[input(14, 14, 32)]
    pub model SwinWindow {
        shift: Roll::new([-3, -3], [1, 2]),
        split: Reshape::new([2, 7, 2, 7, 32]),
        group: Permute::new([0, 1, 3, 2, 4, 5]),
        windows: Reshape::new([4, 49, 32]),
        attn: MultiheadAttention::new(32, 2).relative_position_bias(7, 7).mask(true),
        ungroup: { split: Reshape::new([2, 2, 7, 7, 32]), t: Permute::new([0, 1, 3, 2, 4, 5]) },
        merge: Reshape::new([14, 14, 32]),
        unshift: Roll::new([3, 3], [1, 2]),
    }
}

/// Swin-style window attention in 8 lines, worked by hand.
#[test]
fn swin_window_attention() {
    assert_eq!(SwinWindow::OUTPUT_SHAPE, Shape::new(&[1, 14, 14, 32]));
    // q, k, v, out: 32 × 32 + 32 each; the table (2·7 − 1)² rows × 2 heads; the index 49².
    assert_eq!(SwinWindow::PARAMS, 4 * (32 * 32 + 32) + 13 * 13 * 2);
    // The index is an integer buffer (PyTorch: `sum(b.numel() for b in buffers())`).
    assert_eq!((SwinWindow::BUFFERS, SwinWindow::ALL_BUFFERS), (0, 49 * 49));
    // 4 windows of 49 positions: projections on 196 positions; per window and head 49 × 49
    // scores of head size 16, for QKᵀ and for AV.
    let projections = 196 * 4 * 32 * 32;
    let products = 4 * 2 * 49 * 49 * (16 + 16);
    assert_eq!(SwinWindow::MACS, projections + products);
    // FLOPs: 2 per MAC, the 4 biases' adds, and per score: scale 1, softmax 5, bias 1, mask 1.
    let scores = 4 * 2 * 49 * 49;
    assert_eq!(
        SwinWindow::FLOPS,
        2 * SwinWindow::MACS + 4 * 196 * 32 + 8 * scores
    );
    // The rolls are copies (read and write 14·14·32 f32 values), the reshapes views.
    let s = SwinWindow::summary();
    assert_eq!(row(&s, "shift").memory.access, 2 * 14 * 14 * 32 * 4);
    assert_eq!(row(&s, "windows").memory.access, 0);
}

network! {
    /// DeepSeek-V2-Lite's attention: MLA of width 2,048, 16 heads, no query compression.
    #[input(tokens = T, cached = P)]
    pub model LiteAttention<const T: u64, const P: u64> {
        embed: Embedding::new(100, 2048),
        attn: LatentAttention::new(2048, 16).q_lora_rank(0),
    }
}

/// Multi-head latent attention: its cache holds the latent, and a decode step up-projects
/// every latent present.
#[test]
fn latent_attention_cache() {
    let (q, kv_a, kv_b, o) = (2048 * 16 * 192, 2048 * 576, 512 * 16 * 256, 16 * 128 * 2048);
    let embed = 100 * 2048;
    assert_eq!(
        LiteAttention::<8, 0>::PARAMS,
        embed + q + kv_a + 512 + kv_b + o
    );
    // Prefill of 8: each position once through every projection; 16 heads of 8 × 8 scores.
    let prefill = 8 * (q + kv_a + kv_b + o) + 16 * 8 * 8 * (192 + 128);
    assert_eq!(LiteAttention::<8, 0>::MACS, prefill);
    // Decode after 99: one position projected, the 100 latents up-projected, 100 keys scored.
    let decode = q + kv_a + o + 100 * kv_b + 16 * 100 * (192 + 128);
    assert_eq!(LiteAttention::<1, 99>::MACS, decode);
    // f32 cache: 576 values a position, against 16 · (192 + 128) = 5,120 for a cache of the
    // up-projected keys and values (Hugging Face's).
    assert_eq!(LiteAttention::<1, 99>::KV_CACHE_BYTES, 100 * 576 * 4);
}

network! {
    /// Two Mamba blocks of width 64 (state 16, conv 4, expand 2, time-step rank 4).
    #[input(tokens = T, cached = P)]
    pub model TinyMamba<const T: u64, const P: u64> {
        embeddings: Embedding::new(100, 64),
        layers: [residual { norm: RMSNorm::new(64), mixer: Mamba::new(64) }; 2],
    }
}

#[test]
fn mamba_prefill_and_decode() {
    // d_inner 128; per position in_proj 64·256, x_proj 128·(4 + 32), dt_proj 4·128,
    // read-out 128·16, out_proj 128·64; the conv 128·4 per output position.
    let per_position = 64 * 256 + 128 * 36 + 4 * 128 + 128 * 16 + 128 * 64;
    let params = per_position - 128 * 16 + (128 * 4 + 128) + 128 * 16 + 128 + 128 + 64;
    assert_eq!(TinyMamba::<10, 0>::PARAMS, 100 * 64 + 2 * params);
    // Prefill of 10: the conv over 10 + 4 − 1 positions; a decode step: over its one.
    assert_eq!(
        TinyMamba::<10, 0>::MACS,
        2 * (10 * per_position + 13 * 128 * 4)
    );
    assert_eq!(TinyMamba::<1, 500>::MACS, 2 * (per_position + 128 * 4));
    // FLOPs per layer: 2 per MAC; per position the scan's 6 per state element (128 · 16), 16
    // per inner channel (SiLU after the conv, softplus, skip, gate) and dt_proj's bias; the
    // conv's bias on its 13 output positions; the norm (4 per element) and the residual add.
    let macs = 10 * per_position + 13 * 128 * 4;
    let per_row = 6 * 128 * 16 + 16 * 128 + 128;
    let layer = 2 * macs + 10 * per_row + 13 * 128 + 4 * 10 * 64 + 10 * 64;
    assert_eq!(TinyMamba::<10, 0>::FLOPS, 2 * layer);
    // The state: 128 · (4 + 16) values a layer, whatever the context; read and written.
    assert_eq!(TinyMamba::<1, 500>::KV_CACHE_BYTES, 2 * 128 * 20 * 4);
    assert_eq!(
        TinyMamba::<1, 500>::MEMORY_ACCESS_BYTES - TinyMamba::<1, 0>::MEMORY_ACCESS_BYTES,
        2 * 128 * 20 * 4
    );
}

network! {
    /// T5's self-attention: no biases, no scaling, a bucketed position bias in the first layer
    /// which the second reuses.
    #[input(12, 64)]
    pub model T5Attention {
        first: MultiheadAttention::new(64, 4).bias(false).scaled(false).relative_attention_buckets(32),
        second: MultiheadAttention::new(64, 4).bias(false).scaled(false).score_bias(true),
    }
}

#[test]
fn t5_attention_options() {
    assert_eq!(T5Attention::PARAMS, 2 * 4 * 64 * 64 + 32 * 4);
    let macs = 4 * 12 * 64 * 64 + 2 * 4 * 12 * 12 * 16;
    assert_eq!(T5Attention::MACS, 2 * macs);
    // Per score: softmax 5 + bias 1, no scaling.
    assert_eq!(T5Attention::FLOPS, 2 * (2 * macs + 6 * 4 * 12 * 12));
}

/// A sliding window only matters where keys are absent: over the whole sequence (and at
/// prefill) the products stay dense; a decode step sees the window.
#[test]
fn sliding_window_decode() {
    network! {
        #[input(tokens = T, cached = P)]
        model Windowed<const T: u64, const P: u64> {
            wte: Embedding::new(10, 16),
            attn: MultiheadAttention::new(16, 2).bias(false).causal(true).sliding_window(8),
        }
    }
    let projections = |t: u64| t * 4 * 16 * 16;
    let products = |t: u64, keys: u64| 2 * t * keys * 2 * 8;
    // Prefill of 20: dense 20 × 20, as FlopCounterMode counts it.
    assert_eq!(Windowed::<20, 0>::MACS, projections(20) + products(20, 20));
    // Decode after 5: 5 kept + 1; after 1,000: the window's 7 kept + 1.
    assert_eq!(Windowed::<1, 5>::MACS, projections(1) + products(1, 6));
    assert_eq!(Windowed::<1, 1000>::MACS, projections(1) + products(1, 8));
    // The rolling cache: at most 8 positions of 2 · 16 values (f32).
    assert_eq!(Windowed::<1, 1000>::KV_CACHE_BYTES, 8 * 32 * 4);
    assert_eq!(Windowed::<20, 0>::KV_CACHE_BYTES, 8 * 32 * 4);
    assert_eq!(Windowed::<1, 5>::KV_CACHE_BYTES, 6 * 32 * 4);
}

/// RoPE as a layer, in attention written by hand.
#[test]
fn rope_layer() {
    network! {
        #[input(10, 64)]
        model Rotated {
            q: Linear::new(64).bias(false),
            rope: RotaryEmbedding::new(16),
        }
    }
    assert_eq!(Rotated::PARAMS, 64 * 64);
    assert_eq!(
        Rotated::FLOPS,
        2 * 10 * 64 * 64 + ROPE_FLOPS_PER_ELEMENT * 10 * 64
    );
}

/// A framework's decoder struct, derived: the same input form, dtypes and mixtures.
#[test]
fn derived_decode_step() {
    /// A framework's weight tensor.
    pub struct Param;

    // Never built: the derive reads the fields' types, not their values.
    #[allow(dead_code)]
    #[derive(ModelCost)]
    #[nncost(input(tokens = 1, cached = 99), dtype(kv_cache = fp8))]
    pub struct Decoder {
        #[layer(Embedding::new(100, 16))]
        pub embed: Param,
        #[layer(MultiheadAttention::new(16, 2).bias(false).causal(true))]
        pub attn: Param,
        #[layer(moe(experts = 4, top_k = 1) { gate: Linear::new(4).bias(false), experts: Linear::new(16) })]
        pub mlp: Param,
    }

    // 100 positions of 2 · 16 values, a byte each.
    assert_eq!(Decoder::KV_CACHE_BYTES, 100 * 32);
    // One token: 4 projections of 16 × 16, the products over 100 keys, the router and 1 expert.
    assert_eq!(
        Decoder::MACS,
        4 * 16 * 16 + 2 * 2 * 100 * 8 + 16 * 4 + (16 * 16)
    );
    assert_eq!(
        Decoder::ACTIVE_PARAMS,
        100 * 16 + 4 * 16 * 16 + 16 * 4 + (16 * 16 + 16)
    );
}

network! {
    /// A Whisper-style decoder layer: causal self-attention, then cross-attention to the
    /// encoder's output.
    pub block WhisperLayer(x, memory) {
        self_attn: x -> residual { attn: MultiheadAttention::new(16, 2).bias(false).causal(true) },
        cross: (self_attn, memory) -> MultiheadAttention::new(16, 2).bias(false),
    }

    /// The decoder alone, one step of `T` tokens over `P` cached ones, reading 10 encoded
    /// positions of width 24 (the encoder ran once, before the first step).
    pub model WhisperDecoder<const T: u64, const P: u64>(ids: tokens(T, cached = P), memory: [10, 24]) -> out {
        embed: ids -> Embedding::new(50, 16),
        layers: (embed, memory) -> [WhisperLayer; 2],
        out: Linear::new(50),
    }

    /// The same decoder with the encoder's output declared first: the token input, the one
    /// with the cache, is the second.
    pub model MemoryFirstDecoder<const T: u64, const P: u64>(memory: [10, 24], ids: tokens(T, cached = P)) -> out {
        embed: ids -> Embedding::new(50, 16),
        layers: (embed, memory) -> [WhisperLayer; 2],
        out: Linear::new(50),
    }
}

/// A step's tokens are read from the input that carries the cache, wherever it is declared.
#[test]
fn a_step_counts_the_tokens_of_its_cached_input() {
    assert_eq!(WhisperDecoder::<3, 7>::REPORT.step_tokens(), 3);
    assert_eq!(MemoryFirstDecoder::<3, 7>::REPORT.phase.token_input, 1);
    assert_eq!(MemoryFirstDecoder::<3, 7>::REPORT.step_tokens(), 3);
    assert_eq!(
        MemoryFirstDecoder::<3, 7>::MACS,
        WhisperDecoder::<3, 7>::MACS
    );
}

/// Cross-attention in a cached step: prefill projects the encoder's output and caches it;
/// each decode step reads that cache instead of projecting it again.
#[test]
fn cross_attention_caches_the_encoder_output() {
    // Self-attention: 4 projections of 16 × 16 per token, products over the positions present.
    let self_attn = |t: u64, keys: u64| t * 4 * 16 * 16 + 2 * 2 * t * keys * 8;
    // Cross: q and out per token; k and v of the 10 encoded positions (24 → 16) at prefill.
    let cross = |t: u64, project: bool| {
        t * 2 * 16 * 16 + if project { 2 * 10 * 24 * 16 } else { 0 } + 2 * 2 * t * 10 * 8
    };
    let head = |t: u64| t * 16 * 50;
    assert_eq!(
        WhisperDecoder::<4, 0>::MACS,
        2 * (self_attn(4, 4) + cross(4, true)) + head(4)
    );
    assert_eq!(
        WhisperDecoder::<1, 4>::MACS,
        2 * (self_attn(1, 5) + cross(1, false)) + head(1)
    );
    // The caches: self-attention's 5 positions and cross-attention's 10, 2 · 16 values each, in
    // both layers (f32).
    assert_eq!(
        WhisperDecoder::<1, 4>::KV_CACHE_BYTES,
        2 * (5 + 10) * 32 * 4
    );
}

network! {
    /// Attention as Hugging Face writes it: separate `q_proj`, `k_proj`, `v_proj` read by the
    /// attention as they are (8 query heads and 2 key/value heads of 16), f16.
    #[input(tokens = T, cached = P)]
    #[dtype(f16)]
    pub model SeparateQkv<const T: u64, const P: u64> {
        embed: Embedding::new(100, 128),
        q_proj: embed -> Linear::new(128).bias(false),
        k_proj: embed -> Linear::new(32).bias(false),
        v_proj: embed -> Linear::new(32).bias(false),
        attention: (q_proj, k_proj, v_proj)
            -> ScaledDotProductAttention::new(8).kv_heads(2).causal(true),
        o_proj: Linear::new(128).bias(false),
    }

    /// The same projections fused into one, as GPT-2's `c_attn`.
    #[input(tokens = T, cached = P)]
    #[dtype(f16)]
    pub model FusedQkv<const T: u64, const P: u64> {
        embed: Embedding::new(100, 128),
        qkv_proj: Linear::new(128 + 32 + 32).bias(false),
        attention: ScaledDotProductAttention::new(8).kv_heads(2).causal(true),
        o_proj: Linear::new(128).bias(false),
    }
}

/// Separate queries, keys and values cost what the fused attention costs (the same products,
/// the same cache); only the memory differs: three tensors written and read instead of one.
#[test]
fn attention_reads_separate_queries_keys_and_values() {
    // Prefill of 6 tokens, and one decode step after 10.
    assert_eq!(SeparateQkv::<6, 0>::MACS, FusedQkv::<6, 0>::MACS);
    assert_eq!(SeparateQkv::<6, 0>::FLOPS, FusedQkv::<6, 0>::FLOPS);
    assert_eq!(SeparateQkv::<1, 10>::MACS, FusedQkv::<1, 10>::MACS);
    assert_eq!(
        SeparateQkv::<1, 10>::KV_CACHE_BYTES,
        FusedQkv::<1, 10>::KV_CACHE_BYTES
    );
    assert_eq!(SeparateQkv::<6, 0>::PARAMS, FusedQkv::<6, 0>::PARAMS);
    // The step: projections of one token, then 8 heads of 16 over 11 keys, twice.
    let projections = 128 * (128 + 32 + 32) + 128 * 128;
    assert_eq!(SeparateQkv::<1, 10>::MACS, projections + 2 * 8 * 11 * 16);
    // The cache: 2 heads of 16 keys and 16 values a position, 11 positions, f16.
    assert_eq!(SeparateQkv::<1, 10>::KV_CACHE_BYTES, 11 * 2 * (16 + 16) * 2);
    // Activations (f16): the token id, then embed 128, q 128, k 32, v 32, attention 128,
    // o_proj 128 per token; fused: the id, embed 128, qkv 192, attention 128, o_proj 128.
    let t = 6;
    assert_eq!(
        SeparateQkv::<6, 0>::ACTIVATION_BYTES,
        t * (1 + 128 * 4 + 32 * 2) * 2
    );
    assert_eq!(
        FusedQkv::<6, 0>::ACTIVATION_BYTES,
        t * (1 + 128 * 3 + 192) * 2
    );
    let s = SeparateQkv::<6, 0>::summary();
    assert_eq!(
        s.paths(),
        ["embed", "q_proj", "k_proj", "v_proj", "attention", "o_proj"]
    );
}
