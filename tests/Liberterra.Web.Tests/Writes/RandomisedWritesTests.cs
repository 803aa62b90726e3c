using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FluentAssertions.Execution;
using Liberterra.Web.Caching;
using Liberterra.Web.Writes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// A seeded random sequence of writes — creates, amendments, identical resends (formatted differently), idempotent
/// retries and replays, reused Idempotency-Keys, If-Match, invalid bodies, other countries' keys, mixed granularity,
/// finalize/reopen, and JSON and CSV batches (atomic, non-atomic and dry runs) — by national units and an admin, over
/// three countries × five days plus one whole-operation country. Every response is checked against a model the test
/// keeps from what it sent; afterwards the totals, the country table and the timeline must equal both what the
/// current returns (GET .../returns) add up to and what the model adds up to.
/// </summary>
public sealed class RandomisedWritesTests(ITestOutputHelper output)
{
    private const int Seed = 424_242;
    private const int WritesWanted = 340;
    private const string Op = "/api/v1/operations/rand";
    private const string Admin = "admin";
    private const string Whole = "all";
    private const string WholeCountry = "ITA";
    private const string SilentCountry = "MAR";

    private static readonly string[] DailyCountries = ["ESP", "FRA", "SEN"];
    private static readonly string[] Days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];

    /// <summary>Metric names in the API's (and the aggregation's) order; index 12, officers deployed, is the one stock.</summary>
    private static readonly string[] Metrics =
    [
        "arrests", "arrestsTraffickingSmuggling", "victimsSafeguarded", "victimsMinors",
        "victimsByExploitation.sexual", "victimsByExploitation.forcedLabour", "victimsByExploitation.forcedCriminality",
        "victimsByExploitation.domesticServitude", "victimsByExploitation.organRemoval", "victimsByExploitation.other",
        "irregularMigrants", "investigationsOpened", "officersDeployed",
    ];

    private const int Officers = 12;

    private static readonly (string Country, string Period)[] Slots =
        [.. DailyCountries.SelectMany(c => Days.Select(d => (c, d))), (WholeCountry, Whole)];

    private readonly Dictionary<(string Country, string Period), Stored> model = [];
    private readonly Dictionary<string, HttpClient> clients = new(StringComparer.Ordinal);
    private readonly List<Replayable> replayable = [];
    private readonly Random random = new(Seed);
    private int writes;
    private int step;

    [Fact]
    public async Task ARandomisedSequenceOfWritesLeavesTotalsEqualToTheSumOfTheCurrentVersions()
    {
        using var app = LiberterraApp.Production();
        var units = DailyCountries.Append(WholeCountry).ToList();
        var drill = await ApiDrill.CreateAsync(app, "rand", units, participants: [.. units, "MAR"]);
        clients[Admin] = drill.Admin;
        foreach (var country in units)
        {
            clients[country] = drill.Unit(country);
        }

        try
        {
            // Nothing reported yet: every figure is null, not zero.
            await CheckAggregatesAsync();

            // Each country starts with one return, so that a return of the other granularity is always a conflict.
            foreach (var slot in new[] { ("ESP", Days[0]), ("FRA", Days[1]), ("SEN", Days[2]), (WholeCountry, Whole) })
            {
                await WriteAsync(slot, RandomMetrics(), RandomNotes(), slot.Item1);
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            while (writes < WritesWanted)
            {
                step++;
                var action = random.Next(100) switch
                {
                    < 30 => "write",
                    < 40 => "resend",
                    < 50 => "idempotent",
                    < 54 => "replay",
                    < 62 => "if-match",
                    < 74 => "invalid",
                    < 92 => "batch",
                    < 94 => "finalized",
                    _ => "write-admin",
                };
                counts[action] = counts.GetValueOrDefault(action) + 1;
                await (action switch
                {
                    "write" => WriteAsync(PickSlot(), RandomMetrics(), RandomNotes(), null),
                    "write-admin" => WriteAsync(PickSlot(), RandomMetrics(), RandomNotes(), Admin),
                    "resend" => ResendAsync(),
                    "idempotent" => IdempotentAsync(),
                    "replay" => ReplayAsync(),
                    "if-match" => IfMatchAsync(),
                    "invalid" => InvalidAsync(),
                    "batch" => BatchAsync(),
                    _ => FinalizedAsync(),
                });

                if (step % 100 == 0)
                {
                    await CheckAggregatesAsync();
                }
            }

            output.WriteLine($"{writes} writes in {step} steps: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}; {model.Count} returns");
            await CheckAggregatesAsync();
            await CheckHistoriesAsync();

            // The roll-up computed afresh from the database says the same as the one served from the cache.
            var served = await GetAsync($"{Op}/totals");
            app.Services.GetRequiredService<AggregateCache>().Invalidate("rand");
            (await GetAsync($"{Op}/totals")).Should().Be(served);
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Actions
    // -----------------------------------------------------------------------------------------------------------------

    /// <summary>A create or an amendment (or, by chance, an identical body) of one slot, by its national unit or an admin.</summary>
    private async Task WriteAsync((string Country, string Period) slot, int?[] metrics, string? notes, string? caller)
    {
        caller ??= random.Next(2) == 0 ? Admin : slot.Country;
        var body = RenderJson(slot, metrics, notes);
        var response = await SendAsync(caller, HttpMethod.Post, $"{Op}/returns", body, "application/json");
        ExpectAccepted(slot, metrics, notes, response, $"write {Describe(slot)} by {caller}");
    }

    /// <summary>The current content of a return again, formatted differently: 200, same version, nothing written.</summary>
    private async Task ResendAsync()
    {
        var slot = PickExisting();
        var current = model[slot];
        var response = await SendAsync(random.Next(2) == 0 ? Admin : slot.Country, HttpMethod.Post, $"{Op}/returns",
            RenderJson(slot, current.Metrics, current.Notes), "application/json");
        response.Status.Should().Be(HttpStatusCode.OK, $"step {step}: an identical resend of {Describe(slot)}: {response.Raw}");
        Body(response).GetProperty("version").GetInt32().Should().Be(current.Version, $"step {step}: a resend writes nothing");
        writes++;
    }

    /// <summary>A write with a new Idempotency-Key, its exact retry (a replay), and sometimes the same key with a different body (422).</summary>
    private async Task IdempotentAsync()
    {
        var slot = PickSlot();
        var caller = random.Next(2) == 0 ? Admin : slot.Country;
        var key = $"idem-{step}-{random.Next():x}";
        var metrics = RandomMetrics();
        var notes = RandomNotes();
        var body = RenderJson(slot, metrics, notes);
        var first = await SendAsync(caller, HttpMethod.Post, $"{Op}/returns", body, "application/json", ("Idempotency-Key", key));
        ExpectAccepted(slot, metrics, notes, first, $"idempotent write {Describe(slot)}");
        replayable.Add(new Replayable(caller, key, body, first));

        var retry = await SendAsync(caller, HttpMethod.Post, $"{Op}/returns", body, "application/json", ("Idempotency-Key", key));
        ExpectReplay(first, retry);

        if (random.Next(3) == 0)
        {
            var other = RenderJson(slot, RandomMetrics(), "a different body");
            var reused = await SendAsync(caller, HttpMethod.Post, $"{Op}/returns", other, "application/json", ("Idempotency-Key", key));
            reused.Status.Should().Be((HttpStatusCode)422, $"step {step}: an Idempotency-Key reused with another body: {reused.Raw}");
            writes++;
        }
    }

    /// <summary>An old Idempotency-Key retried much later replays its first response even though the return moved on, and writes nothing.</summary>
    private async Task ReplayAsync()
    {
        if (replayable.Count == 0)
        {
            await WriteAsync(PickSlot(), RandomMetrics(), RandomNotes(), null);
            return;
        }

        var old = replayable[random.Next(replayable.Count)];
        var retry = await SendAsync(old.Caller, HttpMethod.Post, $"{Op}/returns", old.Body, "application/json", ("Idempotency-Key", old.Key));
        ExpectReplay(old.First, retry);
    }

    /// <summary>If-Match with the current version goes through; with a stale one it is a 412 and nothing is written.</summary>
    private async Task IfMatchAsync()
    {
        var slot = PickExisting();
        var current = model[slot];
        var metrics = RandomMetrics();
        var notes = RandomNotes();
        var body = RenderJson(slot, metrics, notes);
        if (random.Next(2) == 0)
        {
            var response = await SendAsync(slot.Country, HttpMethod.Post, $"{Op}/returns", body, "application/json", ("If-Match", $"\"{current.Version}\""));
            ExpectAccepted(slot, metrics, notes, response, $"If-Match current {Describe(slot)}");
        }
        else
        {
            var stale = current.Version == 1 ? 7 : current.Version - 1;
            var response = await SendAsync(slot.Country, HttpMethod.Post, $"{Op}/returns", body, "application/json", ("If-Match", $"\"{stale}\""));
            response.Status.Should().Be(HttpStatusCode.PreconditionFailed, $"step {step}: stale If-Match on {Describe(slot)}: {response.Raw}");
            writes++;
        }
    }

    /// <summary>A write the API must refuse, whose refusal must change nothing.</summary>
    private async Task InvalidAsync()
    {
        var slot = PickSlot();
        var metrics = RandomMetrics();
        var (caller, body, expected, name) = InvalidVariant(slot, metrics);
        var response = await SendAsync(caller, HttpMethod.Post, $"{Op}/returns", body, "application/json");
        ((int)response.Status).Should().Be(expected, $"step {step}: {name}: {response.Raw}");
        response.MediaType.Should().Be("application/problem+json");
        writes++;
    }

    private (string Caller, string Body, int Expected, string Name) InvalidVariant((string Country, string Period) slot, int?[] metrics)
    {
        var invalid = (int?[])metrics.Clone();
        switch (random.Next(8))
        {
            case 0:
                invalid[0] = -random.Next(1, 9);
                invalid[1] = null;
                return (Admin, RenderJson(slot, invalid, null), 400, "negative arrests");
            case 1:
                invalid[0] = random.Next(0, 5);
                invalid[1] = invalid[0] + random.Next(1, 5);
                return (slot.Country, RenderJson(slot, invalid, null), 400, "a subtotal above its total");
            case 2:
                return (Admin, RenderJson((slot.Country, "2026-11-06"), metrics, null), 400, "a day after the window");
            case 3:
                var other = DailyCountries.Append(WholeCountry).First(c => c != slot.Country);
                return (other, RenderJson(slot, metrics, null), 403, "another country's key");
            case 4:
                var mixed = slot.Country == WholeCountry ? (WholeCountry, Days[random.Next(Days.Length)]) : (slot.Country, Whole);
                return (Admin, RenderJson(mixed, metrics, null), 409, "mixing daily and whole-operation returns");
            case 5:
                var json = RenderJson(slot, metrics, null);
                return (Admin, json.Insert(1, "\"arest\":1,"), 400, "an unknown field");
            case 6:
                return (Admin, RenderJson(("DEU", slot.Period), metrics, null), 400, "a country that does not take part");
            default:
                invalid[2] = random.Next(0, 4);
                invalid[3] = invalid[2] + 1;
                return (slot.Country, RenderJson(slot, invalid, null), 400, "more minors than victims");
        }
    }

    /// <summary>While the operation is final every write is a 409 and changes nothing; reopened, it takes returns again.</summary>
    private async Task FinalizedAsync()
    {
        (await SendAsync(Admin, HttpMethod.Post, $"{Op}/finalize", null, null)).Status.Should().Be(HttpStatusCode.OK);
        var slot = PickSlot();
        var response = await SendAsync(slot.Country, HttpMethod.Post, $"{Op}/returns", RenderJson(slot, RandomMetrics(), RandomNotes()), "application/json");
        response.Status.Should().Be(HttpStatusCode.Conflict, $"step {step}: a write to a final operation: {response.Raw}");
        var batch = await SendAsync(Admin, HttpMethod.Post, $"{Op}/returns/batch", "[" + RenderJson(slot, RandomMetrics(), null) + "]", "application/json");
        batch.Status.Should().Be(HttpStatusCode.Conflict, $"step {step}: a batch to a final operation: {batch.Raw}");
        (await SendAsync(Admin, HttpMethod.Post, $"{Op}/reopen", null, null)).Status.Should().Be(HttpStatusCode.OK);
        writes += 4;
    }

    /// <summary>A JSON or CSV batch over distinct slots: all valid, or with invalid rows, atomic or not, or a dry run.</summary>
    private async Task BatchAsync()
    {
        var nationalUnit = random.Next(3) == 0;
        var caller = nationalUnit ? Pick(DailyCountries) : Admin;
        var candidates = nationalUnit ? Slots.Where(s => s.Country == caller).ToList() : [.. Slots];
        var slots = candidates.OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
        var rows = slots.Select(slot => new BatchRow(slot, RandomMetrics(), RandomNotes(), null)).ToList();
        var mode = random.Next(10) switch
        {
            < 4 => "valid",
            < 6 => "atomic with an invalid row",
            < 9 => "atomic=false with invalid rows",
            _ => "dry run",
        };
        if (mode is "atomic with an invalid row" or "atomic=false with invalid rows")
        {
            for (var i = 0; i < random.Next(1, 3); i++)
            {
                var slot = Pick(candidates);
                var metrics = RandomMetrics();
                var (invalidSlot, invalidMetrics, why) = random.Next(nationalUnit ? 3 : 5) switch
                {
                    0 => (slot, metrics.Select((v, index) => index == 0 ? -1 : index == 1 ? null : v).ToArray(), "negative arrests"),
                    1 => ((slot.Country, "2026-10-31"), metrics, "before the window"),
                    2 => (slot.Country == WholeCountry ? (WholeCountry, Days[0]) : (slot.Country, Whole), metrics, "mixed granularity"),
                    3 => (("DEU", Days[0]), metrics, "not a participant"),
                    _ => (slot, metrics.Select((v, index) => index == 1 ? (metrics[0] ?? 0) + 1 : index == 0 ? metrics[0] ?? 0 : v).ToArray(), "subtotal above total"),
                };
                rows.Insert(random.Next(rows.Count + 1), new BatchRow(invalidSlot, invalidMetrics, null, why));
            }
        }

        var csv = random.Next(2) == 0;
        var body = csv ? RenderCsv(rows) : "[" + string.Join(",", rows.Select(r => RenderJson(r.Slot, r.Metrics, r.Notes))) + "]";
        var query = mode switch
        {
            "atomic=false with invalid rows" => "?atomic=false",
            "dry run" => "?dryRun=true",
            _ => string.Empty,
        };
        var response = await SendAsync(caller, HttpMethod.Post, $"{Op}/returns/batch{query}", body, csv ? "text/csv" : "application/json");
        writes++;
        var context = $"step {step}: {(csv ? "CSV" : "JSON")} batch ({mode}) by {caller}: {body}\n-> {response.Raw}";

        if (mode == "atomic with an invalid row")
        {
            response.Status.Should().Be(HttpStatusCode.BadRequest, context);
            return;
        }

        response.Status.Should().Be(HttpStatusCode.OK, context);
        var summary = Body(response);
        int created = 0, updated = 0, unchanged = 0;
        var apply = new List<BatchRow>();
        foreach (var row in rows.Where(r => r.Invalid is null))
        {
            if (!model.TryGetValue(row.Slot, out var current))
            {
                created++;
            }
            else if (current.Metrics.SequenceEqual(row.Metrics) && current.Notes == row.Notes)
            {
                unchanged++;
            }
            else
            {
                updated++;
            }

            apply.Add(row);
        }

        summary.GetProperty("created").GetInt32().Should().Be(created, context);
        summary.GetProperty("updated").GetInt32().Should().Be(updated, context);
        summary.GetProperty("unchanged").GetInt32().Should().Be(unchanged, context);
        summary.GetProperty("rejected").GetInt32().Should().Be(rows.Count(r => r.Invalid is not null), context);
        if (mode == "dry run")
        {
            summary.GetProperty("committed").GetBoolean().Should().BeFalse(context);
            return;
        }

        foreach (var row in apply)
        {
            Apply(row.Slot, row.Metrics, row.Notes);
        }
    }

    // -----------------------------------------------------------------------------------------------------------------
    // The model
    // -----------------------------------------------------------------------------------------------------------------

    private sealed record Stored(int?[] Metrics, string? Notes, int Version);

    private sealed record BatchRow((string Country, string Period) Slot, int?[] Metrics, string? Notes, string? Invalid);

    private sealed record Replayable(string Caller, string Key, string Body, Response First);

    private sealed record Response(HttpStatusCode Status, string? MediaType, string? Location, string? ETag, bool Replayed, string Raw);

    /// <summary>What a valid write does to the model: returns the status and version the API must answer with.</summary>
    private (HttpStatusCode Status, int Version) Apply((string Country, string Period) slot, int?[] metrics, string? notes)
    {
        if (!model.TryGetValue(slot, out var current))
        {
            model[slot] = new Stored(metrics, notes, 1);
            return (HttpStatusCode.Created, 1);
        }

        if (current.Metrics.SequenceEqual(metrics) && current.Notes == notes)
        {
            return (HttpStatusCode.OK, current.Version);
        }

        model[slot] = new Stored(metrics, notes, current.Version + 1);
        return (HttpStatusCode.OK, current.Version + 1);
    }

    private void ExpectAccepted((string Country, string Period) slot, int?[] metrics, string? notes, Response response, string what)
    {
        var (status, version) = Apply(slot, metrics, notes);
        writes++;
        var context = $"step {step}: {what}: {response.Raw}";
        response.Status.Should().Be(status, context);
        var body = Body(response);
        body.GetProperty("version").GetInt32().Should().Be(version, context);
        body.GetProperty("country").GetString().Should().Be(slot.Country, context);
        body.GetProperty("date").GetString().Should().Be(slot.Period == Whole ? null : slot.Period, context);
        ReadMetrics(body).Should().Equal(metrics.Select(v => (long?)v), context);
        body.GetProperty("notes").GetString().Should().Be(notes, context);
        response.ETag.Should().Be($"\"{version}\"", context);
        if (status == HttpStatusCode.Created)
        {
            response.Location.Should().Be($"{Op}/returns/{slot.Country}/{slot.Period}", context);
        }
    }

    private void ExpectReplay(Response first, Response retry)
    {
        writes++;
        var context = $"step {step}: an idempotent retry: {retry.Raw}";
        retry.Status.Should().Be(first.Status, context);
        retry.Raw.Should().Be(first.Raw, context);
        retry.ETag.Should().Be(first.ETag, context);
        retry.Location.Should().Be(first.Location, context);
        retry.Replayed.Should().BeTrue(context);
    }

    // -----------------------------------------------------------------------------------------------------------------
    // The checks
    // -----------------------------------------------------------------------------------------------------------------

    /// <summary>The current returns equal the model; totals, countries and timeline equal what both add up to.</summary>
    private async Task CheckAggregatesAsync()
    {
        var listed = JsonDocument.Parse(await GetAsync($"{Op}/returns")).RootElement.GetProperty("returns").EnumerateArray()
            .ToDictionary(r => (r.GetProperty("country").GetString()!, r.GetProperty("date").GetString() ?? Whole),
                r => (Metrics: ReadMetrics(r), Notes: r.GetProperty("notes").GetString(), Version: r.GetProperty("version").GetInt32()));

        using var scope = new AssertionScope($"after step {step}");
        listed.Keys.Should().BeEquivalentTo(model.Keys, "the listed returns are the ones the model holds");
        foreach (var (slot, stored) in model)
        {
            if (listed.TryGetValue(slot, out var current))
            {
                current.Metrics.Should().Equal(stored.Metrics.Select(v => (long?)v), Describe(slot));
                current.Notes.Should().Be(stored.Notes, Describe(slot));
                current.Version.Should().Be(stored.Version, Describe(slot));
            }
        }

        var fromListed = Expected.From(listed.Select(pair => (pair.Key, pair.Value.Metrics)));
        var fromModel = Expected.From(model.Select(pair => (pair.Key, pair.Value.Metrics.Select(v => (long?)v).ToArray())));

        var totals = JsonDocument.Parse(await GetAsync($"{Op}/totals")).RootElement;
        var countries = JsonDocument.Parse(await GetAsync($"{Op}/countries")).RootElement.GetProperty("countries").EnumerateArray()
            .ToDictionary(c => c.GetProperty("country").GetString()!);
        var timeline = JsonDocument.Parse(await GetAsync($"{Op}/timeline")).RootElement;

        foreach (var (expected, source) in new[] { (fromListed, "the current returns"), (fromModel, "the model") })
        {
            ReadMetrics(totals).Should().Equal(expected.Totals, $"totals = {source}");
            for (var m = 0; m < Metrics.Length; m++)
            {
                totals.GetProperty("reportedBy").GetProperty(Metrics[m]).GetInt32().Should().Be(expected.ReportedBy[m], $"totals.reportedBy.{Metrics[m]} = {source}");
            }

            totals.GetProperty("countriesReporting").GetInt32().Should().Be(expected.CountriesReporting, $"countriesReporting = {source}");
            totals.GetProperty("countriesParticipating").GetInt32().Should().Be(5);

            countries.Keys.Should().BeEquivalentTo(DailyCountries.Append(WholeCountry).Append(SilentCountry));
            foreach (var country in countries.Keys)
            {
                ReadMetrics(countries[country]).Should().Equal(expected.ByCountry.GetValueOrDefault(country) ?? new long?[Metrics.Length], $"{country}'s row = {source}");
            }

            var days = timeline.GetProperty("days").EnumerateArray().ToList();
            days.Select(d => d.GetProperty("date").GetString()).Should().Equal(Days);
            foreach (var day in days)
            {
                var date = day.GetProperty("date").GetString()!;
                var (figures, reporting) = expected.ByDay.GetValueOrDefault(date, (new long?[Metrics.Length], 0));
                ReadMetrics(day).Should().Equal(figures, $"timeline {date} = {source}");
                day.GetProperty("countriesReporting").GetInt32().Should().Be(reporting, $"timeline {date} countriesReporting = {source}");
            }

            var whole = timeline.GetProperty("wholeOperation");
            if (expected.Whole is { } wholeExpected)
            {
                whole.ValueKind.Should().Be(JsonValueKind.Object, $"timeline.wholeOperation = {source}");
                if (whole.ValueKind == JsonValueKind.Object)
                {
                    ReadMetrics(whole).Should().Equal(wholeExpected.Figures, $"timeline.wholeOperation = {source}");
                    whole.GetProperty("countriesReporting").GetInt32().Should().Be(wholeExpected.Reporting);
                }
            }
            else
            {
                whole.ValueKind.Should().Be(JsonValueKind.Null, $"no whole-operation returns yet ({source})");
            }
        }
    }

    /// <summary>Each return's history runs 1..version without gaps, and its last version is the current return.</summary>
    private async Task CheckHistoriesAsync()
    {
        using var scope = new AssertionScope("histories");
        foreach (var (slot, stored) in model)
        {
            var versions = JsonDocument.Parse(await GetAsync($"{Op}/returns/{slot.Country}/{slot.Period}/history")).RootElement
                .GetProperty("versions").EnumerateArray().ToList();
            versions.Select(v => v.GetProperty("version").GetInt32()).Should().Equal(Enumerable.Range(1, stored.Version), Describe(slot));
            ReadMetrics(versions[^1]).Should().Equal(stored.Metrics.Select(v => (long?)v), Describe(slot));
            versions[^1].GetProperty("notes").GetString().Should().Be(stored.Notes, Describe(slot));
        }
    }

    /// <summary>
    /// The roll-up rules, computed independently: per country, flows summed over its periods and officers deployed
    /// as its highest level; then countries summed. A day sums its returns (officers included); null means nobody reported.
    /// </summary>
    private sealed record Expected(
        long?[] Totals, int[] ReportedBy, int CountriesReporting, Dictionary<string, long?[]> ByCountry,
        Dictionary<string, (long?[] Figures, int Reporting)> ByDay, (long?[] Figures, int Reporting)? Whole)
    {
        public static Expected From(IEnumerable<((string Country, string Period) Slot, long?[] Metrics)> returns)
        {
            var list = returns.ToList();
            var byCountry = list.GroupBy(r => r.Slot.Country).ToDictionary(g => g.Key, g =>
            {
                var figures = new long?[Metrics.Length];
                foreach (var (_, metrics) in g)
                {
                    for (var m = 0; m < Metrics.Length; m++)
                    {
                        if (metrics[m] is { } value)
                        {
                            figures[m] = m == Officers ? Math.Max(figures[m] ?? value, value) : (figures[m] ?? 0) + value;
                        }
                    }
                }

                return figures;
            }, StringComparer.Ordinal);

            var totals = Sum(byCountry.Values);
            var reportedBy = Enumerable.Range(0, Metrics.Length).Select(m => byCountry.Values.Count(c => c[m] is not null)).ToArray();
            var reporting = byCountry.Values.Count(c => c.Any(v => v is not null));
            var byDay = list.Where(r => r.Slot.Period != RandomisedWritesTests.Whole).GroupBy(r => r.Slot.Period)
                .ToDictionary(g => g.Key, g => (Sum(g.Select(r => r.Metrics)), g.Count(r => r.Metrics.Any(v => v is not null))), StringComparer.Ordinal);
            var whole = list.Where(r => r.Slot.Period == RandomisedWritesTests.Whole).ToList();
            return new Expected(totals, reportedBy, reporting, byCountry, byDay,
                whole.Count == 0 ? null : (Sum(whole.Select(r => r.Metrics)), whole.Count(r => r.Metrics.Any(v => v is not null))));
        }

        private static long?[] Sum(IEnumerable<long?[]> rows)
        {
            var sum = new long?[Metrics.Length];
            foreach (var row in rows)
            {
                for (var m = 0; m < Metrics.Length; m++)
                {
                    if (row[m] is { } value)
                    {
                        sum[m] = (sum[m] ?? 0) + value;
                    }
                }
            }

            return sum;
        }
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Random content and rendering
    // -----------------------------------------------------------------------------------------------------------------

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private (string Country, string Period) PickSlot() => Pick(Slots);

    private (string Country, string Period) PickExisting() => Pick(model.Keys.ToList());

    private static string Describe((string Country, string Period) slot) => $"{slot.Country} {slot.Period}";

    /// <summary>Valid figures: any metric may be unreported; parts never exceed their wholes.</summary>
    private int?[] RandomMetrics()
    {
        int? Maybe(int max) => random.Next(5) == 0 ? null : random.Next(0, max + 1);
        var metrics = new int?[Metrics.Length];
        metrics[0] = Maybe(40);
        metrics[1] = metrics[0] is { } arrests ? (random.Next(4) == 0 ? null : random.Next(0, arrests + 1)) : null;
        metrics[2] = Maybe(30);
        metrics[3] = metrics[2] is { } victims ? (random.Next(4) == 0 ? null : random.Next(0, victims + 1)) : null;
        if (metrics[2] is { } safeguarded && random.Next(3) != 0)
        {
            var left = safeguarded;
            for (var m = 4; m <= 9; m++)
            {
                if (random.Next(3) == 0)
                {
                    continue;
                }

                var value = random.Next(0, left + 1);
                metrics[m] = value;
                left -= value;
            }
        }

        metrics[10] = Maybe(200);
        metrics[11] = Maybe(10);
        metrics[Officers] = Maybe(400);
        return metrics;
    }

    private string? RandomNotes() => random.Next(6) switch
    {
        0 or 1 => null,
        2 => $"note {random.Next(1000)}",
        3 => "quotes \"here\", commas, and a\nsecond line",
        4 => "ünïcödé — <b>bold</b> & 'single'",
        _ => $"n{random.Next(3)}",
    };

    /// <summary>JSON for a return, with fields in random order and unreported metrics either left out or sent as null.</summary>
    private string RenderJson((string Country, string Period) slot, int?[] metrics, string? notes)
    {
        var members = new List<string>
        {
            $"\"country\":\"{(random.Next(8) == 0 ? slot.Country.ToLowerInvariant() : slot.Country)}\"",
        };
        if (slot.Period != Whole)
        {
            members.Add($"\"date\":\"{slot.Period}\"");
        }
        else if (random.Next(2) == 0)
        {
            members.Add("\"date\":null");
        }

        string Value(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";
        foreach (var m in new[] { 0, 1, 2, 3, 10, 11, 12 })
        {
            if (metrics[m] is not null || random.Next(2) == 0)
            {
                members.Add($"\"{Metrics[m]}\":{Value(metrics[m])}");
            }
        }

        var exploitation = Enumerable.Range(4, 6).Where(m => metrics[m] is not null || random.Next(4) == 0)
            .Select(m => $"\"{Metrics[m]["victimsByExploitation.".Length..]}\":{Value(metrics[m])}").ToList();
        if (exploitation.Count > 0 || random.Next(3) == 0)
        {
            members.Add($"\"victimsByExploitation\":{{{string.Join(",", exploitation)}}}");
        }
        else if (random.Next(2) == 0)
        {
            members.Add("\"victimsByExploitation\":null");
        }

        if (notes is not null || random.Next(2) == 0)
        {
            members.Add($"\"notes\":{JsonSerializer.Serialize(notes)}");
        }

        return "{" + string.Join(",", members.OrderBy(_ => random.Next())) + "}";
    }

    /// <summary>CSV with every column, in a random order; an empty cell is "not reported".</summary>
    private string RenderCsv(IReadOnlyList<BatchRow> rows)
    {
        var columns = new[] { "country", "date", "notes" }.Concat(Metrics).OrderBy(_ => random.Next()).ToList();
        var text = new StringBuilder(string.Join(",", columns)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(string.Join(",", columns.Select(column => column switch
            {
                "country" => row.Slot.Country,
                "date" => row.Slot.Period == Whole ? string.Empty : row.Slot.Period,
                "notes" => row.Notes is null ? string.Empty : "\"" + row.Notes.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
                _ => row.Metrics[Array.IndexOf(Metrics, column)]?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            }))).Append('\n');
        }

        return text.ToString();
    }

    private static long?[] ReadMetrics(JsonElement element)
    {
        var values = new long?[Metrics.Length];
        for (var m = 0; m < Metrics.Length; m++)
        {
            var parts = Metrics[m].Split('.');
            var value = element.GetProperty(parts[0]);
            if (parts.Length == 2 && value.ValueKind == JsonValueKind.Object)
            {
                value = value.GetProperty(parts[1]);
            }

            values[m] = value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
        }

        return values;
    }

    private static JsonElement Body(Response response) => JsonDocument.Parse(response.Raw).RootElement;

    private async Task<string> GetAsync(string path)
    {
        using var response = await clients[Admin].GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {path}: {text}");
        return text;
    }

    private async Task<Response> SendAsync(string caller, HttpMethod method, string path, string? body, string? contentType, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await clients[caller].SendAsync(request);
        return new Response(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.Location?.OriginalString,
            response.Headers.ETag?.Tag,
            response.Headers.TryGetValues(Idempotency.ReplayedHeader, out var replayed) && replayed.Contains("true"),
            await response.Content.ReadAsStringAsync());
    }
}
