//! Whisper-tiny, as Hugging Face's `WhisperModel` with the `openai/whisper-tiny` config.

use super::eager_attention::{inv_sqrt, EagerAttention, SplitHeads};
use crate::prelude::*;

network! {
    /// Hugging Face's `WhisperAttention` (Bart's, with `k_proj` without bias, as in OpenAI's
    /// code): queries from `hidden_states`, keys and values from `key_value_states`, the same
    /// tensor for self-attention (`(x, x) -> WhisperAttention<..>`) or the encoder's output for
    /// cross-attention, whose length and width are then the encoder's. The queries are scaled
    /// by `d^(-1/2)` before the heads are split, and [`EagerAttention`] runs with `scaling=1.0`
    /// (causal in the decoder's self-attention); `out_proj` follows.
    pub block WhisperAttention<const D: u64, const H: u64, const CAUSAL: bool>(
        hidden_states,
        key_value_states,
    ) {
        q_proj: hidden_states -> Linear::new(D),
        scaled: Scale::new(inv_sqrt(D / H)),
        query_states: SplitHeads<D, H>,
        k_proj: key_value_states -> Linear::new(D).bias(false),
        key_states: SplitHeads<D, H>,
        v_proj: key_value_states -> Linear::new(D),
        value_states: SplitHeads<D, H>,
        attn: (query_states, key_states, value_states) -> EagerAttention<D, H, true, CAUSAL>,
        reshape: Flatten::new(-2, -1),
        out_proj: Linear::new(D),
    }

    /// Hugging Face's `WhisperEncoderLayer`, pre-norm: `x + self_attn(self_attn_layer_norm(x))`,
    /// then `x + fc2(gelu(fc1(final_layer_norm(x))))` with `F` hidden features.
    pub block WhisperEncoderLayer<const D: u64, const H: u64, const F: u64> {
        residual {
            self_attn_layer_norm: LayerNorm::new(D),
            self_attn: (self_attn_layer_norm, self_attn_layer_norm)
                -> WhisperAttention<D, H, false>,
        },
        residual {
            final_layer_norm: LayerNorm::new(D),
            fc1: Linear::new(F),
            activation_fn: GELU,
            fc2: Linear::new(D),
        },
    }

    /// Hugging Face's `WhisperDecoderLayer`, pre-norm: causal self-attention, cross-attention
    /// (`encoder_attn`) whose keys and values are `encoder_hidden_states`, and the MLP, each
    /// added back to its input.
    ///
    /// The cross-attention's keys and values are as long as the encoder's output, which the
    /// layer reads without declaring it:
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::WhisperDecoderLayer;
    /// network! {
    ///     model Layer(tokens: [4, 64], audio: [100, 64]) {
    ///         layer: (tokens, audio) -> WhisperDecoderLayer<64, 2, 256>,
    ///     }
    /// }
    /// let self_attn = 4 * 4 * 64 * 64 + 2 * 4 * 4 * 64;
    /// // q and out over the 4 tokens, k and v over the 100 audio positions, 4 × 100 scores.
    /// let cross_attn = 2 * 4 * 64 * 64 + 2 * 100 * 64 * 64 + 2 * 4 * 100 * 64;
    /// let mlp = 2 * 4 * 64 * 256;
    /// assert_eq!(Layer::MACS, self_attn + cross_attn + mlp);
    /// ```
    pub block WhisperDecoderLayer<const D: u64, const H: u64, const F: u64>(
        hidden_states,
        encoder_hidden_states,
    ) {
        residual {
            self_attn_layer_norm: hidden_states -> LayerNorm::new(D),
            self_attn: (self_attn_layer_norm, self_attn_layer_norm)
                -> WhisperAttention<D, H, true>,
        },
        residual {
            encoder_attn_layer_norm: LayerNorm::new(D),
            encoder_attn: (encoder_attn_layer_norm, encoder_hidden_states)
                -> WhisperAttention<D, H, false>,
        },
        residual {
            final_layer_norm: LayerNorm::new(D),
            fc1: Linear::new(F),
            activation_fn: GELU,
            fc2: Linear::new(D),
        },
    }

    /// Hugging Face's `WhisperEncoder` on log-mel features `[N, mels, 2·POSITIONS]`: two
    /// convolutions with GELU (the second with stride 2, down to `POSITIONS` frames), channels
    /// last, the position table `embed_positions` added (an `nn.Embedding` with
    /// `requires_grad_(False)`: frozen, in `PARAMS`, not in `TRAINABLE_PARAMS`), `LAYERS`
    /// encoder layers and a final LayerNorm.
    pub block WhisperEncoder<
        const D: u64,
        const H: u64,
        const F: u64,
        const LAYERS: u64,
        const POSITIONS: u64,
    >(input_features) {
        conv1: input_features -> Conv1d::new(D, 3).padding(1),
        gelu1: GELU,
        conv2: Conv1d::new(D, 3).stride(2).padding(1),
        gelu2: GELU,
        permute: Permute::new([0, 2, 1]),
        #[frozen]
        embed_positions: PositionEmbedding::new(POSITIONS),
        layers: [WhisperEncoderLayer<D, H, F>; LAYERS],
        layer_norm: LayerNorm::new(D),
    }

    /// Hugging Face's `WhisperDecoder`: token embeddings plus learned positions (up to
    /// `POSITIONS`), `LAYERS` decoder layers that each read `encoder_hidden_states`, and a
    /// final LayerNorm.
    pub block WhisperDecoder<
        const VOCAB: u64,
        const POSITIONS: u64,
        const D: u64,
        const H: u64,
        const F: u64,
        const LAYERS: u64,
    >(input_ids, encoder_hidden_states) {
        embed_tokens: input_ids -> Embedding::new(VOCAB, D),
        embed_positions: PositionEmbedding::new(POSITIONS),
        layers: (embed_positions, encoder_hidden_states) -> [WhisperDecoderLayer<D, H, F>; LAYERS],
        layer_norm: LayerNorm::new(D),
    }

    /// Whisper-tiny (Radford et al., "Robust Speech Recognition via Large-Scale Weak
    /// Supervision", 2022, arXiv:2212.04356), as Hugging Face's `WhisperModel` with the
    /// `openai/whisper-tiny` config (width 384, 6 heads, 4 encoder and 4 decoder layers, MLPs of
    /// 1,536, 51,865 tokens): the encoder on 80 log-mel bins × 3,000 frames (30 s), downsampled
    /// to 1,500 positions; the decoder on 32 token ids, each layer's cross-attention reading the
    /// encoder's output. No LM head (`WhisperForConditionalGeneration` ties `proj_out` to
    /// `embed_tokens`).
    ///
    /// **37,760,640 params, 20,653,178,880 MACs** (asserted at compile time). The params
    /// include the encoder's `embed_positions` (1,500 × 384 = 576,000, frozen: `TRAINABLE_PARAMS`
    /// is 37,184,640); no buffers. The MACs are `FlopCounterMode`'s: the two convolutions, the
    /// linear layers and the attention's two products, of which the encoder's, over 1,500 × 1,500
    /// scores, take 1,728,000,000 per layer.
    ///
    /// Attention is Hugging Face's eager path ([`EagerAttention`]): its score matrices count in
    /// the memory figures (the encoder's are 6 × 1,500 × 1,500 values, 54 MB at f32, per layer).
    ///
    /// Outputs, as `Seq2SeqModelOutput` with `use_cache=False`: `last_hidden_state`
    /// `[1, 32, 384]` (the decoder's) and `encoder_last_hidden_state` `[1, 1500, 384]`.
    ///
    /// ```
    /// use nncost::zoo::WhisperTiny;
    /// assert_eq!(WhisperTiny::PARAMS, 37_760_640);
    /// assert_eq!(WhisperTiny::PARAMS - WhisperTiny::TRAINABLE_PARAMS, 1_500 * 384);
    /// assert_eq!(WhisperTiny::MACS, 20_653_178_880);
    /// assert_eq!(WhisperTiny::INPUT_SHAPES.name(1), "decoder_input_ids");
    /// ```
    pub model WhisperTiny(input_features: [80, 3000], decoder_input_ids: tokens(32)) -> (
        decoder as "last_hidden_state",
        encoder as "encoder_last_hidden_state",
    ) {
        encoder: input_features -> WhisperEncoder<384, 6, 1536, 4, 1500>,
        decoder: (decoder_input_ids, encoder) -> WhisperDecoder<51_865, 448, 384, 6, 1536, 4>,
    }
}

crate::const_assert!(WhisperTiny::PARAMS == 37_760_640);
crate::const_assert!(WhisperTiny::TRAINABLE_PARAMS == 37_760_640 - 576_000);
crate::const_assert!(WhisperTiny::MACS == 20_653_178_880);
crate::const_assert!(WhisperTiny::ALL_BUFFERS == 0);
crate::const_assert!(super::outputs::outputs_are(
    &WhisperTiny::OUTPUT_SHAPES,
    &[
        ("last_hidden_state", &[1, 32, 384]),
        ("encoder_last_hidden_state", &[1, 1500, 384]),
    ],
));
