"""Rate limits and quotas per API key and per user: the policies (policy.py), the counters
they are checked against (in process, counters.py, or shared in Redis, redis_counters.py)
and the Limiter (limiter.py) that admits an invocation and settles what it used."""
