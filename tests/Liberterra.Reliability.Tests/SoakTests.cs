using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Liberterra.Web.Tests;

namespace Liberterra.Reliability.Tests;

/// <summary>
/// A bounded soak of mixed reads and writes against the built app as a separate process: no errors, and resident
/// memory at the end within 20% of its value after the warm-up. The dashboard pages are left out: in Production they
/// need a signed-in session; the API's CSV export stands in for the analysts' downloads.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int CountryCount = 8;
    private const double MaxRssGrowth = 1.2;

    // Resident memory rises and falls with every garbage collection under load, so one reading is a point on a saw
    // tooth; a phase's memory is the mean of readings every 250 ms over its last seconds.
    private static readonly TimeSpan RssWindow = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task MixedTrafficGetsNoErrorsAndResidentMemoryStaysFlat()
    {
        // Long enough for the GC heaps to reach their working size, so the comparison measures growth, not start-up.
        var warmUp = TimeSpan.FromSeconds(15);
        var run = ReliabilityRun.Current;
        var soak = TimeSpan.FromSeconds(run.Count(10, 60));
        var seed = run.Seed;
        run.Announce(output);
        using var database = new TestDatabase();
        using var app = new AppProcess(database);
        var admin = await app.IssueKeyAsync("admin");
        var analyst = await app.IssueKeyAsync("analyst");
        var keys = await Api.IssueCountryKeysAsync(app, Api.Countries(CountryCount));
        using var http = Api.NewClient();
        await app.StartAsync();
        await Api.CreateOperationAsync(http, app.BaseAddress, admin, keys.Keys);
        var countries = keys.Keys.Order(StringComparer.Ordinal).ToList();
        // Two workers per country, on alternate days, so each knows which returns exist without asking.
        var workers = Enumerable.Range(0, Workers).Select(i => new Worker(
            countries[i % CountryCount], keys[countries[i % CountryCount]], analyst,
            [.. Enumerable.Range(0, Api.WindowDays).Where(d => d % 2 == i / CountryCount).Select(d => Api.FirstDay.AddDays(d))],
            new Random(seed + i))).ToList();

        var warm = await RunAsync(http, app, workers, warmUp);
        var measured = await RunAsync(http, app, workers, soak);
        var (rssWarm, rssEnd) = (warm.Rss, measured.Rss);

        var latencies = measured.Latencies.Order().ToList();
        var errors = warm.Errors.Concat(measured.Errors).ToList();
        output.WriteLine($"RELIABILITY soak provider={TestDatabase.Provider} seconds={soak.TotalSeconds:0} clients={Workers} requests={latencies.Count} errors={errors.Count} p50_ms={Percentile(latencies, 0.50):0.0} p99_ms={Percentile(latencies, 0.99):0.0} rss_warm_mb={rssWarm:0.0} rss_end_mb={rssEnd:0.0} rss_ratio={rssEnd / rssWarm:0.00} seed={seed}");

        errors.Should().BeEmpty("every request of the soak is one the app should answer with 2xx");
        latencies.Should().NotBeEmpty();
        rssEnd.Should().BeLessThanOrEqualTo(rssWarm * MaxRssGrowth, "resident memory stays flat under sustained load");
    }

    /// <summary>
    /// Every worker sends requests one after another until the time is up or the run's request budget is spent, while
    /// the app's resident memory is read over the last <see cref="RssWindow"/>.
    /// </summary>
    private static async Task<(ConcurrentBag<double> Latencies, ConcurrentBag<string> Errors, double Rss)> RunAsync(HttpClient http, AppProcess app, List<Worker> workers, TimeSpan duration)
    {
        var baseAddress = app.BaseAddress;
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentBag<string>();
        // A bound in count as well as time: far more than two cores can serve in the time.
        var budget = (long)duration.TotalSeconds * 10_000;
        var deadline = Stopwatch.StartNew();
        var rss = new List<double>();
        var sampling = Task.Run(async () =>
        {
            for (; deadline.Elapsed < duration; await Task.Delay(250))
            {
                if (deadline.Elapsed >= duration - RssWindow)
                {
                    rss.Add(app.RssMegabytes);
                }
            }
        });
        await Task.WhenAll(workers.Select(async worker =>
        {
            while (deadline.Elapsed < duration && Interlocked.Decrement(ref budget) >= 0)
            {
                using var request = worker.NextRequest(baseAddress);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors.Add($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    errors.Add($"{request.Method} {request.RequestUri}: {e.Message}");
                }
            }
        }));
        await sampling;
        return (latencies, errors, rss.Average());
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

    /// <summary>One client of the soak: a national unit's writes and reads of its own returns, and an analyst's roll-ups.</summary>
    private sealed class Worker(string country, string countryKey, string analystKey, IReadOnlyList<DateOnly> days, Random random)
    {
        private readonly List<DateOnly> written = [];
        private int writes;

        public HttpRequestMessage NextRequest(Uri baseAddress)
        {
            const string operation = $"/api/v1/operations/{Api.Operation}";
            var roll = random.Next(100);
            if (roll < 35 || written.Count == 0)
            {
                var day = days[random.Next(days.Count)];
                if (!written.Contains(day))
                {
                    written.Add(day);
                }

                var key = $"soak-{country}-{day:yyyyMMdd}-{++writes}-{random.Next()}";
                var request = Api.Request(HttpMethod.Post, baseAddress, $"{operation}/returns", countryKey, Figures.Random(random, key).Body(country, day));
                request.Headers.Add("Idempotency-Key", key);
                return request;
            }

            var known = written[random.Next(written.Count)];
            return roll switch
            {
                < 50 => Api.Request(HttpMethod.Get, baseAddress, $"{operation}/totals", analystKey),
                < 60 => Api.Request(HttpMethod.Get, baseAddress, $"{operation}/countries", analystKey),
                < 65 => Csv(Api.Request(HttpMethod.Get, baseAddress, $"{operation}/countries", analystKey)),
                < 75 => Api.Request(HttpMethod.Get, baseAddress, $"{operation}/timeline", analystKey),
                < 85 => Api.Request(HttpMethod.Get, baseAddress, $"{operation}/returns?country={country}", countryKey),
                < 95 => Api.Request(HttpMethod.Get, baseAddress, $"{operation}/returns/{country}/{known:yyyy-MM-dd}", countryKey),
                _ => Api.Request(HttpMethod.Get, baseAddress, $"{operation}/returns/{country}/{known:yyyy-MM-dd}/history", countryKey),
            };
        }

        private static HttpRequestMessage Csv(HttpRequestMessage request)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            return request;
        }
    }
}
