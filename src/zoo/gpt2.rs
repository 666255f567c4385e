//! GPT-2 small, as Hugging Face's `GPT2Model` and `GPT2LMHeadModel`.

use crate::prelude::*;

/// GPT-2's token embedding, `wte`: 50,257 tokens of width 768. [`Gpt2LmHead`]'s `lm_head` reuses
/// this table as its weight ([`Linear::tied`]), so both are built from this one value.
///
/// ```
/// use nncost::zoo::GPT2_WTE;
/// assert_eq!(GPT2_WTE.num_embeddings * GPT2_WTE.embedding_dim, 38_597_376);
/// ```
pub const GPT2_WTE: Embedding = Embedding::new(50_257, 768);

network! {
    /// GPT-2's attention (`GPT2Attention`): a fused `q‖k‖v` projection (`c_attn`, a `Conv1D`
    /// that costs as a `Linear`), causal scaled-dot-product attention over `H` heads, and the
    /// output projection (`c_proj`). `D` is the width.
    pub block Gpt2Attention<const D: u64, const H: u64> {
        c_attn: Linear::new(3 * D),
        attn: ScaledDotProductAttention::new(H).causal(true),
        c_proj: Linear::new(D),
        resid_dropout: Dropout::new(0.1),
    }

    /// GPT-2's MLP (`GPT2MLP`): `D → 4·D → D` with a GELU. (GPT-2's `gelu_new` is the tanh
    /// approximation; nncost counts every GELU as 5 FLOPs per element.)
    pub block Gpt2Mlp<const D: u64> {
        c_fc: Linear::new(4 * D),
        act: GELU,
        c_proj: Linear::new(D),
        dropout: Dropout::new(0.1),
    }

    /// One pre-norm GPT-2 block (`GPT2Block`): `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))`.
    /// Generic over the width `D` and heads `H`, so GPT-2 medium (`Gpt2Block<1024, 16>`) and
    /// larger reuse it:
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::Gpt2Block;
    /// network! {
    ///     #[input(64, 1024)]
    ///     model MediumBlock { block: Gpt2Block<1024, 16> }
    /// }
    /// // Two LayerNorms, the attention (4·D² + 4·D) and the MLP (8·D² + 5·D).
    /// assert_eq!(MediumBlock::PARAMS, 4 * 1024 + 12 * 1024 * 1024 + 9 * 1024);
    /// ```
    pub block Gpt2Block<const D: u64, const H: u64> {
        residual {
            ln_1: LayerNorm::new(D),
            attn: Gpt2Attention<D, H>,
        },
        residual {
            ln_2: LayerNorm::new(D),
            mlp: Gpt2Mlp<D>,
        },
    }

    /// GPT-2 small (Radford et al., "Language Models are Unsupervised Multitask Learners",
    /// 2019) in Hugging Face's `GPT2Model` layout, on `SEQ` token ids (at most 1024, the
    /// position table's length): 12 pre-norm blocks of width 768 with 12 heads, learned position
    /// embeddings, a final LayerNorm; no LM head (see [`Gpt2LmHead`]).
    ///
    /// **124,439,808 params, 11,173,625,856 MACs** at 128 tokens, batch 1 (asserted at compile
    /// time). The attention counts the full `128×128` score products although it is causal (see
    /// [`ScaledDotProductAttention`]).
    ///
    /// ```
    /// use nncost::zoo::Gpt2;
    /// assert_eq!(Gpt2::<128>::PARAMS, 124_439_808);
    /// assert_eq!(Gpt2::<128>::MACS, 11_173_625_856);
    /// // Parameters do not depend on the sequence length; MACs grow with it.
    /// assert_eq!(Gpt2::<1024>::PARAMS, Gpt2::<128>::PARAMS);
    /// assert!(Gpt2::<1024>::MACS > 8 * Gpt2::<128>::MACS);
    /// ```
    ///
    /// A sequence longer than the position table does not compile:
    ///
    /// ```compile_fail
    /// // error: Gpt2.wpe (PositionEmbedding): max_len is declared as 1024 but the input has
    /// // 2048 positions, more than the table holds
    /// let _ = nncost::zoo::Gpt2::<2048>::MACS;
    /// ```
    #[input(tokens = SEQ)]
    pub model Gpt2<const SEQ: u64> {
        wte: GPT2_WTE,
        wpe: PositionEmbedding::new(1024),
        drop: Dropout::new(0.1),
        h: [Gpt2Block<768, 12>; 12],
        ln_f: LayerNorm::new(768),
    }

    /// GPT-2 small with its language-model head (Hugging Face's `GPT2LMHeadModel`): [`Gpt2`]
    /// followed by `lm_head`, a `768 → 50,257` linear layer without bias whose weight *is* the
    /// token embedding `wte` ([`Linear::tied`] to [`GPT2_WTE`]).
    ///
    /// **124,439,808 params** (the tied weight is counted once, in `wte`) and
    /// **16,114,089,984 MACs** (the head's `128 × 768 × 50,257` are counted where it runs) at
    /// 128 tokens, batch 1 (asserted at compile time).
    ///
    /// ```
    /// use nncost::zoo::{Gpt2, Gpt2LmHead};
    /// assert_eq!(Gpt2LmHead::<128>::PARAMS, Gpt2::<128>::PARAMS);
    /// assert_eq!(Gpt2LmHead::<128>::MACS, 16_114_089_984);
    /// assert_eq!(Gpt2LmHead::<128>::MACS - Gpt2::<128>::MACS, 128 * 768 * 50_257);
    /// ```
    #[input(tokens = SEQ)]
    pub model Gpt2LmHead<const SEQ: u64> {
        transformer: Gpt2<SEQ>,
        lm_head: Linear::tied(GPT2_WTE),
    }
}

crate::const_assert!(Gpt2::<128>::PARAMS == 124_439_808);
crate::const_assert!(Gpt2::<128>::MACS == 11_173_625_856);
crate::const_assert!(Gpt2LmHead::<128>::PARAMS == 124_439_808);
crate::const_assert!(Gpt2LmHead::<128>::MACS == 16_114_089_984);
