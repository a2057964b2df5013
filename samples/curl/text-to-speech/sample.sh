#!/usr/bin/env bash
# Piper voice en_US-joe-medium: call the text-to-speech model piper/1/en-us-joe-medium on typeserve.
#
# Usage: TYPESERVE_API_KEY=... bash sample.sh [INPUT] [--tier gpuflex]
#
# Reads the API key from TYPESERVE_API_KEY; TYPESERVE_URL overrides the server's address.
# Needs bash and curl.
set -euo pipefail

BASE_URL="${TYPESERVE_URL:-}"
BASE_URL="${BASE_URL:-http://127.0.0.1:8000}"
BASE_URL="${BASE_URL%/}"
MODEL_ID=piper/1/en-us-joe-medium
# Constant request fields (options), as a JSON fragment appended to the body object.
OPTIONS=''

if [ -z "${TYPESERVE_API_KEY:-}" ]; then
  echo "Set TYPESERVE_API_KEY to your typeserve API key." >&2
  exit 1
fi

# Split the command line into the service tier and the positional arguments.
TIER=cpuflex
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tier) TIER="${2:?--tier needs a value}"; shift 2 ;;
    --tier=*) TIER="${1#--tier=}"; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

# A shell string as a JSON string literal.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# Fields filled from the command line, in order, else their example values.
FIELD_INPUT='Go forward ten meters.'
if [ ${#ARGS[@]} -gt 0 ]; then FIELD_INPUT="${ARGS[0]}"; fi
BODY="{\"input\": $(json_string "$FIELD_INPUT")$OPTIONS}"

# The body goes through stdin: a base64 file can be longer than a command line may be.
RESPONSE=$(printf '%s' "$BODY" | curl -sS -X POST "$BASE_URL/v1/ent/$MODEL_ID?serviceTier=$TIER" \
  -H "Authorization: Bearer $TYPESERVE_API_KEY" \
  -H "Content-Type: application/json" \
  --data-binary @- \
  -w '\n%{http_code}')
STATUS="${RESPONSE##*$'\n'}"
ANSWER="${RESPONSE%$'\n'*}"
if [ "$STATUS" -ge 400 ]; then
  # Errors are RFC 9457 problem+json: {type, title, status, detail, code, requestId}.
  echo "Error $STATUS: $ANSWER" >&2
  exit 1
fi
printf '%s\n' "$ANSWER"
