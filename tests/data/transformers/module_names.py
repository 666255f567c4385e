"""Writes Hugging Face's leaf module names (`named_modules()`, modules without children) of the
zoo's transformers models, one file per model, for tests/zoo.rs's path checks. The models are
built on the meta device (no weights), with the published configs.

Run with PyTorch 2.15 and transformers 5.24 (`pip install torch transformers`):
    python3 tests/data/transformers/module_names.py
"""
import os

import torch
import transformers as T

MODELS = {
    "ClipVitB32": lambda: T.CLIPModel(T.CLIPConfig()),
    "WhisperTiny": lambda: T.WhisperModel(
        T.WhisperConfig(
            d_model=384,
            encoder_layers=4,
            decoder_layers=4,
            encoder_attention_heads=6,
            decoder_attention_heads=6,
            encoder_ffn_dim=1536,
            decoder_ffn_dim=1536,
        )
    ),
    "Llama3_8B": lambda: T.LlamaForCausalLM(
        T.LlamaConfig(
            vocab_size=128256,
            hidden_size=4096,
            intermediate_size=14336,
            num_hidden_layers=32,
            num_attention_heads=32,
            num_key_value_heads=8,
            rope_theta=500000.0,
            max_position_embeddings=8192,
        )
    ),
    "Mistral7B": lambda: T.MistralForCausalLM(T.MistralConfig()),
    "Mixtral8x7B": lambda: T.MixtralForCausalLM(T.MixtralConfig()),
    "Qwen2_5_0_5B": lambda: T.Qwen2ForCausalLM(
        T.Qwen2Config(
            vocab_size=151936,
            hidden_size=896,
            intermediate_size=4864,
            num_hidden_layers=24,
            num_attention_heads=14,
            num_key_value_heads=2,
            tie_word_embeddings=True,
        )
    ),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, build in MODELS.items():
    with torch.device("meta"):
        model = build()
    leaves = [n for n, m in model.named_modules() if n and not list(m.children())]
    with open(os.path.join(here, f"{name}.txt"), "w") as f:
        f.write("\n".join(leaves) + "\n")
