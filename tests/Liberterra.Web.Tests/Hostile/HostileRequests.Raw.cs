using System.Text;

namespace Liberterra.Web.Tests;

/// <summary>Raw HTTP/1.1 requests for a socket: oversized, malformed and invalid UTF-8 ones, and fuzzed copies of valid ones.</summary>
internal static partial class HostileRequests
{
    internal const string UnknownVersion = "an HTTP version Kestrel does not speak";

    private static byte[] Raw(params object[] parts) =>
        [.. parts.SelectMany(part => part as byte[] ?? Encoding.Latin1.GetBytes((string)part))];

    internal static IEnumerable<(string Label, byte[] Bytes, bool ExpectAnswer)> RawCases(string key)
    {
        const string host = "Host: 127.0.0.1\r\n";
        var poisoned = Render(BaseReturn(date: "2026-12-25"));
        var post = $"POST {Drill}/returns HTTP/1.1\r\n{host}X-Api-Key: {key}\r\nContent-Type: application/json\r\n";
        yield return ("a good request", Raw($"GET /health/live HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("request line of 20 KB", Raw($"GET /api/v1/operations?q={new string('a', 20_000)} HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("page request line of 20 KB", Raw($"GET /operations/drill?q={new string('a', 20_000)} HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("header of 40 KB", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X-Pad: {new string('p', 40_000)}\r\n\r\n"), true);
        yield return ("API key of 60 KB", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X-Api-Key: lbt_{new string('K', 60_000)}\r\n\r\n"), true);
        yield return ("cookie of 60 KB", Raw($"GET /operations/drill HTTP/1.1\r\n{host}Cookie: liberterra.auth={new string('c', 60_000)}\r\n\r\n"), true);
        yield return ("200 headers", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}", string.Concat(Enumerable.Range(0, 200).Select(i => $"X-H{i}: v\r\n")), "\r\n"), true);
        yield return ("raw 0xFF 0xFE in the path", Raw("GET /api/v1/operations/", new byte[] { 0xFF, 0xFE }, $" HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("raw overlong '.' in a page path", Raw("GET /operations/", new byte[] { 0xC0, 0xAE, 0xC0, 0xAE }, $"/press HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("percent-encoded invalid UTF-8 in the path", Raw($"GET /api/v1/operations/%FF%FE/totals HTTP/1.1\r\n{host}X-Api-Key: {key}\r\n\r\n"), true);
        yield return ("percent-encoded invalid UTF-8 in a page path", Raw($"GET /operations/%C0%AE%C0%AE/countries/%ED%A0%80 HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("raw invalid UTF-8 in the query", Raw("GET /api/v1/audit?country=", new byte[] { 0xED, 0xA0, 0x80 }, $" HTTP/1.1\r\n{host}X-Api-Key: {key}\r\n\r\n"), true);
        yield return ("percent-encoded invalid UTF-8 in the query", Raw($"GET /api/v1/audit?country=%ED%A0%80&operation=%FF HTTP/1.1\r\n{host}X-Api-Key: {key}\r\n\r\n"), true);
        yield return ("invalid UTF-8 in the API key", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X-Api-Key: lbt_", new byte[] { 0xFF, 0xC3, 0x28 }, "\r\n\r\n"), true);
        yield return ("invalid UTF-8 in a cookie", Raw($"GET /operations/drill HTTP/1.1\r\n{host}Cookie: liberterra.auth=", new byte[] { 0xC3, 0x28, 0xA0 }, "\r\n\r\n"), true);
        yield return ("invalid UTF-8 in Content-Type", Raw(post.Replace("application/json", "application/json; charset=\u00ff\u00fe", StringComparison.Ordinal), $"Content-Length: {poisoned.Length}\r\n\r\n{poisoned}"), true);
        yield return ("NUL in the request line", Raw($"GET /api/v1/\0operations HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("garbage request line", Raw("HELLO THERE\r\n\r\n"), true);
        yield return ("no request target", Raw($"GET HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("lower-case method", Raw($"get /health/live HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("method with a space in it", Raw($"GE T /health/live HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("junk after the version", Raw($"GET /health/live HTTP/1.1junk\r\n{host}\r\n"), true);
        yield return (UnknownVersion, Raw($"GET /health/live HTTP/1.7\r\n{host}\r\n"), true);
        yield return ("no Host in HTTP/1.1", Raw("GET /api/v1/operations HTTP/1.1\r\n\r\n"), true);
        yield return ("two Host headers", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}{host}\r\n"), true);
        yield return ("absolute-form target naming another host", Raw($"GET http://evil.example/api/v1/operations HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("CONNECT", Raw($"CONNECT evil.example:443 HTTP/1.1\r\n{host}\r\n"), true);
        yield return ("header without a colon", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}NoColonHere\r\n\r\n"), true);
        yield return ("header name with a space", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X Api Key: {key}\r\n\r\n"), true);
        yield return ("folded header", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X-Api-Key: lbt_\r\n {key}\r\n\r\n"), true);
        yield return ("bare LF line endings", Raw($"GET /health/live HTTP/1.1\n{host.TrimEnd()}\n\n"), true);
        yield return ("Content-Length and Transfer-Encoding", Raw(post, $"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), true);
        yield return ("two different Content-Lengths", Raw(post, $"Content-Length: 2\r\nContent-Length: 3\r\n\r\n[]"), true);
        yield return ("negative Content-Length", Raw(post, "Content-Length: -5\r\n\r\n"), true);
        yield return ("Content-Length beyond a long", Raw(post, "Content-Length: 99999999999999999999999\r\n\r\n"), true);
        yield return ("unknown transfer coding", Raw(post, "Transfer-Encoding: gzip, identity\r\n\r\n"), true);
        yield return ("bad chunk size", Raw(post, "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"), true);
        yield return ("chunk longer than it says", Raw(post, "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"country\":\"ESP\"}\r\n0\r\n\r\n"), true);
        yield return ("declared 40 MB body on a write", Raw(post, "Content-Length: 40000000\r\n\r\n", poisoned), true);
        yield return ("declared 40 MB batch", Raw(post.Replace("/returns ", "/returns/batch ", StringComparison.Ordinal), "Content-Length: 40000000\r\n\r\n["), true);
        yield return ("declared 40 MB sign-in form", Raw($"POST {DashboardSignIn.SignInPath} HTTP/1.1\r\n{host}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40000000\r\n\r\nEmail=a"), true);
        yield return ("declared 40 MB body on a read", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X-Api-Key: {key}\r\nContent-Length: 40000000\r\n\r\nxx"), true);
        yield return ("6 MB chunked batch", Raw(post.Replace("/returns ", "/returns/batch ", StringComparison.Ordinal), "Transfer-Encoding: chunked\r\n\r\n",
            string.Concat(Enumerable.Repeat($"{64 * 1024:x}\r\n{new string(' ', 64 * 1024)}\r\n", 96)), "0\r\n\r\n"), true);
        yield return ("sign-in form of 3 MB", Raw($"POST {DashboardSignIn.SignInPath} HTTP/1.1\r\n{host}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3000000\r\n\r\nEmail={new string('e', 3_000_000 - 6)}"), true);
        yield return ("a good request, then garbage on the same connection", Raw($"GET /health/live HTTP/1.1\r\n{host}\r\nGARBAGE\0\r\n\r\n"), true);

        // Cut short: the client goes away mid-request, so there is nothing to answer. A request line ends at LF, so one
        // with bare CRs is still unfinished to Kestrel.
        yield return ("bare CR line endings", Raw($"GET /health/live HTTP/1.1\r{host.TrimEnd()}\r\r"), false);
        yield return ("body cut short", Raw(post, $"Content-Length: 1000\r\n\r\n{poisoned[..10]}"), false);
        yield return ("headers cut short", Raw($"GET /api/v1/operations HTTP/1.1\r\n{host}X-Api-Key: lbt_"), false);
        yield return ("chunked body that never ends", Raw(post, "Transfer-Encoding: chunked\r\n\r\n5\r\n[{},{"), false);
        yield return ("nothing at all", [], false);
    }

    /// <summary>A valid-looking request with random bytes changed, dropped or repeated; the answer may be anything but a 5xx.</summary>
    internal static IEnumerable<(string Label, byte[] Bytes, bool ExpectAnswer)> FuzzedRequests(Random random, string key, int count)
    {
        var templates = new[]
        {
            $"GET /api/v1/operations/drill/countries?region=Europe HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {key}\r\nAccept: text/csv\r\n\r\n",
            $"POST {Drill}/returns HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {Render(BaseReturn(date: "2026-12-25")).Length}\r\n\r\n{Render(BaseReturn(date: "2026-12-25"))}",
            "GET /operations/drill/countries/ESP?sort=country&dir=desc HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: liberterra.auth=abc\r\n\r\n",
            "POST /account/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30\r\n\r\nEmail=a%40b.test&Password=wrong",
        };
        for (var i = 0; i < count; i++)
        {
            var bytes = Encoding.Latin1.GetBytes(Pick(random, templates)).ToList();
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes.RemoveAt(at);
                        break;
                    default:
                        bytes.InsertRange(at, Enumerable.Repeat(bytes[at], random.Next(1, 2000)));
                        break;
                }
            }

            yield return ($"fuzzed #{i}", [.. bytes], false);
        }
    }
}
