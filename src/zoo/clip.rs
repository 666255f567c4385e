//! CLIP ViT-B/32, as Hugging Face's `CLIPModel` with the `openai/clip-vit-base-patch32` config.

use super::eager_attention::{EagerAttention, SplitHeads};
use crate::prelude::*;

/// `x / ‖x‖₂` over the last dim of a `[1, D]` embedding, as `CLIPModel` normalises its
/// embeddings (`image_embeds / _get_vector_norm(image_embeds)`, the norm by `pow(2)`,
/// `sum(dim=-1, keepdim=True)` and `pow(0.5)`): `D` squares, `D − 1` adds, one square root and
/// `D` divides, **3·D FLOPs** per vector; no weights, no MACs (`FlopCounterMode` counts none).
/// `network!` has neither a reduction nor a division, so the whole is one [`Custom`] layer.
const fn l2_normalize(dim: u64) -> Custom {
    Custom::new("L2Normalize").flops(3 * dim)
}

network! {
    /// Hugging Face's `CLIPAttention`: `q_proj`, `k_proj`, `v_proj` (width `D`, with bias), the
    /// heads split ([`SplitHeads`]), [`EagerAttention`] over `H` heads (causal in the text
    /// tower), the heads merged back (`reshape(batch, seq, -1)`) and `out_proj`.
    pub block ClipAttention<const D: u64, const H: u64, const CAUSAL: bool>(hidden_states) {
        q_proj: hidden_states -> Linear::new(D),
        k_proj: hidden_states -> Linear::new(D),
        v_proj: hidden_states -> Linear::new(D),
        queries: q_proj -> SplitHeads<D, H>,
        keys: k_proj -> SplitHeads<D, H>,
        values: v_proj -> SplitHeads<D, H>,
        attn: (queries, keys, values) -> EagerAttention<D, H, false, CAUSAL>,
        reshape: Flatten::new(-2, -1),
        out_proj: Linear::new(D),
    }

    /// Hugging Face's `CLIPMLP`: `D → F → D` with OpenAI's `quick_gelu` (`x·sigmoid(1.702·x)`).
    pub block ClipMlp<const D: u64, const F: u64> {
        fc1: Linear::new(F),
        activation_fn: QuickGELU,
        fc2: Linear::new(D),
    }

    /// Hugging Face's `CLIPEncoderLayer`, pre-norm: `x + self_attn(layer_norm1(x))`, then
    /// `x + mlp(layer_norm2(x))`.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::ClipEncoderLayer;
    /// network! {
    ///     #[input(50, 768)]
    ///     model VisionLayer { layer: ClipEncoderLayer<768, 12, 3072, false> }
    /// }
    /// // Two LayerNorms, four 768 × 768 projections, the MLP 768 → 3072 → 768, with biases.
    /// let params = 2 * 2 * 768 + 4 * (768 * 768 + 768) + (768 * 3072 + 3072) + (3072 * 768 + 768);
    /// assert_eq!(VisionLayer::PARAMS, params);
    /// // The projections and MLP over 50 positions, and QKᵀ and AV over 50 × 50 scores.
    /// let macs = 50 * (4 * 768 * 768 + 2 * 768 * 3072) + 2 * 50 * 50 * 768;
    /// assert_eq!(VisionLayer::MACS, macs);
    /// ```
    pub block ClipEncoderLayer<const D: u64, const H: u64, const F: u64, const CAUSAL: bool> {
        residual {
            layer_norm1: LayerNorm::new(D),
            self_attn: ClipAttention<D, H, CAUSAL>,
        },
        residual {
            layer_norm2: LayerNorm::new(D),
            mlp: ClipMlp<D, F>,
        },
    }

    /// Hugging Face's `CLIPTextEmbeddings`: the token embedding plus the position embedding,
    /// looked up with the `position_ids` buffer (`arange(POSITIONS)`, int64).
    pub block ClipTextEmbeddings<const VOCAB: u64, const POSITIONS: u64, const D: u64>(input_ids) {
        token_embedding: input_ids -> Embedding::new(VOCAB, D),
        position_ids: Buffer::new(&[1, POSITIONS]).integer(),
        position_embedding: position_ids -> Embedding::new(POSITIONS, D),
        embeddings: add(token_embedding, position_embedding),
    }

    /// Hugging Face's `CLIPTextTransformer`: embeddings, `LAYERS` causal encoder layers, the
    /// final LayerNorm (`last_hidden_state`), and the pooled output: each sequence's row at its
    /// first end-of-text token (`last_hidden_state[arange(N), eos_position]`).
    ///
    /// The end-of-text position depends on the ids (an `argmax` over them, integer work), and
    /// `network!` has no gather by a computed index, so the pooling is a [`Custom`] view that
    /// keeps one row of `D` values per sequence: no work, no memory, as a row select.
    pub block ClipTextTransformer<
        const VOCAB: u64,
        const POSITIONS: u64,
        const D: u64,
        const H: u64,
        const F: u64,
        const LAYERS: u64,
    >(input_ids) -> (final_layer_norm as "last_hidden_state", pooled_output as "pooler_output") {
        embeddings: input_ids -> ClipTextEmbeddings<VOCAB, POSITIONS, D>,
        encoder: { layers: [ClipEncoderLayer<D, H, F, true>; LAYERS] },
        final_layer_norm: LayerNorm::new(D),
        pooled_output: Custom::new("EosPooling").output_sample(&[D]).view(),
    }

    /// Hugging Face's `CLIPVisionEmbeddings`: non-overlapping `PATCH`×`PATCH` patches embedded
    /// by a convolution without bias, flattened to a sequence, the learned class embedding put
    /// first (`cat([class_embedding.expand(N, 1, -1), patch_embeds], dim=1)`), and the
    /// position embedding added, looked up with the `position_ids` buffer (`arange(POSITIONS)`,
    /// int64).
    pub block ClipVisionEmbeddings<const D: u64, const PATCH: u64, const POSITIONS: u64>(
        pixel_values,
    ) {
        patch_embedding: pixel_values -> Conv2d::new(D, PATCH).stride(PATCH).bias(false),
        flatten: Flatten::new(2, -1),
        transpose: Transpose::new(1, 2),
        class_embedding: ClassToken::new(),
        position_ids: Buffer::new(&[1, POSITIONS]).integer(),
        position_embedding: position_ids -> Embedding::new(POSITIONS, D),
        embeddings: add(class_embedding, position_embedding),
    }

    /// Hugging Face's `CLIPVisionTransformer`: embeddings, `pre_layrnorm` (sic), `LAYERS`
    /// encoder layers (`last_hidden_state`), and the pooled output: the class token's row
    /// (`last_hidden_state[:, 0, :]`) after `post_layernorm`.
    pub block ClipVisionTransformer<
        const D: u64,
        const H: u64,
        const F: u64,
        const LAYERS: u64,
        const PATCH: u64,
        const POSITIONS: u64,
    >(pixel_values) -> (encoder as "last_hidden_state", post_layernorm as "pooler_output") {
        embeddings: pixel_values -> ClipVisionEmbeddings<D, PATCH, POSITIONS>,
        pre_layrnorm: LayerNorm::new(D),
        encoder: { layers: [ClipEncoderLayer<D, H, F, false>; LAYERS] },
        pooled_output: Select::new(1, 0),
        post_layernorm: LayerNorm::new(D),
    }

    /// CLIP ViT-B/32 (Radford et al., "Learning Transferable Visual Models From Natural
    /// Language Supervision", ICML 2021, arXiv:2103.00020), as Hugging Face's `CLIPModel` with
    /// the `openai/clip-vit-base-patch32` config, on one 3×224×224 image and 77 token ids: a
    /// ViT-B/32 vision tower (width 768, 12 layers of 12 heads, 7×7 patches of 32 pixels and a
    /// class token) and a causal text tower (width 512, 12 layers of 8 heads, 49,408 tokens),
    /// both with `quick_gelu`; each tower's pooled output projected to 512 without bias,
    /// L2-normalised, and compared by a scaled dot product, the scale being `logit_scale.exp()`
    /// (a learned scalar).
    ///
    /// **151,277,313 params, 7,388,582,400 MACs** (asserted at compile time). The params
    /// include `logit_scale`; the MACs are `FlopCounterMode`'s: the linear layers, the patch
    /// convolution, the attention's two products per layer, the projections and the final
    /// `1×512 @ 512×1` product. Buffers: the int64 `position_ids` of both towers (77 + 50),
    /// so `ALL_BUFFERS` is 127 and `BUFFERS` (floating-point) 0.
    ///
    /// The L2 normalisation counts 3 FLOPs per element (`D` squares, `D − 1` adds, one square
    /// root, `D` divides: 1,536 per 512-dim embedding); the text tower's pooling at the
    /// end-of-text token is a row select (no work). Attention is Hugging Face's eager path
    /// ([`EagerAttention`]): its score matrices count in the memory figures.
    ///
    /// Outputs, as `CLIPOutput`: `logits_per_image` `[1, 1]`, `logits_per_text` `[1, 1]`,
    /// `text_embeds` `[1, 512]`, `image_embeds` `[1, 512]`, and the towers' outputs
    /// `text_model_output.last_hidden_state` `[1, 77, 512]`, `text_model_output.pooler_output`
    /// `[1, 512]`, `vision_model_output.last_hidden_state` `[1, 50, 768]` and
    /// `vision_model_output.pooler_output` `[1, 768]`.
    ///
    /// ```
    /// use nncost::zoo::ClipVitB32;
    /// assert_eq!(ClipVitB32::PARAMS, 151_277_313);
    /// assert_eq!(ClipVitB32::MACS, 7_388_582_400);
    /// assert_eq!((ClipVitB32::BUFFERS, ClipVitB32::ALL_BUFFERS), (0, 127));
    /// assert_eq!(ClipVitB32::INPUT_SHAPES.name(1), "input_ids");
    /// ```
    pub model ClipVitB32(pixel_values: [3, 224, 224], input_ids: tokens(77)) -> (
        logits_per_image,
        logits_per_text,
        text_embeds,
        image_embeds,
        text_model.last_hidden_state as "text_model_output.last_hidden_state",
        text_model.pooler_output as "text_model_output.pooler_output",
        vision_model.last_hidden_state as "vision_model_output.last_hidden_state",
        vision_model.pooler_output as "vision_model_output.pooler_output",
    ) {
        vision_model: pixel_values -> ClipVisionTransformer<768, 12, 3072, 12, 32, 50>,
        text_model: input_ids -> ClipTextTransformer<49_408, 77, 512, 8, 2048, 12>,
        visual_projection: vision_model.pooler_output -> Linear::new(512).bias(false),
        text_projection: text_model.pooler_output -> Linear::new(512).bias(false),
        // normalized features: image_embeds / _get_vector_norm(image_embeds)
        image_embeds: visual_projection -> l2_normalize(512),
        text_embeds: text_projection -> l2_normalize(512),
        // cosine similarity as logits:
        // torch.matmul(text_embeds, image_embeds.t()) * self.logit_scale.exp()
        image_embeds_t: image_embeds -> Transpose::new(0, 1),
        similarity: matmul(text_embeds, image_embeds_t),
        logit_scale: Parameter::new(&[]),
        logit_scale_exp: logit_scale -> Exp,
        logits_per_text: mul(similarity, logit_scale_exp),
        logits_per_image: logits_per_text -> Transpose::new(0, 1),
    }
}

crate::const_assert!(ClipVitB32::PARAMS == 151_277_313);
crate::const_assert!(ClipVitB32::MACS == 7_388_582_400);
crate::const_assert!(ClipVitB32::BUFFERS == 0);
crate::const_assert!(ClipVitB32::ALL_BUFFERS == 127);
crate::const_assert!(super::outputs::outputs_are(
    &ClipVitB32::OUTPUT_SHAPES,
    &[
        ("logits_per_image", &[1, 1]),
        ("logits_per_text", &[1, 1]),
        ("text_embeds", &[1, 512]),
        ("image_embeds", &[1, 512]),
        ("text_model_output.last_hidden_state", &[1, 77, 512]),
        ("text_model_output.pooler_output", &[1, 512]),
        ("vision_model_output.last_hidden_state", &[1, 50, 768]),
        ("vision_model_output.pooler_output", &[1, 768]),
    ],
));
