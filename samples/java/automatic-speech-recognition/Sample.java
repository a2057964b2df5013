// Whisper tiny.en (CTranslate2, int8): call the automatic-speech-recognition model openai/1/whisper-tiny-en on typeserve.
//
// Usage: TYPESERVE_API_KEY=... java Sample.java AUDIO_FILE [--tier gpuflex]
//
// Reads the API key from TYPESERVE_API_KEY; TYPESERVE_URL overrides the server's address.
// Needs Java 11 or later (java.net.http); `java Sample.java` compiles and runs it.

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

public class Sample {
    static final String DEFAULT_BASE_URL = "http://127.0.0.1:8000";
    static final String MODEL_ID = "openai/1/whisper-tiny-en";
    // Constant request fields (options), as a JSON fragment appended to the body object.
    static final String OPTIONS = ", \"language\": \"en\"";

    public static void main(String[] argv) throws Exception {
        String apiKey = System.getenv("TYPESERVE_API_KEY");
        if (apiKey == null || apiKey.isBlank()) {
            fail("Set TYPESERVE_API_KEY to your typeserve API key.");
        }
        String baseUrl = System.getenv().getOrDefault("TYPESERVE_URL", DEFAULT_BASE_URL).replaceAll("/+$", "");
        String tier = "cpuflex";
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--tier") && i + 1 < argv.length) {
                tier = argv[++i];
            } else if (argv[i].startsWith("--tier=")) {
                tier = argv[i].substring("--tier=".length());
            } else {
                args.add(argv[i]);
            }
        }
        String body = buildBody(args);

        // HTTP/1.1: the default would try an h2c upgrade on plain http.
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String url = baseUrl + "/v1/ent/" + MODEL_ID + "?serviceTier=" + URLEncoder.encode(tier, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = null;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException error) {
            fail("Cannot reach " + baseUrl + ": " + error);
        }
        if (response.statusCode() >= 400) {
            // Errors are RFC 9457 problem+json: {type, title, status, detail, code, requestId}.
            fail("Error " + response.statusCode() + ": " + response.body());
        }
        System.out.println(response.body());
    }

    static String buildBody(List<String> args) throws Exception {
        if (args.isEmpty()) {
            fail("Usage: TYPESERVE_API_KEY=... java Sample.java AUDIO_FILE [--tier gpuflex]");
        }
        String encoded = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(args.get(0))));
        return "{\"Bytes\": \"" + encoded + "\"" + OPTIONS + "}";
    }

    // A Java string as a JSON string literal.
    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : value.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }

    static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
