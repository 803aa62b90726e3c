namespace Liberterra.SeedData;

/// <summary>
/// The generator's only source of randomness. SplitMix64 is a few lines of integer arithmetic,
/// so unlike System.Random (whose algorithm has changed between .NET versions) its output can
/// never drift with the runtime, and the committed seed files stay byte-for-byte reproducible.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    /// <summary>Changing this reshuffles every illustrative split; the published totals still hold.</summary>
    private const ulong FixedSeed = 0x4C49_4245_5254_4552; // "LIBERTER" in ASCII

    private ulong state = seed;

    /// <summary>
    /// An independent stream for one purpose, e.g. <c>For("III", "arrests", "day", "NGA")</c>.
    /// Keying streams by label rather than drawing everything from one sequence means that adding
    /// a country or a metric leaves every other country's numbers unchanged.
    /// </summary>
    public static SplitMix64 For(params string[] labels) => new(FixedSeed ^ Fnv1a64(string.Join('/', labels)));

    public ulong NextUInt64()
    {
        state += 0x9E37_79B9_7F4A_7C15;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A value in [min, max]. The modulo bias is below one part in 10^15 for these tiny ranges,
    /// which is irrelevant for illustrative data.
    /// </summary>
    public int Next(int min, int max)
    {
        if (max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), "max must be at least min");
        }

        return min + (int)(NextUInt64() % (ulong)(max - min + 1));
    }

    /// <summary>
    /// FNV-1a over UTF-16 code units. string.GetHashCode is randomised per process, so it cannot
    /// be used to derive a seed.
    /// </summary>
    private static ulong Fnv1a64(string text)
    {
        ulong hash = 0xCBF2_9CE4_8422_2325;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 0x0000_0100_0000_01B3;
        }

        return hash;
    }
}
