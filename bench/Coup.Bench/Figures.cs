namespace Coup.Bench;

/// <summary>Nearest-rank percentiles of a sample, printed as one row.</summary>
public static class Figures
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static void Row(string what, IEnumerable<double> values, string unit)
    {
        var sorted = values.Order().ToList();
        Console.WriteLine($"| {what} | {sorted.Count} | {Percentile(sorted, 50):0} | {Percentile(sorted, 99):0} | {(sorted.Count == 0 ? double.NaN : sorted[^1]):0} | {unit} |");
    }

    public static void Header() => Console.WriteLine("| figure | n | p50 | p99 | max | unit |\n| --- | --- | --- | --- | --- | --- |");
}
