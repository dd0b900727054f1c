using System.Globalization;
using Coup.Harness.Matrix;
using Coup.Harness.Run;
using Coup.Harness.Swarm;

namespace Coup.Bench;

/// <summary>
/// <c>swarm [seeds=200] [algorithm=raft] [parallel=cores]</c>: how many swarm seeds a minute this machine
/// runs, each drawn, simulated and checked as <c>coup swarm</c> does, into a store that is removed after.
/// </summary>
internal static class SwarmBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new SwarmOptions
        {
            Seeds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200,
            Algorithm = args.Length > 1 ? args[1] : "raft",
            Parallel = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture)
                : OptionLimits.Parallel.Default,
            Store = Directory.CreateTempSubdirectory("coup-bench-swarm-").FullName,
        }.Validated();
        try
        {
            var runner = new SwarmRunner(options, new PlainProgress(TextWriter.Null, "swarm"), Console.Error);
            var (summary, _) = await runner.RunAsync(CancellationToken.None);
            Console.WriteLine("| figure | seeds | --parallel | seeds flagged | seeds/min | load average (1 min) |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| swarm {options.Algorithm} | {summary.SeedsDone} | {options.Parallel} | {summary.Invalid} | "
                + $"{summary.SeedsPerMinute:0} | {LoadAverage()} |"));
            return 0;
        }
        finally
        {
            Directory.Delete(options.Store, recursive: true);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
