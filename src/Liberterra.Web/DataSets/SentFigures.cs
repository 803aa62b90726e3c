using System.Text.Json;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Web.DataSets;

/// <summary>What a sent figure's JSON value is, as far as a data set cares.</summary>
public enum SentKind
{
    Null,
    WholeNumber,
    OtherNumber,
    Object,
    Other,
}

/// <summary>
/// One field or breakdown option of a return as sent, read before the data set is known: its name, what its value is,
/// and for an object its members. A batch reads these straight from the body, without a document of each row.
/// </summary>
public readonly record struct SentFigure(string Name, SentKind Kind, long Number, IReadOnlyList<SentFigure>? Members)
{
    /// <summary>Reads the value the reader is on and leaves the reader on its last token; an object's members are read one level deep.</summary>
    /// <exception cref="InvalidOperationException">A name or string holds a lone surrogate escape.</exception>
    public static SentFigure Read(ref Utf8JsonReader reader, string name, Returns.SentReturn.FieldNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Scalar(ref reader, name);
        }

        var members = names.Members;
        members.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = names.Next(ref reader);
            reader.Read();
            members.Add(Scalar(ref reader, member));
        }

        return new SentFigure(name, SentKind.Object, 0, [.. members]);
    }

    private static SentFigure Scalar(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return new SentFigure(name, SentKind.Null, 0, null);
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number)
                    ? new SentFigure(name, SentKind.WholeNumber, number, null)
                    : new SentFigure(name, SentKind.OtherNumber, 0, null);
            default:
                var kind = reader.TokenType == JsonTokenType.StartObject ? SentKind.Object : SentKind.Other;
                CheckText(ref reader);
                return new SentFigure(name, kind, 0, null);
        }
    }

    /// <summary>
    /// Reads every name and string of the value the reader is on, and leaves the reader on its last token: a lone
    /// surrogate escape ("\ud800") passes the reader and only throws, <see cref="InvalidOperationException"/>, when its
    /// text is read, so a value the data set will refuse is still checked, as a return's own fields are.
    /// </summary>
    public static void CheckText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CheckToken(ref reader);
            return;
        }

        // Inside the value every token is deeper than its start; its end is as deep.
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            CheckToken(ref reader);
        }
    }

    private static void CheckToken(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
        {
            _ = reader.GetString();
        }
    }
}

/// <summary>
/// A return's figures as a client sent them in JSON, kept until the operation, and so its data set, is known: each
/// field that is not one of the return's own is an indicator code, a breakdown is an object keyed by option code.
/// </summary>
public sealed class SentFigures(IReadOnlyList<SentFigure> fields)
{
    public static SentFigures None { get; } = new([]);

    /// <summary>The figures as values of the data set's columns, and an error for every field or option it does not have or cannot take.</summary>
    /// <remarks>A batch reads 10,000 of these in one request, so nothing is allocated for a row beyond its values unless it has a mistake.</remarks>
    public (ReturnValues Values, Dictionary<string, string[]> Errors) Read(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        var values = new Dictionary<string, long>(fields.Count, StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (dataSet.Find(field.Name) is not { } indicator)
            {
                errors[field.Name] = ["Unknown field: not one of the return's fields nor an indicator of this operation's data set (GET …/dataset lists them)."];
            }
            else if (field.Kind == SentKind.Null)
            {
                continue;
            }
            else if (!indicator.IsBreakdown)
            {
                Read(field, field.Name, indicator, values, errors);
            }
            else if (field.Kind != SentKind.Object)
            {
                errors[field.Name] = [$"A breakdown: send an object keyed by option ({Options(indicator)}), or null."];
            }
            else
            {
                ReadBreakdown(field.Members ?? [], dataSet.ColumnsOf(indicator), indicator, values, errors);
            }
        }

        return (ReturnValues.FromReported(values), errors);
    }

    private static void ReadBreakdown(
        IReadOnlyList<SentFigure> options, IReadOnlyList<IndicatorColumn> columns, Indicator indicator, Dictionary<string, long> values, Dictionary<string, string[]> errors)
    {
        // Options seen so far, by position among the breakdown's columns (at most DataSet.MaxOptions, so one ulong holds
        // them); an unknown option is remembered by name, in a set made only when one is sent.
        var seen = 0UL;
        HashSet<string>? others = null;
        foreach (var option in options)
        {
            var position = IndexOf(columns, option.Name);
            var bit = position is >= 0 and < 64 ? 1UL << position : 0;
            var repeated = bit != 0 ? (seen & bit) != 0 : !(others ??= new(StringComparer.Ordinal)).Add(option.Name);
            seen |= bit;
            if (repeated)
            {
                errors[DataSet.ColumnName(indicator.Code, option.Name)] = ["This option appears more than once."];
            }
            else if (position < 0)
            {
                errors[DataSet.ColumnName(indicator.Code, option.Name)] = [$"Unknown option of {indicator.Code}; its options are {Options(indicator)}."];
            }
            else
            {
                Read(option, columns[position].Name, indicator, values, errors);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<IndicatorColumn> columns, string option)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Option!.Code, option, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Options(Indicator indicator) => string.Join(", ", indicator.Options.Select(o => o.Code));

    private static void Read(SentFigure figure, string column, Indicator indicator, Dictionary<string, long> values, Dictionary<string, string[]> errors)
    {
        switch (figure.Kind)
        {
            case SentKind.Null:
                return;
            case SentKind.WholeNumber:
                values[column] = figure.Number;
                return;
            default:
                errors[column] = [$"Must be a whole number from 0 to {indicator.Max:N0}, or null for not reported."];
                return;
        }
    }
}
