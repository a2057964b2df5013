"""PocketSphinx on the read English speech of Debian's pocketsphinx-testdata (LibriVox
sentences, spoken playing cards, "go forward ten meters"; see audio_data): word and character
error rates of the transcripts over all utterances, with jiwer."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.evaluation.audio_data import transcribed_clips
from typeserve.inference import LocalInference

POCKETSPHINX = "cmu/1/pocketsphinx-en-us"
DATASET = "Debian pocketsphinx-testdata (librivox, cards, goforward)"


async def evaluate_pocketsphinx(run: LocalInference) -> list[EvalResult]:
    import jiwer

    clips = transcribed_clips()
    references, hypotheses = [], []
    for clip in clips:
        body, _ = await run(POCKETSPHINX, raw=clip.data)
        references.append(clip.transcript or "")
        hypotheses.append(body["text"])
    count = len(clips)
    return [
        EvalResult(POCKETSPHINX, "wer", float(jiwer.wer(references, hypotheses)), DATASET, count),
        EvalResult(POCKETSPHINX, "cer", float(jiwer.cer(references, hypotheses)), DATASET, count),
    ]


EVALS = {POCKETSPHINX: evaluate_pocketsphinx}
