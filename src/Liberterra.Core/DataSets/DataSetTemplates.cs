namespace Liberterra.Core.DataSets;

/// <summary>
/// Data sets an operation can be created from by name. <c>trafficking-smuggling</c> is what the Liberterra operations
/// collect, and what an operation created without a data set gets. This is the only place in the code that names
/// those indicators: everything else reads them from the operation's data set.
/// </summary>
public static class DataSetTemplates
{
    public const string TraffickingSmugglingName = "trafficking-smuggling";

    public static DataSet TraffickingSmuggling { get; } = Build(
    [
        Flow("arrests", "Arrests", phrase: "{value} people were arrested"),
        Flow("arrestsTraffickingSmuggling", "Arrests for trafficking or smuggling", partOf: "arrests",
            phrase: "{value} of them for human trafficking or migrant smuggling"),
        Flow("victimsSafeguarded", "Potential victims safeguarded", phrase: "{value} potential victims of trafficking were safeguarded"),
        Flow("victimsMinors", "Victims who are minors", partOf: "victimsSafeguarded", phrase: "{value} of them minors"),
        Flow("victimsByExploitation", "Victims by form of exploitation", partOf: "victimsSafeguarded", options:
        [
            ("sexual", "Sexual exploitation"),
            ("forcedLabour", "Forced labour"),
            ("forcedCriminality", "Forced criminality"),
            ("domesticServitude", "Domestic servitude"),
            ("organRemoval", "Organ removal"),
            ("other", "Other exploitation"),
        ]),
        Flow("irregularMigrants", "Irregular migrants detected", phrase: "{value} irregular migrants were detected"),
        Flow("investigationsOpened", "Investigations opened", phrase: "{value} new investigations were opened"),
        new IndicatorDefinition { Code = "officersDeployed", Label = En("Officers deployed"), Kind = "stock", Phrase = En("{value} officers were deployed") },
        Flow("inspections", "Inspections at checkpoints and airports", phrase: "{value} inspections were carried out at checkpoints and airports"),
        Flow("flightsMonitored", "Flights monitored", phrase: "{value} flights were monitored"),
        Flow("databaseChecks", "Checks against INTERPOL's databases", max: 100_000_000, phrase: "{value} checks were made against INTERPOL's databases"),
        Flow("criminalGroupsDismantled", "Criminal groups dismantled", phrase: "{value} criminal groups were dismantled"),
        Flow("forgedDocumentsSeized", "Forged documents seized", phrase: "{value} forged documents were seized"),
    ]);

    /// <summary>
    /// Where these figures were stored before operations had data sets: one column per value, by the name a return
    /// field now has. The DataSets migration moves each into the JSON of its return's figures (and back, down).
    /// </summary>
    public static IReadOnlyList<(string Column, string Field)> LegacyColumns { get; } =
    [
        ("Arrests", "arrests"),
        ("ArrestsTraffickingSmuggling", "arrestsTraffickingSmuggling"),
        ("VictimsSafeguarded", "victimsSafeguarded"),
        ("VictimsMinors", "victimsMinors"),
        ("VictimsSexual", "victimsByExploitation.sexual"),
        ("VictimsForcedLabour", "victimsByExploitation.forcedLabour"),
        ("VictimsForcedCriminality", "victimsByExploitation.forcedCriminality"),
        ("VictimsDomesticServitude", "victimsByExploitation.domesticServitude"),
        ("VictimsOrganRemoval", "victimsByExploitation.organRemoval"),
        ("VictimsOtherExploitation", "victimsByExploitation.other"),
        ("IrregularMigrants", "irregularMigrants"),
        ("InvestigationsOpened", "investigationsOpened"),
        ("OfficersDeployed", "officersDeployed"),
    ];

    /// <summary>The data set a template name stands for, or null for an unknown name.</summary>
    public static DataSet? Named(string? name) =>
        string.Equals(name, TraffickingSmugglingName, StringComparison.Ordinal) ? TraffickingSmuggling : null;

    public static IReadOnlyList<string> Names { get; } = [TraffickingSmugglingName];

    private static IndicatorDefinition Flow(
        string code, string label, string? partOf = null, long? max = null, string? phrase = null, (string Code, string Label)[]? options = null) => new()
    {
        Code = code,
        Label = En(label),
        Kind = "flow",
        PartOf = partOf,
        Max = max,
        Phrase = phrase is null ? null : En(phrase),
        Options = options?.Select(option => new OptionDefinition { Code = option.Code, Label = En(option.Label) }).ToList(),
    };

    private static Dictionary<string, string> En(string text) => new(StringComparer.Ordinal) { [Label.English] = text };

    private static DataSet Build(IReadOnlyList<IndicatorDefinition> definitions) =>
        DataSetDefinition.Build(definitions).DataSet ?? throw new InvalidOperationException("The template's own definition is invalid.");
}
