//! Sequence models in `network!`: token inputs, attention written with the layer and by hand
//! with `matmul` merges, pre-norm and post-norm transformer blocks, a gated (SwiGLU) MLP,
//! cross-attention, recurrent models, shape operations, weight tying. Expected numbers are worked
//! out by hand from the layer formulas (or are published figures, where noted).

use nncost::prelude::*;

/// Width, heads, head size and length of the small models below.
const E: u64 = 32;
const H: u64 = 4;
const D: u64 = E / H;
const L: u64 = 10;

network! {
    /// Multi-head self-attention built from its pieces: q, k, v projections split into heads,
    /// `QKᵀ` and `AV` as `matmul` merges, scale and softmax, heads merged, output projection.
    pub block HandAttention<const W: u64, const HEADS: u64> {
        heads: matmul {
            probs: {
                scores: matmul {
                    q: {
                        proj: Linear::new(W),
                        split: Unflatten::new(-1, [HEADS as i64, -1]),
                        t: Transpose::new(1, 2),
                    },
                    k: {
                        proj: Linear::new(W),
                        split: Unflatten::new(-1, [HEADS as i64, -1]),
                        t: Permute::new([0, 2, 3, 1]),
                    },
                },
                scale: Scale::new(0.125),
                softmax: Softmax::new(-1),
            },
            v: {
                proj: Linear::new(W),
                split: Unflatten::new(-1, [HEADS as i64, -1]),
                t: Transpose::new(1, 2),
            },
        },
        merge_heads: { t: Transpose::new(1, 2), flat: Flatten::new(2, 3) },
        out_proj: Linear::new(W),
    }

    /// The same attention as one layer.
    #[input(L, E)]
    pub model LayerAttention {
        attn: MultiheadAttention::new(E, H),
    }

    /// The same attention by hand.
    #[input(L, E)]
    pub model ByHand {
        attn: HandAttention<E, H>,
    }

    /// A gated MLP (SwiGLU, as LLaMA's): `down(silu(gate(x)) * up(x))`, no biases.
    pub block SwiGlu<const W: u64, const HIDDEN: u64> {
        mul {
            gate: { proj: Linear::new(HIDDEN).bias(false), act: SiLU },
            up: Linear::new(HIDDEN).bias(false),
        },
        down: Linear::new(W).bias(false),
    }

    /// A pre-norm block (GPT-2, LLaMA): `x + attn(norm(x))`, `x + mlp(norm(x))`.
    pub block PreNorm<const W: u64, const HEADS: u64, const HIDDEN: u64> {
        residual {
            norm1: RMSNorm::new(W),
            attn: MultiheadAttention::new(W, HEADS).bias(false).causal(true),
        },
        residual { norm2: RMSNorm::new(W), mlp: SwiGlu<W, HIDDEN> },
    }

    /// A post-norm block (the original Transformer, BERT): `norm(x + attn(x))`, `norm(x + mlp(x))`.
    pub block PostNorm<const W: u64, const HEADS: u64, const HIDDEN: u64> {
        residual { attn: MultiheadAttention::new(W, HEADS) },
        norm1: LayerNorm::new(W),
        residual { fc1: Linear::new(HIDDEN), act: GELU, fc2: Linear::new(W) },
        norm2: LayerNorm::new(W),
    }

    /// A small LLaMA-like language model on token ids, with a tied head.
    #[input(tokens = L)]
    #[batch(2)]
    pub model TinyLlama {
        embed: TINY_VOCAB,
        layers: [PreNorm<E, H, 64>; 2],
        norm: RMSNorm::new(E),
        lm_head: Linear::tied(TINY_VOCAB),
    }

    /// The same with an untied head.
    #[input(tokens = L)]
    #[batch(2)]
    pub model TinyLlamaUntied {
        embed: TINY_VOCAB,
        layers: [PreNorm<E, H, 64>; 2],
        norm: RMSNorm::new(E),
        lm_head: Linear::new(100).bias(false),
    }

    /// A BERT-like encoder: token and segment embeddings summed, positions added, post-norm
    /// blocks, and the first token kept.
    #[input(tokens = L)]
    pub model TinyBert {
        embeddings: add { word: TINY_VOCAB, segment: Embedding::new(2, E) },
        position: PositionEmbedding::new(16),
        norm: LayerNorm::new(E),
        layers: [PostNorm<E, H, 64>; 2],
        cls: Select::new(1, 0),
        pooler: Linear::new(E),
        act: Tanh,
    }

    /// A decoder block attending to 20 encoder positions of width 48 (cross-attention).
    #[input(L, E)]
    pub model CrossDecoder {
        residual { self_attn: MultiheadAttention::new(E, H).causal(true) },
        residual { cross_attn: MultiheadAttention::new(E, H).kv_len(20).kdim(48).vdim(48) },
    }

    /// Grouped-query attention: 4 query heads share 2 key/value heads.
    #[input(L, E)]
    pub model Gqa {
        attn: MultiheadAttention::new(E, H).kv_heads(2).bias(false),
    }

    /// The same attention with a fused projection and standalone scaled-dot-product attention.
    #[input(L, E)]
    pub model GqaFused {
        qkv: Linear::new((H + 2 * 2) * D).bias(false),
        attn: ScaledDotProductAttention::new(H).kv_heads(2),
        out: Linear::new(E).bias(false),
    }

    /// A text classifier: embedding, a 2-layer bidirectional LSTM, the last step, a linear head.
    #[input(tokens = 12)]
    #[batch(3)]
    pub model LstmClassifier {
        embed: Embedding::new(1000, 16),
        lstm: LSTM::new(24).num_layers(2).bidirectional(true),
        last: Select::new(1, -1),
        fc: Linear::new(5),
    }

    /// ViT-B/16 as torchvision's `vit_b_16`: patches, class token, positions, 12 pre-norm
    /// encoder blocks, the class token kept, the head.
    pub block VitBlock {
        residual { ln_1: LayerNorm::new(768), self_attention: MultiheadAttention::new(768, 12) },
        residual {
            ln_2: LayerNorm::new(768),
            mlp: { fc1: Linear::new(3072), act: GELU, fc2: Linear::new(768) },
        },
    }

    #[input(3, 224, 224)]
    pub model VitB16 {
        conv_proj: Conv2d::new(768, 16).stride(16),
        patches: { flat: Flatten::new(2, 3), t: Transpose::new(1, 2) },
        class_token: ClassToken::new(),
        pos_embedding: PositionEmbedding::new(197),
        layers: [VitBlock; 12],
        ln: LayerNorm::new(768),
        cls: Select::new(1, 0),
        head: Linear::new(1000),
    }
}

/// The toy vocabulary: 100 tokens of width `E`.
const TINY_VOCAB: Embedding = Embedding::new(100, E);

/// Params and MACs of `MultiheadAttention::new(e, h)` (self-attention, biases) on `n × l`.
fn mha(n: u64, l: u64, e: u64) -> (u64, u64) {
    (4 * e * e + 4 * e, n * (4 * l * e * e + 2 * l * l * e))
}

#[test]
fn attention_by_hand_equals_the_layer() {
    let (params, macs) = mha(1, L, E);
    assert_eq!(LayerAttention::PARAMS, params);
    assert_eq!(LayerAttention::MACS, macs);
    assert_eq!(ByHand::PARAMS, params);
    assert_eq!(ByHand::MACS, macs);
    assert_eq!(ByHand::OUTPUT_SHAPE, Shape::new(&[1, L, E]));
    // FLOPs agree too: the layer's rule (scale + softmax per score) is what the pieces cost.
    let scores = H * L * L;
    let bias_adds = 4 * L * E;
    assert_eq!(LayerAttention::FLOPS, 2 * macs + bias_adds + 6 * scores);
    assert_eq!(ByHand::FLOPS, LayerAttention::FLOPS);
}

#[test]
fn matmul_rows_carry_their_macs() {
    let summary = ByHand::summary();
    let paths = summary.paths();
    let row = |path: &str| {
        let i = paths
            .iter()
            .position(|p| p == path)
            .unwrap_or_else(|| panic!("no {path} in {paths:?}"));
        summary.rows[i]
    };
    // QKᵀ: [1, H, L, D] @ [1, H, D, L].
    let qk = row("attn.heads.probs.scores.matmul");
    assert_eq!(qk.kind, "MatMul");
    assert_eq!(qk.output, Shape::new(&[1, H, L, L]));
    assert_eq!(qk.cost.macs, H * L * D * L);
    let av = row("attn.heads.matmul");
    assert_eq!(av.output, Shape::new(&[1, H, L, D]));
    assert_eq!(av.cost.macs, H * L * L * D);
    assert_eq!(
        row("attn.heads.probs.scores.k.t").output,
        Shape::new(&[1, H, D, L])
    );
}

#[test]
fn swiglu_pre_norm_and_tied_head() {
    let n = 2;
    let hidden = 64;
    let vocab = 100;
    let attn_params = 4 * E * E; // no biases
    let mlp_params = 3 * E * hidden;
    let block_params = 2 * E + attn_params + mlp_params; // two RMSNorm weights
    let attn_macs = n * (4 * L * E * E + 2 * L * L * E);
    let mlp_macs = n * L * 3 * E * hidden;
    let head_macs = n * L * E * vocab;

    // Tied: the head's weight is the embedding's, counted once.
    assert_eq!(
        TinyLlama::PARAMS,
        vocab * E + 2 * block_params + E // embedding, blocks, final norm
    );
    assert_eq!(TinyLlama::MACS, 2 * (attn_macs + mlp_macs) + head_macs);
    assert_eq!(TinyLlamaUntied::PARAMS, TinyLlama::PARAMS + vocab * E);
    assert_eq!(TinyLlamaUntied::MACS, TinyLlama::MACS);
    assert_eq!(TinyLlamaUntied::FLOPS, TinyLlama::FLOPS);
    assert_eq!(TinyLlama::INPUT_SHAPE, Shape::new(&[n, L]));
    assert_eq!(TinyLlama::OUTPUT_SHAPE, Shape::new(&[n, L, vocab]));

    // FLOPs of one pre-norm block, by rule: RMSNorm 4 per element (3 + weight), attention
    // 6 per score + 1 for the causal mask, SiLU 5 and the gate product 1 per hidden element,
    // and the two residual adds.
    let x = n * L * E;
    let scores = n * H * L * L;
    let block_flops = 2 * (attn_macs + mlp_macs)
        + 2 * 4 * x
        + 7 * scores
        + 5 * n * L * hidden
        + n * L * hidden
        + 2 * x;
    let head_flops = 2 * head_macs;
    assert_eq!(TinyLlama::FLOPS, 2 * block_flops + 4 * x + head_flops);
}

#[test]
fn post_norm_encoder_with_summed_embeddings() {
    let hidden = 64;
    let block_params = (4 * E * E + 4 * E) + 2 * E + (E * hidden + hidden + hidden * E + E) + 2 * E;
    assert_eq!(
        TinyBert::PARAMS,
        100 * E + 2 * E + 16 * E + 2 * E + 2 * block_params + (E * E + E)
    );
    let (_, attn_macs) = mha(1, L, E);
    assert_eq!(TinyBert::MACS, 2 * (attn_macs + 2 * L * E * hidden) + E * E);
    assert_eq!(TinyBert::OUTPUT_SHAPE, Shape::new(&[1, E]));
}

#[test]
fn cross_attention_declares_its_source() {
    let (self_params, self_macs) = mha(1, L, E);
    let s = 20;
    let kv = 48;
    // q and out: E×E; k and v: 48 → E; four biases of E.
    let cross_params = 2 * E * E + 2 * kv * E + 4 * E;
    let cross_macs = 2 * L * E * E + 2 * s * kv * E + 2 * L * s * E;
    assert_eq!(CrossDecoder::PARAMS, self_params + cross_params);
    assert_eq!(CrossDecoder::MACS, self_macs + cross_macs);
}

#[test]
fn grouped_query_attention_fused_or_not() {
    let kv_width = 2 * D;
    assert_eq!(Gqa::PARAMS, 2 * E * E + 2 * E * kv_width);
    let projections = L * (2 * E * E + 2 * E * kv_width);
    let attention = 2 * H * L * L * D;
    assert_eq!(Gqa::MACS, projections + attention);
    // A fused q‖k‖v projection and standalone attention cost the same.
    assert_eq!(GqaFused::PARAMS, Gqa::PARAMS);
    assert_eq!(GqaFused::MACS, Gqa::MACS);
    assert_eq!(GqaFused::FLOPS, Gqa::FLOPS);
}

#[test]
fn lstm_classifier() {
    let (n, t) = (3, 12);
    let h = 24;
    let layer0 = 4 * h * (16 + h) + 8 * h;
    let layer1 = 4 * h * (2 * h + h) + 8 * h;
    assert_eq!(
        LstmClassifier::PARAMS,
        1000 * 16 + 2 * (layer0 + layer1) + (2 * h * 5 + 5)
    );
    let lstm_macs = n * t * 2 * (4 * h * (16 + h) + 4 * h * (2 * h + h));
    assert_eq!(LstmClassifier::MACS, lstm_macs + n * 2 * h * 5);
    assert_eq!(LstmClassifier::OUTPUT_SHAPE, Shape::new(&[n, 5]));
}

#[test]
fn vit_b16_matches_torchvision() {
    // torchvision's published figures for vit_b_16: 86,567,656 parameters, 17.56 GFLOPS (which
    // torchvision counts as multiply-accumulates, as its 4.09 for ResNet-50).
    assert_eq!(VitB16::PARAMS, 86_567_656);
    let macs = VitB16::MACS as f64 / 1e9;
    assert!((macs - 17.56).abs() < 0.005, "{macs}");
    // By hand: 196 patches of 768·3·16·16, then 197 tokens through 12 blocks.
    let tokens = 197;
    let patches = 196 * 768 * 768;
    let block = 4 * tokens * 768 * 768 + 2 * tokens * tokens * 768 + 2 * tokens * 768 * 3072;
    assert_eq!(VitB16::MACS, patches + 12 * block + 768 * 1000);
    assert_eq!(VitB16::OUTPUT_SHAPE, Shape::new(&[1, 1000]));
}

#[test]
fn token_inputs_feed_an_embedding() {
    use nncost_core::takes_tokens;
    assert_eq!(LstmClassifier::INPUT_SHAPE, Shape::new(&[3, 12]));
    let table = TinyBert::summary().to_string();
    assert!(table.contains("input [1, 10]"), "{table}");
    // The check `#[input(tokens = ..)]` runs: both summed branches start with an Embedding;
    // the other models would feed ids to a Linear or an attention layer.
    assert_eq!(takes_tokens(&<TinyBert as ModelCost>::NODE), Ok(true));
    assert_eq!(takes_tokens(&<TinyLlama as ModelCost>::NODE), Ok(true));
    assert_eq!(takes_tokens(&<ByHand as ModelCost>::NODE), Err("Linear"));
    assert_eq!(
        takes_tokens(&<CrossDecoder as ModelCost>::NODE),
        Err("MultiheadAttention")
    );
}

#[cfg(feature = "zoo")]
#[test]
fn gpt2_by_hand() {
    use nncost::zoo::{Gpt2, Gpt2LmHead};
    let (seq, d, vocab, ctx, layers) = (128u64, 768u64, 50_257u64, 1024u64, 12u64);
    let block_params = 2 * 2 * d                       // ln_1, ln_2
        + (d * 3 * d + 3 * d) + (d * d + d)            // c_attn, c_proj
        + (d * 4 * d + 4 * d) + (4 * d * d + d); // c_fc, c_proj
    let params = vocab * d + ctx * d + layers * block_params + 2 * d;
    let block_macs = seq * d * 3 * d + 2 * seq * seq * d + seq * d * d + 2 * seq * d * 4 * d;
    assert_eq!(Gpt2::<128>::PARAMS, params);
    assert_eq!(Gpt2::<128>::MACS, layers * block_macs);
    assert_eq!(Gpt2LmHead::<128>::PARAMS, params);
    assert_eq!(
        Gpt2LmHead::<128>::MACS,
        layers * block_macs + seq * d * vocab
    );
    // The reference numbers (DESIGN.md).
    assert_eq!((params, layers * block_macs), (124_439_808, 11_173_625_856));
    assert_eq!(layers * block_macs + seq * d * vocab, 16_114_089_984);
    // A shorter sequence: same parameters, MACs by the same formula.
    let seq = 16;
    let block_macs = seq * d * 3 * d + 2 * seq * seq * d + seq * d * d + 2 * seq * d * 4 * d;
    assert_eq!(Gpt2::<16>::MACS, layers * block_macs);
    // Hugging Face's module paths.
    let paths = Gpt2LmHead::<128>::summary().paths();
    for path in [
        "transformer.wte",
        "transformer.wpe",
        "transformer.h.0.ln_1",
        "transformer.h.0.attn.c_attn",
        "transformer.h.11.mlp.c_proj",
        "transformer.ln_f",
        "lm_head",
    ] {
        assert!(paths.iter().any(|p| p == path), "missing {path}");
    }
}
