"""Whisper tiny.en (CTranslate2, int8): call the automatic-speech-recognition model openai/1/whisper-tiny-en on typeserve.

Usage: TYPESERVE_API_KEY=... python sample.py AUDIO_FILE [--tier gpuflex]

Reads the API key from TYPESERVE_API_KEY; TYPESERVE_URL overrides the server's address.
Needs the `requests` package (pip install requests).
"""

import base64
import json
import os
import sys

import requests

BASE_URL = os.environ.get("TYPESERVE_URL", "http://127.0.0.1:8000").rstrip("/")
MODEL_ID = "openai/1/whisper-tiny-en"


def parse_args(argv):
    """Split the command line into the service tier and the positional arguments."""
    tier, positional = "cpuflex", []
    args = iter(argv)
    for arg in args:
        if arg == "--tier":
            tier = next(args, tier)
        elif arg.startswith("--tier="):
            tier = arg.split("=", 1)[1]
        else:
            positional.append(arg)
    return tier, positional


OPTIONS = {"language": "en"}


def build_payload(args):
    if not args:
        sys.exit("Usage: " + "TYPESERVE_API_KEY=... python sample.py AUDIO_FILE [--tier gpuflex]")
    with open(args[0], "rb") as audio:
        encoded = base64.b64encode(audio.read()).decode("ascii")
    return {"Bytes": encoded, **OPTIONS}


def main():
    api_key = os.environ.get("TYPESERVE_API_KEY")
    if not api_key:
        sys.exit("Set TYPESERVE_API_KEY to your typeserve API key.")
    tier, args = parse_args(sys.argv[1:])
    payload = build_payload(args)
    try:
        response = requests.post(
            f"{BASE_URL}/v1/ent/{MODEL_ID}",
            params={"serviceTier": tier},
            json=payload,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=120,
        )
    except requests.RequestException as error:
        sys.exit(f"Cannot reach {BASE_URL}: {error}")
    if not response.ok:
        # Errors are RFC 9457 problem+json: {type, title, status, detail, code, requestId}.
        try:
            problem = response.json()
        except ValueError:
            problem = {"code": "http_error", "detail": response.text}
        sys.exit(f"Error {response.status_code} {problem.get('code')}: {problem.get('detail')}")
    print(json.dumps(response.json(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
