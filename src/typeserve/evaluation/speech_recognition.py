"""The speech recognisers of the default catalog on the read English speech of Debian's
pocketsphinx-testdata (LibriVox sentences, spoken playing cards, "go forward ten meters"; see
audio_data): word and character error rates of the transcripts over all utterances, with
jiwer, after the same normalisation as experiments (numbers, titles, punctuation)."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.evaluation.audio_data import transcribed_clips
from typeserve.experiments.metrics.transcripts import normalize_transcript
from typeserve.inference import LocalInference

POCKETSPHINX = "cmu/1/pocketsphinx-en-us"
WHISPER = "openai/1/whisper-tiny-en"
DATASET = "Debian pocketsphinx-testdata (librivox, cards, goforward)"


async def evaluate_recogniser(run: LocalInference, model_id: str) -> list[EvalResult]:
    import jiwer

    clips = transcribed_clips()
    references, hypotheses = [], []
    for clip in clips:
        body, _ = await run(model_id, raw=clip.data)
        references.append(normalize_transcript(clip.transcript or ""))
        hypotheses.append(normalize_transcript(body["text"]))
    count = len(clips)
    words = sum(len(r.split()) for r in references)
    note = f"{count} utterances of read English, {words} words"
    return [
        EvalResult(model_id, "wer", float(jiwer.wer(references, hypotheses)), DATASET, count, note),
        EvalResult(model_id, "cer", float(jiwer.cer(references, hypotheses)), DATASET, count),
    ]


async def evaluate_pocketsphinx(run: LocalInference) -> list[EvalResult]:
    return await evaluate_recogniser(run, POCKETSPHINX)


async def evaluate_whisper(run: LocalInference) -> list[EvalResult]:
    return await evaluate_recogniser(run, WHISPER)


EVALS = {POCKETSPHINX: evaluate_pocketsphinx, WHISPER: evaluate_whisper}
