// Piper voice en_US-joe-medium: call the text-to-speech model piper/1/en-us-joe-medium on typeserve.
//
// Usage: TYPESERVE_API_KEY=... node sample.mjs [INPUT] [--tier gpuflex]
//
// Reads the API key from TYPESERVE_API_KEY; TYPESERVE_URL overrides the server's address.
// Needs Node.js 18 or later (built-in fetch); no packages.

const BASE_URL = (process.env.TYPESERVE_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
const MODEL_ID = "piper/1/en-us-joe-medium";

// Split the command line into the service tier and the positional arguments.
function parseArgs(argv) {
  let tier = "cpuflex";
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--tier" && i + 1 < argv.length) {
      tier = argv[++i];
    } else if (argv[i].startsWith("--tier=")) {
      tier = argv[i].slice("--tier=".length);
    } else {
      positional.push(argv[i]);
    }
  }
  return { tier, positional };
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

// Fields filled from the command line, in order, and their example values.
const TEXT_FIELDS = [["input", "Go forward ten meters."]];
const OPTIONS = {};

async function buildPayload(args) {
  const payload = {};
  TEXT_FIELDS.forEach(([name, example], i) => {
    payload[name] = i < args.length ? args[i] : example;
  });
  return { ...payload, ...OPTIONS };
}

const apiKey = process.env.TYPESERVE_API_KEY;
if (!apiKey) fail("Set TYPESERVE_API_KEY to your typeserve API key.");
const { tier, positional } = parseArgs(process.argv.slice(2));
const payload = await buildPayload(positional);

const url = `${BASE_URL}/v1/ent/${MODEL_ID}?serviceTier=${encodeURIComponent(tier)}`;
let response;
try {
  response = await fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
} catch (error) {
  fail(`Cannot reach ${BASE_URL}: ${error.cause?.message ?? error.message}`);
}
const text = await response.text();
if (!response.ok) {
  // Errors are RFC 9457 problem+json: {type, title, status, detail, code, requestId}.
  let problem;
  try {
    problem = JSON.parse(text);
  } catch {
    problem = { code: "http_error", detail: text };
  }
  fail(`Error ${response.status} ${problem.code}: ${problem.detail}`);
}
console.log(JSON.stringify(JSON.parse(text), null, 2));
