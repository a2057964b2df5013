// Invokes a typeserve model with java.net.http.HttpClient as a user writes it: every setting left
// at its default (HTTP/2 preferred, which over http:// means an h2c upgrade offer on the request).
// Usage: java DefaultClientInvoke.java <url> <api key> <json body>; prints "<status> <version>" and the body.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class DefaultClientInvoke {
    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 2; attempt++) { // the second request reuses what the first learned
            HttpRequest request = HttpRequest.newBuilder(URI.create(args[0]))
                .header("Authorization", "Bearer " + args[1])
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(args[2]))
                .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.version());
            System.out.println(response.body());
        }
    }
}
