"""Tiny random-weight checkpoints of the image-to-text and text-to-speech types, built like
those of tiny_models (registered in its BUILDERS): a vision encoder-decoder (ViT encoder,
BERT decoder with cross-attention) and a VITS voice with a character vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

VITS_CHARACTERS = " abcdefghijklmnopqrstuvwxyz'.,?!-"


def build_vision_encoder_decoder(folder: Path) -> None:
    from transformers import (
        VisionEncoderDecoderConfig,
        VisionEncoderDecoderModel,
        ViTConfig,
        ViTImageProcessor,
    )

    from tests.support.tiny_models import bert_config, bert_tokenizer, write_readme

    tokenizer = bert_tokenizer()
    encoder = ViTConfig(
        image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37
    )
    decoder = bert_config(is_decoder=True, add_cross_attention=True)
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id = tokenizer.cls_token_id
    config.pad_token_id = tokenizer.pad_token_id
    config.eos_token_id = tokenizer.sep_token_id
    model = VisionEncoderDecoderModel(config=config)
    model.generation_config.decoder_start_token_id = tokenizer.cls_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.sep_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    write_readme(folder, "image-to-text", ["en"])


def build_vits_text_to_speech(folder: Path) -> None:
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    from tests.support.tiny_models import write_readme

    vocabulary = {token: i for i, token in enumerate(["<pad>", "<unk>", *VITS_CHARACTERS])}
    (folder / "vocab.json").write_text(json.dumps(vocabulary), "utf-8")
    tokenizer = VitsTokenizer(vocab_file=str(folder / "vocab.json"), add_blank=True, phonemize=False, is_uroman=False)
    config = VitsConfig(
        vocab_size=len(vocabulary),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        ffn_dim=32,
        flow_size=16,
        spectrogram_bins=33,
        upsample_initial_channel=16,
        upsample_rates=[4, 4],
        upsample_kernel_sizes=[8, 8],
        resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1, 3]],
        prior_encoder_num_flows=1,
        prior_encoder_num_wavenet_layers=1,
        posterior_encoder_num_wavenet_layers=1,
        duration_predictor_num_flows=1,
        duration_predictor_filter_channels=16,
        depth_separable_num_layers=1,
        sampling_rate=16_000,
    )
    VitsModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    write_readme(folder, "text-to-speech", ["en"])


MEDIA_BUILDERS = {
    "vision-encoder-decoder": build_vision_encoder_decoder,
    "vits-text-to-speech": build_vits_text_to_speech,
}
