"""Runnable code samples per model, rendered from Jinja2 templates per language and media kind."""

from typeserve.samples.languages import LANGUAGES
from typeserve.samples.render import SampleContext, model_sample_context, render_sample, sample_context

__all__ = ["LANGUAGES", "SampleContext", "model_sample_context", "render_sample", "sample_context"]
