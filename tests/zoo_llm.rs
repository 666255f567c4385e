//! The zoo's LLMs against the reference figures (PyTorch 2.15, transformers 5.24, configs
//! as published, batch 1, MACs = FlopCounterMode / 2 with eager attention), their decode steps,
//! KV caches and memory traffic.

use nncost::layers::visible_pairs;
use nncost::prelude::*;
use nncost::zoo::*;
use nncost::{Row, Summary};

/// The row at `path` of `summary`.
fn row(summary: &Summary, path: &str) -> Row {
    let paths = summary.paths();
    let i = paths
        .iter()
        .position(|p| p == path)
        .unwrap_or_else(|| panic!("no {path} in {paths:?}"));
    summary.rows[i]
}

#[test]
fn reference_table() {
    assert_eq!(Llama3_8B::<128>::PARAMS, 8_030_261_248);
    assert_eq!(Llama3_8B::<128>::MACS, 964_891_246_592);
    assert_eq!(Mistral7B::<8192>::PARAMS, 7_241_732_096);
    assert_eq!(Mistral7B::<8192>::MACS, 75_840_532_512_768);
    assert_eq!(Mixtral8x7B::<128>::PARAMS, 46_702_792_704);
    assert_eq!(Mixtral8x7B::<128>::ACTIVE_PARAMS, 12_879_925_248);
    assert_eq!(Mixtral8x7B::<128>::MACS, 1_636_114_104_320);
    assert_eq!(Qwen2_5_0_5B::<128>::PARAMS, 494_032_768);
    assert_eq!(Qwen2_5_0_5B::<128>::MACS, 63_931_678_720);
    assert_eq!(Qwen2_5_0_5BModel::<128>::MACS, 46_506_442_752);
    assert_eq!(Mamba130m::<128>::PARAMS, 129_135_360);
    assert_eq!(Mamba130m::<128>::MACS, 16_513_155_072);
    // Dense models: every parameter is active.
    assert_eq!(Llama3_8B::<128>::ACTIVE_PARAMS, Llama3_8B::<128>::PARAMS);
}

/// Hugging Face's `model.buffers()` (transformers 5.24): the rotary embedding's `inv_freq` and
/// `original_inv_freq`, `head_dim / 2` floats each.
#[test]
fn llm_buffers_are_the_rotary_frequencies() {
    assert_eq!(Llama3_8B::<128>::BUFFERS, 2 * 128 / 2);
    assert_eq!(Mistral7B::<128>::BUFFERS, 2 * 128 / 2);
    assert_eq!(Mixtral8x7B::<128>::BUFFERS, 2 * 128 / 2);
    assert_eq!(Qwen2_5_0_5B::<128>::BUFFERS, 2 * 64 / 2);
    assert_eq!(
        Qwen2_5_0_5B::<128>::ALL_BUFFERS,
        Qwen2_5_0_5B::<128>::BUFFERS
    );
}

#[test]
fn mixtral_experts_and_router() {
    let s = Mixtral8x7B::<128>::summary();
    let layer = "model.layers.0";
    let expert = row(&s, &format!("{layer}.mlp.experts"));
    // One expert: 3 · 4,096 · 14,336 = 176,160,768; the row holds all 8.
    assert_eq!(expert.cost.params, 8 * 176_160_768);
    assert_eq!(
        row(&s, &format!("{layer}.mlp.experts.down_proj"))
            .cost
            .params,
        4096 * 14_336
    );
    // The routers: 32 layers · 128 tokens · 4,096 · 8.
    let router = row(&s, &format!("{layer}.mlp.gate")).cost.macs;
    assert_eq!(32 * router, 134_217_728);
    // Active: all but 6 of each layer's 8 experts.
    assert_eq!(
        Mixtral8x7B::<128>::PARAMS - Mixtral8x7B::<128>::ACTIVE_PARAMS,
        32 * 6 * 176_160_768
    );
}

/// Decode reads the experts a step activates: 2 per layer for one token (bf16 weights).
#[test]
fn mixtral_decode_reads_two_experts() {
    let s = Mixtral8x7BDecode::<4096>::summary();
    let expert_bytes = 176_160_768 * 2;
    let experts = row(&s, "model.layers.7.mlp.experts");
    assert!(experts.memory.access > 2 * expert_bytes);
    assert!(experts.memory.access < 2 * expert_bytes + (1 << 20));
    // Prefill of 128 tokens reads all 8.
    let s = Mixtral8x7B::<128>::summary();
    let experts = row(&s, "model.layers.7.mlp.experts");
    assert!(experts.memory.access > 8 * expert_bytes);
    // The whole decode step moves about the active weights, not all of them.
    let active = Mixtral8x7B::<128>::ACTIVE_PARAMS * 2;
    let access = Mixtral8x7BDecode::<4096>::MEMORY_ACCESS_BYTES;
    assert!(access > active - 32_000 * 4096 * 2, "{access}");
    assert!(access < active + Mixtral8x7BDecode::<4096>::KV_CACHE_BYTES + (64 << 20));
}

/// The KV cache table (fp16 = 2 bytes a value, as the zoo's bf16).
#[test]
fn kv_cache_table() {
    // Llama-3-8B at 8,192 positions: 2 · 32 layers · 8 KV heads · 128 · 8,192 · 2.
    assert_eq!(Llama3_8B::<8192>::KV_CACHE_BYTES, 1_073_741_824);
    assert_eq!(Llama3_8BDecode::<8191>::KV_CACHE_BYTES, 1_073_741_824);
    // Mistral-7B at 32,768 positions without a window: Llama's layers are Mistral's without it.
    network! {
        #[input(tokens = T, cached = P)]
        #[dtype(bf16)]
        model MistralNoWindow<const T: u64, const P: u64> {
            model: LlamaModel<32_000, 4096, 32, 32, 8, 14_336>,
            lm_head: Linear::new(32_000).bias(false),
        }
    }
    assert_eq!(MistralNoWindow::<1, 32_767>::KV_CACHE_BYTES, 4_294_967_296);
    assert_eq!(MistralNoWindow::<1, 0>::PARAMS, Mistral7B::<1>::PARAMS);
    // With the rolling window of 4,096: nncost counts the W positions held once a step has
    // written its own; Hugging Face keeps W − 1 between steps.
    let per_position = 2 * 32 * 8 * 128 * 2;
    assert_eq!(Mistral7BDecode::<32_767>::KV_CACHE_BYTES, 536_870_912);
    assert_eq!(
        Mistral7BDecode::<32_767>::KV_CACHE_BYTES - per_position,
        536_739_840
    );
    assert_eq!(Mistral7B::<32_768>::KV_CACHE_BYTES, 536_870_912);
}

/// Mistral's prefill counts dense products; the visible pairs are documented beside them.
#[test]
fn mistral_prefill_and_visible_pairs() {
    let t = 8192;
    let dense = Mistral7B::<8192>::MACS;
    assert_eq!(dense, 75_840_532_512_768);
    // Products: 32 layers · 32 heads · (128 + 128) per pair.
    let per_pair = 32 * 32 * 256;
    let causal = visible_pairs(t, 0, true, 0).unwrap();
    let window = visible_pairs(t, 0, true, 4096).unwrap();
    assert_eq!(causal, t * (t + 1) / 2);
    // The first 4,096 queries see 1..=4,096 keys, the rest 4,096 each.
    assert_eq!(window, 4096 * 4097 / 2 + (t - 4096) * 4096);
    assert_eq!(dense - per_pair * (t * t - causal), 67_045_513_232_384);
    assert_eq!(dense - per_pair * (t * t - window), 64_845_953_105_920);
}

/// A decode step at 32,768 context attends to the window only, worked by hand.
#[test]
fn mistral_decode_attends_to_the_window() {
    // Per layer: q and o 4,096²; k and v 4,096 · 1,024; the MLP 3 · 4,096 · 14,336; QKᵀ and AV
    // over 4,095 kept keys + the new one, 32 heads of 128 each.
    let layer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14_336 + 2 * 32 * 128 * 4096;
    let step = 32 * layer + 4096 * 32_000;
    assert_eq!(Mistral7BDecode::<32_767>::MACS, step);
    assert_eq!(Mistral7BDecode::<32_768>::MACS, step);
    assert_eq!(Mistral7BDecode::<100_000>::MACS, step);
    // Before the window fills, the step sees every cached key.
    assert_eq!(
        Mistral7BDecode::<4095>::MACS - Mistral7BDecode::<1000>::MACS,
        32 * 2 * 32 * 128 * (4096 - 1001)
    );
}

#[test]
fn qwen_tied_head_and_biases() {
    let s = Qwen2_5_0_5B::<128>::summary();
    // q, k, v biased (896 + 2 · 128), the output projection not.
    let attn = row(&s, "model.layers.0.self_attn");
    assert_eq!(
        attn.cost.params,
        896 * 896 + 2 * 896 * 128 + 896 * 896 + 896 + 2 * 128
    );
    assert_eq!(row(&s, "lm_head").cost.params, 0);
    assert_eq!(row(&s, "lm_head").cost.macs, 128 * 896 * 151_936);
}

/// A decode step is memory-bound, a long prefill is not.
#[test]
fn arithmetic_intensity_by_phase() {
    for intensity in [
        Llama3_8BDecode::<8192>::ARITHMETIC_INTENSITY,
        Mistral7BDecode::<32_767>::ARITHMETIC_INTENSITY,
        Mixtral8x7BDecode::<4096>::ARITHMETIC_INTENSITY,
        Qwen2_5_0_5BDecode::<4096>::ARITHMETIC_INTENSITY,
    ] {
        assert!((0.5..2.0).contains(&intensity), "{intensity}");
    }
    const { assert!(Llama3_8B::<128>::ARITHMETIC_INTENSITY > 100.0) };
}

/// `1,814,073,344`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Each model's docs state the figures the compiler computes.
#[test]
fn docs_state_the_computed_figures() {
    let stated = |source: &str, params: u64, macs: u64| {
        let line = format!("**{} params, {} MACs**", grouped(params), grouped(macs));
        assert!(source.contains(&line), "missing {line}");
    };
    stated(
        include_str!("../src/zoo/llama.rs"),
        Llama3_8B::<128>::PARAMS,
        Llama3_8B::<128>::MACS,
    );
    stated(
        include_str!("../src/zoo/mistral.rs"),
        Mistral7B::<8192>::PARAMS,
        Mistral7B::<8192>::MACS,
    );
    stated(
        include_str!("../src/zoo/mixtral.rs"),
        Mixtral8x7B::<128>::PARAMS,
        Mixtral8x7B::<128>::MACS,
    );
    stated(
        include_str!("../src/zoo/qwen2.rs"),
        Qwen2_5_0_5B::<128>::PARAMS,
        Qwen2_5_0_5B::<128>::MACS,
    );
    stated(
        include_str!("../src/zoo/qwen2.rs"),
        Qwen2_5_0_5BModel::<128>::PARAMS,
        Qwen2_5_0_5BModel::<128>::MACS,
    );
    stated(
        include_str!("../src/zoo/mamba.rs"),
        Mamba130m::<128>::PARAMS,
        Mamba130m::<128>::MACS,
    );
    let active = format!(
        "**{} active params**",
        grouped(Mixtral8x7B::<128>::ACTIVE_PARAMS)
    );
    assert!(include_str!("../src/zoo/mixtral.rs").contains(&active));
}

/// A device that only moves bytes: one byte a picosecond (1 TB/s), arithmetic too fast to
/// matter, so every kernel is memory-bound and a step takes exactly its traffic in picoseconds.
const BYTE_A_PICOSECOND: nncost::Device =
    nncost::Device::new("Bytes", nncost::Peaks::new(1e18), 1e12, 1 << 40);

#[test]
fn decode_tokens_per_second_is_bandwidth_over_the_bytes_a_step_moves() {
    type Step = Llama3_8BDecode<4096>;
    let step = nncost::roofline_of::<Step>(&BYTE_A_PICOSECOND);
    assert_eq!(step.compute_bound_kernels, 0);
    assert_eq!(step.time.as_picos(), Step::MEMORY_ACCESS_BYTES);
    // The step reads every weight but the embedding table (one row of it) and the whole cache:
    // 32 layers × 8 KV heads × 128 × 2 (keys, values) × 4,096 positions × 2 bytes.
    let cache_read = 32 * 8 * 128 * 2 * 4_096 * 2;
    let table = 128_256 * 4_096 * 2;
    let floor = Step::WEIGHT_BYTES - table + cache_read;
    assert!(Step::MEMORY_ACCESS_BYTES > floor);
    // Activations of one token are small: less than 1 % on top.
    assert!(Step::MEMORY_ACCESS_BYTES < floor + floor / 100);
    let milli = nncost::milli_tokens_per_second(1, step.time);
    assert_eq!(milli, 1_000_000_000_000_000 / Step::MEMORY_ACCESS_BYTES);
    let rate = format!("{}.{}", milli / 1_000, milli % 1_000 / 100);
    let table = Step::summary().on(&BYTE_A_PICOSECOND).to_string();
    assert!(
        table.contains(&format!(
            "decode step of 1 token after 4096 cached: at most {rate} tokens/s"
        )),
        "{table}"
    );
    // The prefill form: the prompt's time is the time to first token.
    type Prefill = Llama3_8B<128, 0>;
    let prefill = nncost::roofline_of::<Prefill>(&BYTE_A_PICOSECOND).time;
    let table = Prefill::summary().on(&BYTE_A_PICOSECOND).to_string();
    assert!(
        table.contains(&format!(
            "prefill of 128 tokens: time to first token at least {prefill}"
        )),
        "{table}"
    );
    // A pass with no cache reads no cache: less traffic than the decode step at one token.
    assert!(
        nncost::roofline_of::<Llama3_8B<1>>(&BYTE_A_PICOSECOND).time < step.time,
        "the decode step's roofline reads the cache"
    );
}

#[test]
fn per_layer_rooflines_add_up_to_the_compile_time_one_in_every_phase() {
    fn check<M: Model>() {
        let summary = M::summary();
        for device in &nncost::devices::ALL {
            let view = summary.on(device);
            let top = summary
                .rows
                .iter()
                .zip(&view.rows)
                .filter(|(row, _)| row.depth == 0)
                .fold(nncost::Time::ZERO, |t, (_, r)| t.saturating_add(r.time));
            let total = nncost::roofline_of::<M>(device);
            assert_eq!(view.total, total, "{} on {}", M::NAME, device.name);
            assert_eq!(top, total.time, "{} on {}", M::NAME, device.name);
        }
    }
    check::<Llama3_8BDecode<4096>>();
    check::<Qwen2_5_0_5B<128>>();
    check::<Mistral7BDecode<32_767>>();
    // A mixture runs its expert k = 2 times a token: the experts row says so.
    check::<Mixtral8x7BDecode<4096>>();
    check::<Mixtral8x7B<128>>();
    check::<Mamba130m<1, 4096>>();
}
