"""HTTP routers of the compatibility protocols (Hugging Face, OpenAI, Open Inference Protocol
v2); each reads the type's mapping from the registry and invokes through the same frame as
the native route."""
