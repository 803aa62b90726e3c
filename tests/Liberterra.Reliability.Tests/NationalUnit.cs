using System.Text.Json;

namespace Liberterra.Reliability.Tests;

/// <summary>
/// One national unit: posts new returns and amendments for days of its own country, one request at a time, each with
/// a unique Idempotency-Key, and keeps a ledger of every 2xx. A write whose outcome is unknown (the server died under
/// it) is in doubt until it is sent again, with the same key and body, and answered.
/// </summary>
internal sealed class NationalUnit(string country, string key, IReadOnlyList<DateOnly> days, Random random)
{
    private readonly List<Write> inDoubt = [];
    private int writes;
    private Exception? lastFailure;

    public string Country => country;

    public string Key => key;

    /// <summary>Every acknowledged version: day, then version, then the figures that version was acknowledged with.</summary>
    public Dictionary<DateOnly, Dictionary<int, Figures>> Ledger { get; } = [];

    /// <summary>Answers that no write here should get: any non-2xx, a version acknowledged twice, figures not as sent.</summary>
    public List<string> Unexpected { get; } = [];

    public int Acknowledged { get; private set; }

    public int InDoubt { get; private set; }

    public int Resolved { get; private set; }

    /// <summary>In-doubt writes whose retry was a replay: the server had committed them before it died.</summary>
    public int ResolvedAsReplay { get; private set; }

    /// <summary>Resolves what the last run left in doubt, then writes until stopped or until the server stops answering.</summary>
    public async Task RunAsync(HttpClient http, Uri baseAddress, CancellationToken stop)
    {
        await ResolveInDoubtAsync(http, baseAddress, stop);
        while (!stop.IsCancellationRequested)
        {
            var day = days[random.Next(days.Count)];
            var idempotencyKey = $"{country}-{++writes}";
            var write = new Write(day, Figures.Random(random, idempotencyKey), idempotencyKey);
            if (await SendAsync(http, baseAddress, write) is null)
            {
                inDoubt.Add(write);
                InDoubt++;
                return;
            }
        }
    }

    /// <summary>
    /// Sends every in-doubt write again, with its own Idempotency-Key, until the server answers it. When stopped (the
    /// server is being killed again), what is left stays in doubt for the next run.
    /// </summary>
    public async Task ResolveInDoubtAsync(HttpClient http, Uri baseAddress, CancellationToken stop = default)
    {
        for (var failures = 0; inDoubt.Count > 0 && !stop.IsCancellationRequested;)
        {
            if (await SendAsync(http, baseAddress, inDoubt[0]) is not { } replayed)
            {
                if (++failures == 50)
                {
                    throw new InvalidOperationException($"{country}: the in-doubt write {inDoubt[0].IdempotencyKey} got no answer in 50 attempts; the last failure: {lastFailure}");
                }

                await Task.Delay(200, CancellationToken.None);
                continue;
            }

            inDoubt.RemoveAt(0);
            Resolved++;
            ResolvedAsReplay += replayed ? 1 : 0;
        }
    }

    /// <summary>Null when the outcome is unknown; otherwise whether the answer was a replay of an earlier commit.</summary>
    private async Task<bool?> SendAsync(HttpClient http, Uri baseAddress, Write write)
    {
        using var request = Api.Request(HttpMethod.Post, baseAddress, $"/api/v1/operations/{Api.Operation}/returns", key, write.Figures.Body(country, write.Day));
        request.Headers.Add("Idempotency-Key", write.IdempotencyKey);
        HttpResponseMessage response;
        try
        {
            // Reads the whole body too, so a response cut off by the kill is in doubt, not half-acknowledged.
            response = await http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            lastFailure = e;
            return null;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var replayed = response.Headers.Contains("Idempotent-Replayed");
            if (!response.IsSuccessStatusCode)
            {
                Unexpected.Add($"{country} {write.Day} {write.IdempotencyKey}: {(int)response.StatusCode} {text}");
                return replayed;
            }

            var stored = JsonDocument.Parse(text).RootElement;
            var version = stored.GetProperty("version").GetInt32();
            if (Figures.Read(stored) != write.Figures)
            {
                Unexpected.Add($"{country} {write.Day} {write.IdempotencyKey}: version {version} was acknowledged with other figures than sent: {text}");
            }

            var versions = Ledger.TryGetValue(write.Day, out var known) ? known : Ledger[write.Day] = [];
            if (!versions.TryAdd(version, write.Figures))
            {
                Unexpected.Add($"{country} {write.Day}: version {version} acknowledged for {write.IdempotencyKey} and before for {versions[version].Notes}");
            }

            Acknowledged++;
            return replayed;
        }
    }

    private sealed record Write(DateOnly Day, Figures Figures, string IdempotencyKey);
}
