using Coup.Checkers;

namespace Coup.Bench;

/// <summary>Nearest-rank percentiles of a sample, printed as one row.</summary>
public static class Figures
{
    public static void Row(string what, IEnumerable<double> values, string unit)
    {
        var sorted = values.Order().ToList();
        string At(int percentile) => sorted.Count == 0 ? "-" : $"{Percentiles.NearestRank(sorted, percentile):0}";
        var max = sorted.Count == 0 ? "-" : $"{sorted[^1]:0}";
        Console.WriteLine($"| {what} | {sorted.Count} | {At(50)} | {At(90)} | {At(99)} | {max} | {unit} |");
    }

    public static void Header() =>
        Console.WriteLine(
            "| figure | n | p50 | p90 | p99 | max | unit |\n| --- | --- | --- | --- | --- | --- | --- |");
}
