"""Invoking a model: the one use case (`Inference`) every caller goes through, and
`LocalInference`, the use case on an engine of its own for callers without a server."""

from typeserve.inference.invocation import Cancelled, Inference, InvocationResult, RawMedia, Target
from typeserve.inference.local import LocalInference, infer_locally

__all__ = ["Cancelled", "Inference", "InvocationResult", "LocalInference", "RawMedia", "Target", "infer_locally"]
