"""Tiny random-weight Hugging Face checkpoints built on the spot, the way users' checkpoints
look on disk (`save_pretrained` folders: config, weights, tokenizer or processor, README).

Tokenizers are trained with the `tokenizers` library on the local text below; nothing is
fetched from a hub. Each checkpoint is built once and cached under
`.test-cache/tiny-models/<transformers version>/<name>` so later test runs start fast."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.tiny_media_models import MEDIA_BUILDERS

REPO_ROOT = Path(__file__).resolve().parents[2]
# Tests never reach a hub: whatever loads these checkpoints in this process stays offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CORPUS = """\
The quick brown fox jumps over the lazy dog near the river bank.
Paris is the capital of France and Berlin is the capital of Germany.
My name is Wolfgang and I live in Berlin with my family and two cats.
The tower is three hundred metres tall, about the same height as a building of eighty floors.
It was the tallest structure in the world for forty one years until a new one was built.
I love this product, it works well and the price is good.
This film was terrible and the actors were bad, I want my money back.
The house is green and the garden is full of flowers in the summer.
Go forward ten meters, then turn left and stop at the red door.
Machine learning models turn inputs into outputs; typed models make them comparable.
Das Haus ist gruen und der Garten ist voller Blumen im Sommer.
La maison est verte et le jardin est plein de fleurs en ete.
"""

SEED = 1234


def corpus_lines() -> list[str]:
    return [line for line in CORPUS.splitlines() if line.strip()] * 4


def cache_root() -> Path:
    import transformers

    return (
        Path(os.environ.get("TYPESERVE_TEST_CACHE", REPO_ROOT / ".test-cache"))
        / "tiny-models"
        / transformers.__version__
    )


def write_readme(folder: Path, pipeline_tag: str, language: list[str], license: str = "apache-2.0") -> None:
    front = {"pipeline_tag": pipeline_tag, "license": license, "language": language}
    lines = ["---", *(f"{k}: {json.dumps(v)}" for k, v in front.items()), "---", ""]
    body = f"# {folder.name}\n\nA tiny random-weight checkpoint built by the typeserve tests ({pipeline_tag}).\n"
    (folder / "README.md").write_text("\n".join(lines) + body, "utf-8")


# --- tokenizers -----------------------------------------------------------------------------


def wordpiece_vocab(size: int = 400) -> dict[str, int]:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer.train_from_iterator(corpus_lines(), trainers.WordPieceTrainer(vocab_size=size, special_tokens=special))
    return dict(tokenizer.get_vocab())


def byte_bpe(size: int = 500, special: tuple[str, ...] = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")) -> Any:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=size, special_tokens=list(special), initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(corpus_lines(), trainer)
    state = json.loads(tokenizer.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["merges"]]
    return state["vocab"], merges


def unigram_vocab(size: int = 300) -> list[tuple[str, float]]:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.Unigram())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    special = ["<pad>", "</s>", "<unk>"]
    trainer = trainers.UnigramTrainer(vocab_size=size, special_tokens=special, unk_token="<unk>")
    tokenizer.train_from_iterator(corpus_lines(), trainer)
    return [(piece, float(score)) for piece, score in json.loads(tokenizer.to_str())["model"]["vocab"]]


def bert_tokenizer() -> Any:
    from transformers import BertTokenizer

    return BertTokenizer(vocab=wordpiece_vocab(), model_max_length=128)


# --- builders -------------------------------------------------------------------------------


def _seed() -> None:
    import torch

    torch.manual_seed(SEED)


def bert_config(**extra: Any) -> Any:
    from transformers import BertConfig

    return BertConfig(
        vocab_size=400,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=512,
        **extra,
    )


def build_bert_text_classification(folder: Path) -> None:
    from transformers import BertForSequenceClassification

    config = bert_config(id2label={0: "NEGATIVE", 1: "POSITIVE", 2: "NEUTRAL"}, label2id=None)
    config.label2id = {v: k for k, v in config.id2label.items()}
    BertForSequenceClassification(config).save_pretrained(folder)
    bert_tokenizer().save_pretrained(folder)
    write_readme(folder, "text-classification", ["en"])


def build_bert_fill_mask(folder: Path) -> None:
    from transformers import BertForMaskedLM

    BertForMaskedLM(bert_config()).save_pretrained(folder)
    bert_tokenizer().save_pretrained(folder)
    write_readme(folder, "fill-mask", ["en"])


def build_bert_question_answering(folder: Path) -> None:
    from transformers import BertForQuestionAnswering

    BertForQuestionAnswering(bert_config()).save_pretrained(folder)
    bert_tokenizer().save_pretrained(folder)
    write_readme(folder, "question-answering", ["en"])


def build_bart_summarization(folder: Path) -> None:
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    vocab, merges = byte_bpe()
    tokenizer = BartTokenizer(vocab=vocab, merges=merges, model_max_length=256)
    config = BartConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=37,
        decoder_ffn_dim=37,
        max_position_embeddings=256,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=tokenizer.bos_token_id,
    )
    BartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    write_readme(folder, "summarization", ["en"])


def build_t5_translation(folder: Path) -> None:
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    vocab = unigram_vocab()
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=256)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_kv=8,
        d_ff=37,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
        # How T5 checkpoints declare their translation directions.
        task_specific_params={"translation_en_to_de": {"prefix": "translate English to German: "}},
    )
    T5ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    write_readme(folder, "translation", ["en", "de"])


def build_mbart50_translation(folder: Path) -> None:
    """A multilingual translator: mBART-50's language codes (en_XX, de_DE, ...) as tokens."""
    from transformers import MBart50Tokenizer, MBartConfig, MBartForConditionalGeneration

    tokenizer = MBart50Tokenizer(vocab=unigram_vocab(), src_lang="en_XX", tgt_lang="de_DE", model_max_length=256)
    config = MBartConfig(
        vocab_size=len(tokenizer),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=37,
        decoder_ffn_dim=37,
        max_position_embeddings=256,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
    )
    MBartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    write_readme(folder, "translation", ["multilingual"])


def build_vit_image_classification(folder: Path) -> None:
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    labels = ["tabby cat", "rocket", "coffee mug", "astronaut"]
    config = ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=37,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    write_readme(folder, "image-classification", [])


def build_yolos_object_detection(folder: Path) -> None:
    from transformers import YolosConfig, YolosForObjectDetection, YolosImageProcessor

    labels = ["N/A", "person", "rocket", "flag"]
    config = YolosConfig(
        image_size=[64, 64],
        patch_size=16,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=37,
        num_detection_tokens=10,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    YolosForObjectDetection(config).save_pretrained(folder)
    YolosImageProcessor(size={"shortest_edge": 64, "longest_edge": 96}).save_pretrained(folder)
    write_readme(folder, "object-detection", [])


def wav2vec2_config(**extra: Any) -> Any:
    from transformers import Wav2Vec2Config

    return Wav2Vec2Config(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=37,
        conv_dim=(16, 16, 16, 16, 16, 16, 16),
        num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=2,
        do_stable_layer_norm=True,
        feat_extract_norm="layer",
        classifier_proj_size=16,
        **extra,
    )


def wav2vec2_feature_extractor() -> Any:
    from transformers import Wav2Vec2FeatureExtractor

    return Wav2Vec2FeatureExtractor(
        feature_size=1, sampling_rate=16000, padding_value=0.0, do_normalize=True, return_attention_mask=True
    )


def build_wav2vec2_audio_classification(folder: Path) -> None:
    from transformers import Wav2Vec2ForSequenceClassification

    labels = ["speech", "music", "silence"]
    config = wav2vec2_config(id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)})
    Wav2Vec2ForSequenceClassification(config).save_pretrained(folder)
    wav2vec2_feature_extractor().save_pretrained(folder)
    write_readme(folder, "audio-classification", [])


def build_wav2vec2_ctc(folder: Path) -> None:
    from transformers import Wav2Vec2CTCTokenizer, Wav2Vec2ForCTC, Wav2Vec2Processor

    letters = sorted(set("".join(corpus_lines()).upper()) - {" "})
    vocab = {"<pad>": 0, "<unk>": 1, "|": 2, **{c: i + 3 for i, c in enumerate(letters)}}
    (folder / "vocab.json").write_text(json.dumps(vocab), "utf-8")
    tokenizer = Wav2Vec2CTCTokenizer(str(folder / "vocab.json"), word_delimiter_token="|")
    config = wav2vec2_config(vocab_size=len(vocab), pad_token_id=0, ctc_loss_reduction="mean")
    Wav2Vec2ForCTC(config).save_pretrained(folder)
    Wav2Vec2Processor(feature_extractor=wav2vec2_feature_extractor(), tokenizer=tokenizer).save_pretrained(folder)
    write_readme(folder, "automatic-speech-recognition", ["en"])


WHISPER_SPECIAL = [
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|en|>",
    "<|de|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nospeech|>",
    "<|notimestamps|>",
]


def build_whisper(folder: Path) -> None:
    from transformers import (
        GenerationConfig,
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperProcessor,
        WhisperTokenizer,
    )

    vocab, merges = byte_bpe(size=400, special=())
    base = len(vocab)
    for i, token in enumerate(WHISPER_SPECIAL):
        vocab[token] = base + i
    # Timestamp tokens <|0.00|> ... <|1.00|> follow the special tokens, as in real Whisper.
    timestamps = [f"<|{i * 0.02:.2f}|>" for i in range(51)]
    for i, token in enumerate(timestamps):
        vocab[token] = base + len(WHISPER_SPECIAL) + i
    tokenizer = WhisperTokenizer(vocab=vocab, merges=merges, model_max_length=448)
    # Timestamps are ordinary tokens after the last special one, as the tokenizer expects.
    tokenizer.add_special_tokens({"additional_special_tokens": WHISPER_SPECIAL})
    ids = {token: vocab[token] for token in WHISPER_SPECIAL}
    config = WhisperConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=37,
        decoder_ffn_dim=37,
        num_mel_bins=80,
        max_source_positions=1500,
        max_target_positions=448,
        pad_token_id=ids["<|endoftext|>"],
        bos_token_id=ids["<|endoftext|>"],
        eos_token_id=ids["<|endoftext|>"],
        decoder_start_token_id=ids["<|startoftranscript|>"],
        begin_suppress_tokens=[],
        suppress_tokens=[],
    )
    model = WhisperForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=ids["<|startoftranscript|>"],
        eos_token_id=ids["<|endoftext|>"],
        pad_token_id=ids["<|endoftext|>"],
        bos_token_id=ids["<|endoftext|>"],
        no_timestamps_token_id=ids["<|notimestamps|>"],
        max_initial_timestamp_index=50,
        is_multilingual=True,
        lang_to_id={"<|en|>": ids["<|en|>"], "<|de|>": ids["<|de|>"]},
        task_to_id={"transcribe": ids["<|transcribe|>"], "translate": ids["<|translate|>"]},
        max_length=448,
        begin_suppress_tokens=[],
        suppress_tokens=[],
    )
    model.save_pretrained(folder)
    WhisperProcessor(feature_extractor=WhisperFeatureExtractor(feature_size=80), tokenizer=tokenizer).save_pretrained(
        folder
    )
    write_readme(folder, "automatic-speech-recognition", ["en", "de"])


BUILDERS: dict[str, Callable[[Path], None]] = {
    "bert-text-classification": build_bert_text_classification,
    "bert-fill-mask": build_bert_fill_mask,
    "bert-question-answering": build_bert_question_answering,
    "bart-summarization": build_bart_summarization,
    "t5-translation": build_t5_translation,
    "mbart50-translation": build_mbart50_translation,
    "vit-image-classification": build_vit_image_classification,
    "yolos-object-detection": build_yolos_object_detection,
    "wav2vec2-audio-classification": build_wav2vec2_audio_classification,
    "wav2vec2-ctc": build_wav2vec2_ctc,
    "whisper": build_whisper,
}
BUILDERS.update(MEDIA_BUILDERS)


def tiny_model(name: str) -> Path:
    """The folder of the tiny checkpoint `name`, built on first use and cached."""
    folder = cache_root() / name
    if (folder / "config.json").exists():
        return folder
    building = folder.with_name(f"{name}.building-{uuid.uuid4().hex[:8]}")
    building.mkdir(parents=True)
    try:
        _seed()
        BUILDERS[name](building)
        # Rename last, so that a half-built folder never looks like a checkpoint.
        if not (folder / "config.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
            building.rename(folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return folder


if __name__ == "__main__":
    for model_name in BUILDERS:
        print(model_name, tiny_model(model_name))
