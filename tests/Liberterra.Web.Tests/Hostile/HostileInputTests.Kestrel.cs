using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions.Execution;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.HostileRequests;

namespace Liberterra.Web.Tests;

/// <summary>
/// What the in-memory test server cannot show: Kestrel's own limits and parser. Raw bytes over a socket to the real app on
/// 127.0.0.1: oversized bodies, headers and request lines, invalid UTF-8 in the path, query and headers, and malformed
/// HTTP. Kestrel's 400, 413, 414 and 431 are right answers; a 5xx, or a server that stops answering, is not.
/// </summary>
public sealed partial class HostileInputTests
{
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MalformedOversizedAndInvalidUtf8RawRequestsToKestrelGetNo5xxAndTheServerKeepsAnswering()
    {
        var run = ReliabilityRun.Current;
        using var app = LiberterraApp.Production();
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        var key = (await PrepareAsync(app))[Admin];
        using var admin = app.ClientWithKey(key);
        var before = await SnapshotAsync(app, admin);

        var cases = RawCases(key).Concat(FuzzedRequests(new Random(run.Seed), key, run.Count(300, 5000))).ToList();
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var serverErrors = new List<string>();
        var unanswered = new List<string>();
        var wrongVersion = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (probe, _) =>
        {
            var status = await SendRawAsync(address.Port, probe.Bytes, probe.ExpectAnswer ? SocketTimeout : TimeSpan.FromSeconds(1.5));
            var shown = status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed";
            lock (statuses)
            {
                statuses[shown] = statuses.GetValueOrDefault(shown) + 1;

                // 505 is Kestrel's protocol answer to an HTTP version it does not speak (HTTP/1.7, or one a fuzzed byte
                // made): the request never reaches the app. The app itself must answer nothing with a 5xx.
                if (status == 505 && (probe.Label == UnknownVersion || probe.Label.StartsWith("fuzzed", StringComparison.Ordinal)))
                {
                    wrongVersion++;
                }
                else if (status >= 500)
                {
                    serverErrors.Add($"{probe.Label}: {shown}");
                }
                else if (status is null && probe.ExpectAnswer)
                {
                    unanswered.Add(probe.Label);
                }
            }
        });

        using var live = await admin.GetAsync("/health/live");
        output.WriteLine($"RELIABILITY hostile-kestrel provider={app.Database.Engine} form={run.Form} requests={cases.Count} 5xx={serverErrors.Count} "
            + $"unanswered={unanswered.Count} kestrel505={wrongVersion} seed={run.Seed}");
        output.WriteLine("statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        serverErrors.Concat(unanswered.Select(label => label + ": no answer")).ToList().ForEach(output.WriteLine);

        using var scope = new AssertionScope();
        serverErrors.Should().BeEmpty("Kestrel's own 4xx answers are fine; a 5xx is not");
        unanswered.Should().BeEmpty("a complete request, however malformed, gets an answer");
        live.StatusCode.Should().Be(HttpStatusCode.OK, "the server is still up");
        var after = await SnapshotAsync(app, admin);
        foreach (var (name, text) in before)
        {
            after[name].Should().Be(text, $"{name} must be unchanged");
        }
    }

    /// <summary>
    /// Sends the bytes and reads the status of the first answer; null if the server closed without one. A client's FIN
    /// aborts the request in Kestrel, so the sending side is closed only when no answer has come within
    /// <paramref name="patience"/>, as a client that went away would: the server must then close the connection.
    /// </summary>
    private static async Task<int?> SendRawAsync(int port, byte[] bytes, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(SocketTimeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var received = new List<byte>();
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            if (!socket.Poll(patience, SelectMode.SelectRead))
            {
                socket.Shutdown(SocketShutdown.Send);
            }

            var buffer = new byte[4096];
            int read;
            while (received.Count < 64 && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (SocketException)
        {
            // The server refused the rest of an oversized request and reset the connection: what arrived is judged below.
        }
        catch (OperationCanceledException)
        {
            // Still waiting after the timeout: judged as no answer below.
        }

        var head = Encoding.ASCII.GetString([.. received]);
        return head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var status) ? status : null;
    }

}
