"""OpenCV's Haar cascades on scikit-image's sample photographs (none from their training data).
Recall: in photographs with known objects, the share of objects a detection covers (the box
contains the object's centre, looked up by hand). Clean rate: the share of photographs without
such objects where the cascade detects nothing. The fullbody and licence-plate cascades have
no photograph of their object among the offline samples, so only their clean rate is measured."""

from __future__ import annotations

import base64

from typeserve.evaluation import EvalResult, Evaluation
from typeserve.evaluation.image_data import SAFE_IMAGES, encode, scikit_image
from typeserve.inference import LocalInference

DATASET = "scikit-image samples"
Point = tuple[int, int]

# model id -> photographs with objects of its kind -> the objects' centres in pixels.
KNOWN_OBJECTS: dict[str, dict[str, list[Point]]] = {
    "opencv/1/haarcascade-frontalface": {"astronaut": [(222, 113)], "camera": [(255, 125)]},
    "opencv/1/haarcascade-eye": {"astronaut": [(203, 103), (244, 100)]},
    "opencv/1/haarcascade-smile": {"astronaut": [(224, 140)]},
    "opencv/1/haarcascade-fullbody": {},
    "opencv/1/haarcascade-license-plate": {},
}
# Photographs that may show such objects without their centres being listed: not used for the clean rate.
AMBIGUOUS = {"astronaut", "camera"}


def covers(detection: dict[str, object], point: Point) -> bool:
    box = detection["box"]
    assert isinstance(box, dict)
    return bool(box["xmin"] <= point[0] <= box["xmax"] and box["ymin"] <= point[1] <= box["ymax"])


async def detections(run: LocalInference, model_id: str, name: str) -> list[dict[str, object]]:
    image = base64.b64encode(encode(scikit_image(name))).decode()
    body, _ = await run(model_id, payload={"imageRef": {"Bytes": image}})
    return list(body["detections"])


def cascade_evaluation(model_id: str) -> Evaluation:
    known = KNOWN_OBJECTS[model_id]

    async def evaluate(run: LocalInference) -> list[EvalResult]:
        results = []
        objects = [(name, centre) for name, centres in known.items() for centre in centres]
        if objects:
            found = 0
            for name in known:
                boxes = await detections(run, model_id, name)
                found += sum(any(covers(d, centre) for d in boxes) for centre in known[name])
            photos = ", ".join(known)
            results.append(EvalResult(model_id, "recall", found / len(objects), f"{DATASET} {photos}", len(objects)))
        clean = [name for name in SAFE_IMAGES if name not in known and name not in AMBIGUOUS]
        flagged = 0
        for name in clean:
            flagged += bool(await detections(run, model_id, name))
        results.append(
            EvalResult(
                model_id,
                "clean_rate",
                1 - flagged / len(clean),
                f"{DATASET} without the object",
                len(clean),
                note="share of photographs without the object where nothing is detected",
            )
        )
        return results

    return evaluate


EVALS = {model_id: cascade_evaluation(model_id) for model_id in KNOWN_OBJECTS}
