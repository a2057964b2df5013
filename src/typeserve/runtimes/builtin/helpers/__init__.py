"""Helpers of the builtin runtime's model modules (answer spans and types, speech labels) and
its discovery of installed Apertium modes; no module here is a model (none has `load`)."""
