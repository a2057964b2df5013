"""The default catalog's voice activity detectors and YAMNet on real speech and non-speech
recordings (see audio_data): a clip counts as speech when the top label is `speech` (for
YAMNet: one of AudioSet's speech classes)."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.evaluation.audio_data import voice_activity_clips
from typeserve.inference import LocalInference

DATASET = "pocketsphinx-testdata speech + freedesktop sound theme + silence/noise"


# AudioSet's classes under "Human voice / Speech" (YAMNet's class map).
AUDIOSET_SPEECH = frozenset(
    {
        "Speech",
        "Male speech, man speaking",
        "Female speech, woman speaking",
        "Child speech, kid speaking",
        "Conversation",
        "Narration, monologue",
    }
)


async def evaluate_detector(
    run: LocalInference, model_id: str, speech_labels: frozenset[str] = frozenset({"speech"})
) -> list[EvalResult]:
    clips = voice_activity_clips()
    hits = {True: 0, False: 0}
    totals = {True: 0, False: 0}
    wrong: list[str] = []
    for clip in clips:
        body, _ = await run(model_id, raw=clip.data)
        said_speech = body["labels"][0]["label"] in speech_labels
        totals[clip.speech] += 1
        if said_speech == clip.speech:
            hits[clip.speech] += 1
        else:
            wrong.append(clip.name.rsplit("/", 1)[-1])
    count = len(clips)
    speech_recall = hits[True] / totals[True]
    non_speech_recall = hits[False] / totals[False]
    note = f"{totals[True]} speech, {totals[False]} non-speech clips"
    return [
        EvalResult(model_id, "accuracy", (hits[True] + hits[False]) / count, DATASET, count, note),
        EvalResult(model_id, "balanced_accuracy", (speech_recall + non_speech_recall) / 2, DATASET, count),
        EvalResult(model_id, "speech_recall", speech_recall, DATASET, totals[True]),
        EvalResult(
            model_id,
            "no_speech_recall",
            non_speech_recall,
            DATASET,
            totals[False],
            ("wrong: " + ", ".join(wrong)) if wrong else None,
        ),
    ]


async def evaluate_silero(run: LocalInference) -> list[EvalResult]:
    return await evaluate_detector(run, "silero/1/vad")


async def evaluate_webrtc(run: LocalInference) -> list[EvalResult]:
    return await evaluate_detector(run, "webrtc/1/vad")


async def evaluate_yamnet(run: LocalInference) -> list[EvalResult]:
    return await evaluate_detector(run, "google/1/yamnet", AUDIOSET_SPEECH)


EVALS = {"silero/1/vad": evaluate_silero, "webrtc/1/vad": evaluate_webrtc, "google/1/yamnet": evaluate_yamnet}
