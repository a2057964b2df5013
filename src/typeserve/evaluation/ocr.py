"""The OCR models of the default catalog on images of printed text that ship in packages
(ocr_data): character and word error rates of the recognised text against the transcripts,
with jiwer, lines joined by spaces and whitespace collapsed on both sides (casing and
punctuation count: OCR is expected to get them right)."""

from __future__ import annotations

import base64

from typeserve.evaluation import EvalResult
from typeserve.evaluation.ocr_data import text_images
from typeserve.inference import LocalInference

TESSERACT = "tesseract/1/tesseract-eng"
PP_OCR = "paddlepaddle/1/pp-ocrv4"
DATASET = "scikit-image page + tesseract-sys img.png (Debian)"


def one_line(text: str) -> str:
    return " ".join(text.split())


async def evaluate_ocr(run: LocalInference, model_id: str) -> list[EvalResult]:
    import jiwer

    images = text_images()
    references, hypotheses = [], []
    for image in images:
        body, _ = await run(model_id, payload={"imageRef": {"Bytes": base64.b64encode(image.png).decode()}})
        references.append(one_line(image.transcript))
        hypotheses.append(one_line(body["text"]))
    count = len(images)
    words = sum(len(r.split()) for r in references)
    note = f"{count} images, {words} words of printed English"
    return [
        EvalResult(model_id, "cer", float(jiwer.cer(references, hypotheses)), DATASET, count, note),
        EvalResult(model_id, "wer", float(jiwer.wer(references, hypotheses)), DATASET, count),
    ]


async def evaluate_tesseract(run: LocalInference) -> list[EvalResult]:
    return await evaluate_ocr(run, TESSERACT)


async def evaluate_pp_ocr(run: LocalInference) -> list[EvalResult]:
    return await evaluate_ocr(run, PP_OCR)


EVALS = {TESSERACT: evaluate_tesseract, PP_OCR: evaluate_pp_ocr}
