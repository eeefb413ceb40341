namespace FlowMesh.Aggregation.Tests;

/// <summary>Seeded synthetic streams and their exact (brute-force) answers.</summary>
internal static class TestStreams
{
    /// <summary>Keys 0..distinct-1 drawn with probability ∝ rank^-s; ranks are mapped to keys by a
    /// random permutation so that heavy keys are not also the small ones.</summary>
    public static int[] Zipf(int seed, int items, int distinct, double s)
    {
        var random = new Random(seed);
        var cdf = new double[distinct];
        var sum = 0.0;
        for (var r = 0; r < distinct; r++)
        {
            sum += Math.Pow(r + 1, -s);
            cdf[r] = sum;
        }
        var keyOfRank = Enumerable.Range(0, distinct).ToArray();
        random.Shuffle(keyOfRank);
        var stream = new int[items];
        for (var i = 0; i < items; i++)
        {
            var rank = Array.BinarySearch(cdf, random.NextDouble() * sum);
            stream[i] = keyOfRank[rank < 0 ? ~rank : rank];
        }
        return stream;
    }

    public static int[] Uniform(int seed, int items, int distinct)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, items).Select(_ => random.Next(distinct))];
    }

    /// <summary>One weight in 1..maxWeight per item.</summary>
    public static long[] Weights(int seed, int items, long maxWeight)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, items).Select(_ => random.NextInt64(1, maxWeight + 1))];
    }

    public static long[] Ones(int items) => [.. Enumerable.Repeat(1L, items)];

    public static Dictionary<int, long> Exact(ReadOnlySpan<int> keys, ReadOnlySpan<long> weights)
    {
        var exact = new Dictionary<int, long>();
        for (var i = 0; i < keys.Length; i++)
            exact[keys[i]] = exact.GetValueOrDefault(keys[i]) + weights[i];
        return exact;
    }

    public static SpaceSaving<int> Summarize(int capacity, ReadOnlySpan<int> keys, ReadOnlySpan<long> weights)
    {
        var summary = new SpaceSaving<int>(capacity);
        for (var i = 0; i < keys.Length; i++) summary.Add(keys[i], weights[i]);
        return summary;
    }
}
