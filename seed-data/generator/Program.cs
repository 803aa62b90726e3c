namespace Liberterra.SeedData;

/// <summary>
/// dotnet run --project seed-data/generator -- seed-data
/// Regenerates the seed files in the given seed-data folder (reads countries.csv from it).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: dotnet run --project seed-data/generator -- <seed-data folder>");
            return 2;
        }

        string seedData = args[0];
        try
        {
            // Everything is generated and checked before the first file is touched, so a failed
            // run leaves the committed files as they were.
            var (files, summary) = SeedGenerator.GenerateWithSummary(Path.Combine(seedData, "countries.csv"));
            foreach (var (relativePath, content) in files)
            {
                string path = Path.Combine(seedData, relativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content); // UTF-8 without BOM
                Console.WriteLine("wrote " + path);
            }

            Console.Write(summary);
            return 0;
        }
        catch (SeedInvariantException e)
        {
            Console.Error.WriteLine("Seed data NOT written. " + e.Message);
            return 1;
        }
    }
}
