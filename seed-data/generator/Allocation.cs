namespace Liberterra.SeedData;

/// <summary>
/// Splits a published total into whole numbers that add up to it exactly.
/// </summary>
internal static class Allocation
{
    /// <summary>
    /// Largest-remainder (Hamilton) apportionment: every part gets the floor of its exact
    /// proportional quota, and the units lost to rounding go one each to the parts with the
    /// largest fractional remainders. Unlike rounding each part, this can never miss the total.
    /// All arithmetic is on integers, so the result cannot depend on floating-point details.
    /// </summary>
    /// <param name="total">The amount to split.</param>
    /// <param name="weights">Relative size of each part; a part with weight 0 gets nothing.</param>
    /// <param name="caps">Optional upper bound per part (e.g. trafficking arrests may not exceed
    /// the arrests in the same row). A part whose quota reaches its cap is fixed at the cap and
    /// the rest is re-split among the others.</param>
    public static int[] LargestRemainder(int total, IReadOnlyList<long> weights, IReadOnlyList<int>? caps = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        if (caps is not null && caps.Count != weights.Count)
        {
            throw new ArgumentException("caps must have one entry per weight", nameof(caps));
        }

        var parts = new int[weights.Count];
        var open = Enumerable.Range(0, weights.Count)
            .Where(i => weights[i] > 0 && (caps is null || caps[i] > 0))
            .ToList();
        int remaining = total;

        while (true)
        {
            long weightSum = open.Sum(i => weights[i]);
            if (weightSum == 0)
            {
                return remaining == 0
                    ? parts
                    : throw new SeedInvariantException(
                        $"cannot allocate {total}: {remaining} left over with no part able to take it (all weights zero or caps reached)");
            }

            // quota_i = remaining * w_i / weightSum; compare without dividing to stay exact.
            var saturated = caps is null
                ? []
                : open.Where(i => (long)remaining * weights[i] >= (long)caps[i] * weightSum).ToList();
            if (saturated.Count > 0)
            {
                foreach (int i in saturated)
                {
                    parts[i] = caps![i];
                    remaining -= caps[i];
                    open.Remove(i);
                }

                continue;
            }

            // Every quota is now strictly below its cap, so floor + 1 still fits.
            var remainders = new Dictionary<int, long>(open.Count);
            int assigned = 0;
            foreach (int i in open)
            {
                long scaled = (long)remaining * weights[i];
                parts[i] = (int)(scaled / weightSum);
                remainders[i] = scaled % weightSum;
                assigned += parts[i];
            }

            // Ties go to the lower index, so the result is fully determined by the inputs.
            foreach (int i in open.OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(remaining - assigned))
            {
                parts[i]++;
            }

            return parts;
        }
    }
}
