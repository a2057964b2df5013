"""What `typeserve models add --runtime onnx` checks: the ONNX files exist, open in
onnxruntime, and give the outputs the type's adapter reads."""

from __future__ import annotations

from typeserve.runtimes.onnx.files import DECODER_FILE, GENERATIVE_HEADS, files_for, required_outputs
from typeserve.runtimes.transformers.architectures import TaskHead
from typeserve.runtimes.transformers.checkpoint import Checkpoint, CheckpointError


def check_onnx_checkpoint(checkpoint: Checkpoint, type_name: str, head: TaskHead) -> None:
    import onnxruntime

    needed = files_for(head.auto_class)
    missing = [name for name in needed if not (checkpoint.path / name).is_file()]
    if missing:
        raise CheckpointError(
            f"{checkpoint.path} has no {' and '.join(missing)}; export it with optimum "
            f"(optimum-cli export onnx --model ... {checkpoint.path})."
        )
    for name in needed:
        try:
            session = onnxruntime.InferenceSession(str(checkpoint.path / name), providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise CheckpointError(f"onnxruntime cannot open {name}: {exc}") from None
        outputs = {output.name for output in session.get_outputs()}
        if head.auto_class in GENERATIVE_HEADS:
            wanted: tuple[str, ...] = ("logits",) if name == DECODER_FILE else ()
        else:
            wanted = required_outputs(type_name)
        absent = [output for output in wanted if output not in outputs]
        if absent:
            raise CheckpointError(
                f"{name} has no output {', '.join(absent)} (it has {', '.join(sorted(outputs))}); "
                f"it was not exported for {type_name}."
            )
