using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Liberterra.Web.Tests;

/// <summary>
/// An operation whose data set no template has, as an operation against forced labour might collect: a flow with a
/// subtotal, a stock, and a breakdown by sex. One label holds markup, which every page must show as text.
/// </summary>
public static class DataSetDrill
{
    public const string HostileLabel = "Workplaces with violations <script>alert(1)</script>";

    /// <summary>The indicators as POST /api/v1/operations takes them, in data-set order.</summary>
    public static IReadOnlyList<object> Indicators { get; } =
    [
        new { code = "workplacesInspected", label = new { en = "Workplaces inspected" }, kind = "flow", phrase = new { en = "{value} workplaces were inspected" } },
        new { code = "workplacesWithViolations", label = new { en = HostileLabel }, kind = "flow", partOf = "workplacesInspected" },
        new { code = "vehiclesDeployed", label = new { en = "Vehicles deployed" }, kind = "stock" },
        new
        {
            code = "workersIdentified", label = new { en = "Workers identified" }, kind = "flow",
            options = new[] { new { code = "women", label = new { en = "Women" } }, new { code = "men", label = new { en = "Men" } } },
        },
    ];

    /// <summary>The top-level indicators, which get the dashboard's cards.</summary>
    public static IReadOnlyList<string> TopLevel { get; } = ["workplacesInspected", "vehiclesDeployed", "workersIdentified"];

    /// <summary>The indicators with one figure each: the map's choices and the country table's columns.</summary>
    public static IReadOnlyList<string> SingleFigures { get; } = ["workplacesInspected", "workplacesWithViolations", "vehiclesDeployed"];

    /// <summary>
    /// Creates an open operation with <see cref="Indicators"/> through the API: <see cref="ApiDrill.OperationBody"/> with
    /// the indicators added, so the rest of the body is built in one place.
    /// </summary>
    public static async Task<string> CreateOperationAsync(HttpClient admin, string code, string? name = null, IEnumerable<string>? participants = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var body = JsonNode.Parse(ApiDrill.OperationBody(code, name, participants))!.AsObject();
        body["indicators"] = JsonSerializer.SerializeToNode(Indicators);
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync("/api/v1/operations", content);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return code;
    }

    /// <summary>A return of this data set: any indicator left out is not reported.</summary>
    public static Dictionary<string, object?> Return(
        string country, string? date, long? workplaces = null, long? violations = null, long? vehicles = null, long? women = null, long? men = null)
    {
        var body = new Dictionary<string, object?> { ["country"] = country, ["date"] = date };
        void Add(string field, long? value)
        {
            if (value is not null)
            {
                body[field] = value;
            }
        }

        Add("workplacesInspected", workplaces);
        Add("workplacesWithViolations", violations);
        Add("vehiclesDeployed", vehicles);
        if (women is not null || men is not null)
        {
            var workers = new Dictionary<string, long>();
            if (women is { } w)
            {
                workers["women"] = w;
            }

            if (men is { } m)
            {
                workers["men"] = m;
            }

            body["workersIdentified"] = workers;
        }

        return body;
    }
}
