using System.CommandLine;
using Coup.Faults;
using Coup.Harness.Compare;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Cli;

internal static class CompareCommand
{
    /// <summary>Leader kills per algorithm whose elections are counted in containers (with <c>--docker-runs</c>).</summary>
    private const int ContainerCostKills = 5;

    public static Command Create()
    {
        var seeds = new Option<int>("--seeds") { Description = "simulator runs per algorithm (seeds 1..N)", DefaultValueFactory = _ => 20 };
        var nemesis = new Option<string>("--nemesis") { Description = "fault kinds for every run", DefaultValueFactory = _ => "partition" };
        var timeLimit = new Option<double>("--time-limit") { Description = "seconds per run", DefaultValueFactory = _ => 60 };
        var interval = new Option<double>("--interval") { Description = "seconds between faults", DefaultValueFactory = _ => 10 };
        var algorithms = new Option<string?>("--algorithms") { Description = "comma-separated names (default: all)" };
        var dockerRuns = new Option<int>("--docker-runs") { Description = "container runs per algorithm (seeds 1..N) through the full pipeline", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--output") { Description = "also write the table to this markdown file" };
        var command = new Command("compare", "run every algorithm under the same faults and seeds and print a comparison table")
        {
            seeds, nemesis, timeLimit, interval, algorithms, dockerRuns, output,
        };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            var kinds = FaultKinds.Parse(parse.GetValue(nemesis)!);
            var chosen = parse.GetValue(algorithms) is { } names
                ? names.Split(',', StringSplitOptions.TrimEntries).Select(n => Algorithms.IsKnown(n) ? Algorithms.Get(n) : throw CoupException.Usage($"unknown algorithm '{n}'; choose from: {string.Join(", ", Algorithms.Names)}")).ToList()
                : [.. Algorithms.All];
            var scratch = Directory.CreateTempSubdirectory("coup-compare-").FullName;
            var rows = new List<ComparisonRow>();
            foreach (var algorithm in chosen)
            {
                var row = AlgorithmComparison.Simulate(algorithm, kinds, parse.GetValue(seeds), parse.GetValue(timeLimit), parse.GetValue(interval), scratch);
                var exitCodes = new List<int>();
                for (var seed = 1; seed <= parse.GetValue(dockerRuns) && !cancellation.IsCancellationRequested; seed++)
                {
                    var plan = new RunPlan { Algorithm = algorithm.Name, Seed = seed, Nemesis = kinds, TimeLimitS = parse.GetValue(timeLimit), IntervalS = parse.GetValue(interval), Store = "store" };
                    exitCodes.Add(await new Runner(plan, TextWriter.Null).RunAsync(cancellation));
                }
                var measured = parse.GetValue(dockerRuns) > 0 && !cancellation.IsCancellationRequested;
                var containerCost = measured ? await Docker.ElectionCounter.MeasureKillsAsync(algorithm.Name, nodes: 5, kills: ContainerCostKills, cancellation) : null;
                rows.Add(row with { ContainerExitCodes = exitCodes, ContainerCost = containerCost, ContainerCostMeasured = measured });
                Console.Error.WriteLine($"{algorithm.Name}: {row.Invalid}/{row.Runs} invalid in the simulator; containers: {string.Join(",", exitCodes)}");
            }
            Directory.Delete(scratch, recursive: true);
            var only = parse.GetValue(algorithms) is { } list ? $" --algorithms {string.Join(",", chosen.Select(a => a.Name))}" : "";
            var command = $"coup compare --seeds {parse.GetValue(seeds)} --nemesis {parse.GetValue(nemesis)} --time-limit {parse.GetValue(timeLimit)} --interval {parse.GetValue(interval)} --docker-runs {parse.GetValue(dockerRuns)}{only}";
            var table = AlgorithmComparison.Markdown(rows, parse.GetValue(nemesis)!, parse.GetValue(timeLimit), command, every: only == "");
            Console.Write(table);
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, table, cancellation);
            }
            return ExitCodes.Valid;
        }));
        return command;
    }
}
