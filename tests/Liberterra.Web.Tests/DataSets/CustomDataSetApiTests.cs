using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Liberterra.Web.Tests;

/// <summary>
/// An operation whose indicators no template has (<see cref="DataSetDrill"/>: a flow with a subtotal, a stock and a
/// breakdown), followed through the API: its data set, returns in JSON and in a CSV batch, the rules its definition
/// implies, history, roll-ups, CSV exports, and changes to the data set. The dashboard's side is DataSetDashboardTests.
/// </summary>
public sealed class CustomDataSetApiTests : IAsyncLifetime, IDisposable
{
    private const string Code = "drill-labour-api";

    private readonly LiberterraApp app = new()
    {
        Settings = { ["RateLimiting:PermitsPerSecond"] = "1000", ["RateLimiting:Burst"] = "1000" },
    };

    private ApiDrill drill = null!;

    private string Path => $"/api/v1/operations/{Code}";

    public async Task InitializeAsync()
    {
        drill = await ApiDrill.CreateAsync(app, code: null, units: ["ESP", "SEN"]);
        using var admin = drill.Admin;
        await DataSetDrill.CreateOperationAsync(admin, Code, participants: ["ESP", "FRA", "SEN"]);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task ItsDataSetReturnsRollUpsAndExportsCarryItsOwnIndicatorsInOrder()
    {
        using var spain = drill.Unit("ESP");
        using var senegal = drill.Unit("SEN");
        using var admin = drill.Admin;

        var dataSet = await admin.GetJsonAsync($"{Path}/dataset");
        dataSet.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()).Should()
            .Equal("workplacesInspected", "workplacesWithViolations", "vehiclesDeployed", "workersIdentified");
        var violations = dataSet.GetProperty("indicators")[1];
        (violations.GetProperty("partOf").GetString(), violations.GetProperty("kind").GetString(), violations.GetProperty("max").GetInt64())
            .Should().Be(("workplacesInspected", "flow", 1_000_000));
        violations.GetProperty("label").GetProperty("en").GetString().Should().Be(DataSetDrill.HostileLabel, "a label is data, returned as it was given");
        dataSet.GetProperty("indicators")[3].GetProperty("options").EnumerateArray().Select(o => o.GetProperty("code").GetString()).Should().Equal("women", "men");

        // Spain reports two days in JSON; Senegal a whole-operation return in a CSV batch with a breakdown's option as a column.
        (await spain.PostAsync($"{Path}/returns", Json(DataSetDrill.Return("ESP", "2026-11-01", workplaces: 40, violations: 18, vehicles: 12, women: 5, men: 7))))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var second = await spain.PostAsync($"{Path}/returns", Json(DataSetDrill.Return("ESP", "2026-11-02", workplaces: 10, violations: 2, vehicles: 9)));
        second.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = await second.JsonAsync();
        created.EnumerateObject().Select(p => p.Name).Should().ContainInOrder("workplacesInspected", "workplacesWithViolations", "vehiclesDeployed", "workersIdentified");
        created.GetProperty("workersIdentified").ValueKind.Should().Be(JsonValueKind.Object);
        created.GetProperty("workersIdentified").GetProperty("women").ValueKind.Should().Be(JsonValueKind.Null, "not reported is null, not 0");
        created.TryGetProperty("arrests", out _).Should().BeFalse("this operation does not collect the template's indicators");

        var batch = await senegal.PostAsync($"{Path}/returns/batch", Csv("country,date,vehiclesDeployed,workersIdentified.women,notes\nSEN,,8,3,one team\n"));
        (await batch.Content.ReadAsStringAsync()).Should().Contain("\"created\":1");

        // An amendment names the changed fields as the CSV header does.
        (await spain.PostAsync($"{Path}/returns", Json(DataSetDrill.Return("ESP", "2026-11-01", workplaces: 40, violations: 18, vehicles: 12, women: 6, men: 7))))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var history = await admin.GetJsonAsync($"{Path}/returns/ESP/2026-11-01/history");
        history.GetProperty("versions")[1].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).Should().Equal("workersIdentified.women");

        // Flows add up; the stock is each country's peak (Spain 12, Senegal 8), summed; the breakdown adds option by option.
        var totals = await admin.GetJsonAsync($"{Path}/totals");
        totals.Long("workplacesInspected").Should().Be(50);
        totals.Long("workplacesWithViolations").Should().Be(20);
        totals.Long("vehiclesDeployed").Should().Be(20, "12 for Spain's peak plus 8 for Senegal, not 29");
        totals.GetProperty("workersIdentified").Long("women").Should().Be(9);
        totals.GetProperty("workersIdentified").Long("men").Should().Be(7);
        totals.GetProperty("reportedBy").GetProperty("workersIdentified").GetInt32().Should().Be(2);
        totals.GetProperty("reportedBy").GetProperty("workersIdentified.men").GetInt32().Should().Be(1);
        totals.GetProperty("reportedBy").GetProperty("workplacesInspected").GetInt32().Should().Be(1);
        totals.GetProperty("countriesReporting").GetInt32().Should().Be(2);

        var timeline = await admin.GetJsonAsync($"{Path}/timeline");
        timeline.GetProperty("days")[0].Long("vehiclesDeployed").Should().Be(12);
        timeline.GetProperty("wholeOperation").Long("vehiclesDeployed").Should().Be(8);

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"{Path}/countries");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var countriesCsv = await (await admin.SendAsync(csvRequest)).Content.ReadAsStringAsync();
        countriesCsv.Split('\n')[0].Should().Be(
            "country,name,region,participant,workplacesInspected,workplacesWithViolations,vehiclesDeployed,workersIdentified.women,workersIdentified.men,lastUpdated,illustrative");
        countriesCsv.Split('\n').Single(line => line.StartsWith("FRA", StringComparison.Ordinal)).Should().Contain("true,,,,,,", "France reported nothing: blanks, not zeros");
    }

    [Fact]
    public async Task ItsRulesComeFromItsDefinitionAndEveryRefusalNamesTheFieldAndChangesNothing()
    {
        using var spain = drill.Unit("ESP");
        async Task<IReadOnlyList<string>> Refused(object body, string field) =>
            await (await spain.PostAsync($"{Path}/returns", Json(body))).ShouldBeValidationProblemAsync(field);

        (await Refused(DataSetDrill.Return("ESP", "2026-11-01", workplaces: 5, violations: 6), "workplacesWithViolations")).Single().Should().Contain("cannot exceed");
        (await Refused(DataSetDrill.Return("ESP", "2026-11-01", violations: 6), "workplacesWithViolations")).Single().Should().Contain("needs workplacesInspected");
        (await Refused(new Dictionary<string, object?> { ["country"] = "ESP", ["arrests"] = 3 }, "arrests")).Single().Should().Contain("Unknown field");
        (await Refused(new Dictionary<string, object?> { ["country"] = "ESP", ["workersIdentified"] = 3 }, "workersIdentified")).Single().Should().Contain("object keyed by option");
        (await Refused(new Dictionary<string, object?> { ["country"] = "ESP", ["vehiclesDeployed"] = new { a = 1 } }, "vehiclesDeployed")).Single().Should().Contain("whole number");
        (await Refused(new Dictionary<string, object?> { ["country"] = "ESP", ["workersIdentified"] = new { children = 1 } }, "workersIdentified.children")).Single().Should().Contain("Unknown option");
        (await Refused(DataSetDrill.Return("ESP", null, vehicles: 1_000_001), "vehiclesDeployed")).Single().Should().Contain("1,000,000");
        var header = await spain.PostAsync($"{Path}/returns/batch", Csv("country,date,arrests\nESP,,1\n"));
        (await header.ShouldBeValidationProblemAsync("body")).Single().Should().Contain("Unknown column(s): arrests");

        (await drill.Admin.GetJsonAsync($"{Path}/returns")).GetProperty("returns").GetArrayLength().Should().Be(0, "nothing refused was written");
    }

    [Fact]
    public async Task AnAdminChangesTheDataSetOfAnOpenOperationButNotAnIndicatorThatHasData()
    {
        using var admin = drill.Admin;
        using var spain = drill.Unit("ESP");
        (await spain.PostAsync($"{Path}/returns", Json(DataSetDrill.Return("ESP", "2026-11-01", workplaces: 4, violations: 1)))).StatusCode.Should().Be(HttpStatusCode.Created);

        // Added: existing returns read null for it, and a return may carry it at once.
        var added = await admin.PostAsync($"{Path}/dataset/indicators", Json(new { code = "raidsConducted", label = new { en = "Raids conducted" }, kind = "flow" }));
        added.StatusCode.Should().Be(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        (await admin.GetJsonAsync($"{Path}/returns/ESP/2026-11-01")).GetProperty("raidsConducted").ValueKind.Should().Be(JsonValueKind.Null);
        (await admin.GetJsonAsync($"{Path}/totals")).GetProperty("raidsConducted").ValueKind.Should().Be(JsonValueKind.Null);
        (await spain.PostAsync($"{Path}/returns", Json(new { country = "ESP", date = "2026-11-02", raidsConducted = 2 }))).StatusCode.Should().Be(HttpStatusCode.Created);

        // Changing the meaning of an indicator with data is refused; a translation is not.
        await (await admin.PostAsync($"{Path}/dataset/indicators", Json(new { code = "raidsConducted", label = new { en = "Raids" }, kind = "stock" })))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "Indicator has data");
        var translated = await admin.PostAsync($"{Path}/dataset/indicators", Json(new { code = "raidsConducted", label = new { en = "Raids conducted", fr = "Descentes effectuées" }, kind = "flow" }));
        translated.StatusCode.Should().Be(HttpStatusCode.OK, await translated.Content.ReadAsStringAsync());

        // Removing: refused while data exists or another indicator is part of it; allowed for one never reported.
        await (await admin.DeleteAsync($"{Path}/dataset/indicators/workplacesWithViolations")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "Indicator has data");
        await (await admin.DeleteAsync($"{Path}/dataset/indicators/workplacesInspected")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "Indicator in use");
        await (await admin.DeleteAsync($"{Path}/dataset/indicators/nothingLikeThis")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Indicator not found");
        (await admin.DeleteAsync($"{Path}/dataset/indicators/vehiclesDeployed")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.GetJsonAsync($"{Path}/dataset")).GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()).Should()
            .Equal("workplacesInspected", "workplacesWithViolations", "workersIdentified", "raidsConducted");
        await (await spain.PostAsync($"{Path}/returns", Json(DataSetDrill.Return("ESP", "2026-11-03", vehicles: 1)))).ShouldBeValidationProblemAsync("vehiclesDeployed");

        // An invalid indicator is refused naming its own field; a national unit may not change a data set; a final operation's is fixed.
        await (await admin.PostAsync($"{Path}/dataset/indicators", Json(new { code = "x1", label = new { en = "X" }, kind = "stock", partOf = "workplacesInspected" })))
            .ShouldBeValidationProblemAsync("partOf");
        (await spain.PostAsync($"{Path}/dataset/indicators", Json(new { code = "x2", label = new { en = "X" }, kind = "flow" }))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.PostAsync($"{Path}/finalize", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await admin.PostAsync($"{Path}/dataset/indicators", Json(new { code = "x3", label = new { en = "X" }, kind = "flow" })))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "Operation is final");
    }

    [Fact]
    public async Task AnOperationIsCreatedFromATemplateByDefaultAndAnInvalidDefinitionIsRefusedNamingTheField()
    {
        using var admin = drill.Admin;
        await ApiDrill.CreateOperationAsync(admin, "drill-default");
        (await admin.GetJsonAsync("/api/v1/operations/drill-default/dataset")).GetProperty("indicators").GetArrayLength().Should().Be(13, "the trafficking-smuggling template");

        async Task<IReadOnlyList<string>> Refused(Action<Dictionary<string, object?>> change, string field)
        {
            var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(ApiDrill.OperationBody("drill-bad"))!;
            change(body);
            return await (await admin.PostAsync("/api/v1/operations", Json(body))).ShouldBeValidationProblemAsync(field);
        }

        await Refused(b => b["dataSet"] = "no-such-template", "dataSet");
        await Refused(b => (b["dataSet"], b["indicators"]) = ("trafficking-smuggling", DataSetDrill.Indicators), "dataSet");
        await Refused(b => b["indicators"] = new object[] { new { code = "a", label = new { en = "A" }, kind = "flow" }, new { code = "b", label = new { en = "B" }, kind = "flow", partOf = "c" } }, "indicators[1].partOf");
        await Refused(b => b["indicators"] = new object[] { new { code = "__proto__", label = new { en = "A" }, kind = "flow" } }, "indicators[0].code");
        (await admin.GetAsync("/api/v1/operations/drill-bad")).StatusCode.Should().Be(HttpStatusCode.NotFound, "nothing refused was created");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => app.Dispose();
}
