using System.Text.RegularExpressions;
using Liberterra.Core.DataSets;

namespace Liberterra.Web.Tests;

/// <summary>
/// The template's indicators are defined once, in DataSetTemplates, and every other part of the app reads them from an
/// operation's data set. A code written anywhere else in src/ (code, markup or comment) is a hand-written list coming back.
/// </summary>
public sealed class TemplateInOnePlaceTests
{
    [Fact]
    public void NoCodeOfTheTemplatesIndicatorsOrOptionsAppearsInSourceOutsideTheTemplate()
    {
        var template = DataSetTemplates.TraffickingSmuggling;
        var codes = template.Indicators.Select(i => i.Code).Concat(template.Indicators.SelectMany(i => i.Options).Select(o => o.Code)).Distinct()
            .Where(code => code != "other") // an everyday word in comments, and no list of the template's is complete without its siblings
            .ToList();
        codes.Should().Contain(["arrests", "officersDeployed", "victimsByExploitation", "sexual", "forgedDocumentsSeized"]);
        var word = new Regex($@"\b({string.Join('|', codes)})\b", RegexOptions.CultureInvariant);

        var src = Path.Combine(RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();
        files.Should().Contain(f => f.EndsWith("DataSetTemplates.cs", StringComparison.Ordinal));

        var found = files.Where(f => !f.EndsWith($"{Path.DirectorySeparatorChar}DataSetTemplates.cs", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(line => word.IsMatch(line.Text))
            .Select(line => $"{line.File}:{line.Line}: {line.Text.Trim()}")
            .ToList();
        found.Should().BeEmpty("the template's indicators are named only in its own definition");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Liberterra.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (Liberterra.sln) was not found above the test output.");
    }
}
