using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Liberterra.SeedData;

/// <summary>Turns operations into the committed file formats: "\n" line endings, invariant culture.</summary>
internal static class Rendering
{
    public const string ReturnsHeader =
        "country,date,arrests,arrestsTraffickingSmuggling,victimsSafeguarded,victimsMinors,"
        + "victimsByExploitation.sexual,victimsByExploitation.forcedLabour,victimsByExploitation.forcedCriminality,"
        + "victimsByExploitation.domesticServitude,victimsByExploitation.organRemoval,victimsByExploitation.other,"
        + "irregularMigrants,investigationsOpened,officersDeployed,"
        + "inspections,flightsMonitored,databaseChecks,criminalGroupsDismantled,forgedDocumentsSeized,notes";

    public static string OperationsJson(IReadOnlyList<Operation> operations)
    {
        var options = new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",

            // Keep apostrophes and quotes in the notes readable; this file is never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteStartArray("operations");
            foreach (var operation in operations)
            {
                json.WriteStartObject();
                json.WriteString("code", operation.Code);
                json.WriteString("name", operation.Name);
                json.WriteString("startDate", IsoDate(operation.StartDate));
                json.WriteString("endDate", IsoDate(operation.EndDate));
                json.WriteString("status", "final");
                json.WriteString("returnsFile", operation.ReturnsFile);
                json.WriteString("allocationNote", operation.AllocationNote);
                json.WriteStartArray("participants");
                foreach (var country in operation.Participants)
                {
                    json.WriteStringValue(country);
                }

                json.WriteEndArray();
                json.WriteStartArray("publishedFigures");
                foreach (var figure in operation.PublishedFigures)
                {
                    json.WriteStartObject();
                    json.WriteString("metric", figure.Name);
                    json.WriteNumber("value", figure.Value);
                    json.WriteString("qualifier", QualifierName(figure.Qualifier));
                    json.WriteString("source", figure.Source);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string ReturnsCsv(Operation operation)
    {
        var header = new[] { "country", "date" }.Concat(Metrics.All.Select(Metrics.ColumnName)).Append("notes");
        if (string.Join(',', header) != ReturnsHeader)
        {
            throw new SeedInvariantException("the Metric enum no longer matches the returns-file header");
        }

        var text = new StringBuilder(ReturnsHeader).Append('\n');
        foreach (var row in operation.Rows)
        {
            var fields = new List<string> { row.Country, row.Date is { } d ? IsoDate(d) : "" };

            // Empty cell = not reported; "0" = reported zero.
            fields.AddRange(Metrics.All.Select(m => row[m]?.ToString(CultureInfo.InvariantCulture) ?? ""));
            fields.Add(row.Notes ?? "");
            text.Append(Csv.Line(fields)).Append('\n');
        }

        return text.ToString();
    }

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string QualifierName(Qualifier qualifier) => qualifier switch
    {
        Qualifier.Exact => "exact",
        Qualifier.MoreThan => "moreThan",
        Qualifier.About => "about",
        Qualifier.Nearly => "nearly",
        _ => throw new ArgumentOutOfRangeException(nameof(qualifier), qualifier, null),
    };
}
