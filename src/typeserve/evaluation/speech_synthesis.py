"""The speech synthesizers of the default catalog, judged by the default speech recogniser:
each speaks the reference transcripts of Debian's pocketsphinx-testdata (sentences of Jane
Austen's "Sense and Sensibility", playing cards, "go forward ten meters"; none written here),
Whisper tiny.en transcribes the speech, and the word error rate against the text is its
intelligibility (lower is better). The mean duration per word says how fast it speaks."""

from __future__ import annotations

import base64

from typeserve.evaluation import EvalResult
from typeserve.evaluation.audio_data import transcribed_clips
from typeserve.evaluation.speech_recognition import WHISPER
from typeserve.experiments.metrics.transcripts import normalize_transcript
from typeserve.inference import LocalInference

ESPEAK = "espeak/1/espeak-ng"
FLITE = "cmu/1/flite"
PIPER = "piper/1/en-us-joe-medium"
DATASET = "pocketsphinx-testdata transcripts, heard by openai/1/whisper-tiny-en"


async def evaluate_synthesizer(run: LocalInference, model_id: str) -> list[EvalResult]:
    import jiwer

    texts = [clip.transcript or "" for clip in transcribed_clips()]
    references, hypotheses, seconds = [], [], 0.0
    for text in texts:
        speech, _ = await run(model_id, payload={"input": text})
        seconds += float(speech["durationS"])
        heard, _ = await run(WHISPER, raw=base64.b64decode(speech["audio"]["Bytes"]))
        references.append(normalize_transcript(text))
        hypotheses.append(normalize_transcript(heard["text"]))
    words = sum(len(r.split()) for r in references)
    count = len(texts)
    return [
        EvalResult(model_id, "wer", float(jiwer.wer(references, hypotheses)), DATASET, count, f"{words} words"),
        EvalResult(model_id, "seconds_per_word", seconds / words, DATASET, count),
    ]


async def evaluate_espeak(run: LocalInference) -> list[EvalResult]:
    return await evaluate_synthesizer(run, ESPEAK)


async def evaluate_flite(run: LocalInference) -> list[EvalResult]:
    return await evaluate_synthesizer(run, FLITE)


async def evaluate_piper(run: LocalInference) -> list[EvalResult]:
    return await evaluate_synthesizer(run, PIPER)


EVALS = {ESPEAK: evaluate_espeak, FLITE: evaluate_flite, PIPER: evaluate_piper}
