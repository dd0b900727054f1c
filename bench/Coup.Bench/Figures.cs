using Coup.Checkers;

namespace Coup.Bench;

/// <summary>Nearest-rank percentiles of a sample, printed as one row.</summary>
public static class Figures
{
    public static void Row(string what, IEnumerable<double> values, string unit)
    {
        var sorted = values.Order().ToList();
        Console.WriteLine($"| {what} | {sorted.Count} | {(sorted.Count == 0 ? double.NaN : Percentiles.NearestRank(sorted, 50)):0} | {(sorted.Count == 0 ? double.NaN : Percentiles.NearestRank(sorted, 99)):0} | {(sorted.Count == 0 ? double.NaN : sorted[^1]):0} | {unit} |");
    }

    public static void Header() => Console.WriteLine("| figure | n | p50 | p99 | max | unit |\n| --- | --- | --- | --- | --- | --- |");
}
