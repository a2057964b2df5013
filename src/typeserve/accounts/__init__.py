"""Users, API keys (hashed at rest), scopes and usage metering."""
