"""Experiments: run several models of one type over a user's dataset through the same engine
and tiers as API calls, store every row's answer as it finishes, and compare the models with
the type's metrics, latency and throughput."""
