namespace Coup.Faults;

/// <summary>
/// Derives the seed of one random source from a run's seed. Deterministic across processes, unlike
/// <see cref="HashCode.Combine{T1, T2}"/>, which .NET seeds randomly per process: with it a seed
/// reproduced a run only within the process that first ran it.
/// </summary>
public static class Seeds
{
    public static int Derive(int seed, params int[] parts)
    {
        unchecked
        {
            // FNV-1a over the 32-bit words.
            var hash = 2166136261u;
            foreach (var word in parts.Prepend(seed))
            {
                for (var shift = 0; shift < 32; shift += 8)
                {
                    hash = (hash ^ (uint)((word >> shift) & 0xff)) * 16777619u;
                }
            }
            return (int)hash;
        }
    }
}
