using System.CommandLine;
using System.Globalization;
using Coup.Faults;
using Coup.Harness.Compare;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Cli;

internal static class CompareCommand
{
    /// <summary>Leader kills per algorithm whose elections are counted in containers (with <c>--docker-runs</c>).</summary>
    private const int ContainerCostKills = 5;

    private const string NemesisDefault = "partition";

    public static Command Create()
    {
        var seeds = Inputs.Whole(OptionLimits.Seeds, "simulator runs per algorithm (seeds 1..N)");
        var nemesis = Inputs.Nemesis(NemesisDefault, "fault kinds for every run");
        var timeLimit = Inputs.Number(OptionLimits.TimeLimitS, "seconds per run");
        var interval = Inputs.Number(OptionLimits.IntervalS, "seconds between faults; at most --time-limit");
        var algorithms = new Option<string?>("--algorithms") { Description = "comma-separated names, each once (default: all)" };
        var dockerRuns = Inputs.Whole(OptionLimits.DockerRuns, "container runs per algorithm (seeds 1..N) through the full pipeline");
        var output = new Option<string?>("--output") { Description = "also write the table to this markdown file" };
        var command = new Command("compare", "run every algorithm under the same faults and seeds and print a comparison table")
        {
            seeds, nemesis, timeLimit, interval, algorithms, dockerRuns, output,
        };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            var kinds = parse.GetValue(nemesis)!;
            var (timeLimitS, intervalS) = (parse.GetValue(timeLimit), parse.GetValue(interval));
            var chosen = Chosen(parse.GetValue(algorithms));
            // Every simulated run is checked against the run's own budgets, at run's default workload.
            if (OptionLimits.Problem(kinds.Count > 0, timeLimitS, intervalS, OptionLimits.Clients.Default,
                    OptionLimits.WriteRateHz.Default, OptionLimits.QuietS.Default) is { } problem)
            {
                throw CoupException.Usage(problem);
            }
            var simulatedS = parse.GetValue(seeds) * (timeLimitS + OptionLimits.QuietS.Default);
            if (simulatedS > OptionLimits.CompareSimulatedSMax)
            {
                throw CoupException.Usage(string.Create(CultureInfo.InvariantCulture,
                    $"--seeds {parse.GetValue(seeds)} of --time-limit {timeLimitS} simulate {simulatedS:0} s per algorithm, "
                    + $"at most {OptionLimits.CompareSimulatedSMax}; lower --seeds or --time-limit"));
            }
            var path = parse.GetValue(output) is { } file ? Inputs.WritableFile(file, "--output") : null;
            if (parse.GetValue(dockerRuns) > 0)
            {
                Inputs.WritableDirectory(RunStore.DefaultRoot, "the run store");
            }
            var scratch = Directory.CreateTempSubdirectory("coup-compare-").FullName;
            var rows = new List<ComparisonRow>();
            try
            {
                foreach (var algorithm in chosen)
                {
                    rows.Add(await CompareAsync(algorithm, kinds, parse.GetValue(seeds), timeLimitS, intervalS, parse.GetValue(dockerRuns), scratch, cancellation));
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            var only = parse.GetValue(algorithms) is not null ? $" --algorithms {string.Join(",", chosen.Select(a => a.Name))}" : "";
            var nemesisText = kinds.Count == 0 ? "none" : string.Join(",", kinds.Select(k => k.Name()));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"coup compare --seeds {parse.GetValue(seeds)} --nemesis {nemesisText} --time-limit {timeLimitS} --interval {intervalS} "
                + $"--docker-runs {parse.GetValue(dockerRuns)}{only}");
            var table = AlgorithmComparison.Markdown(rows, nemesisText, timeLimitS, line, every: only == "");
            Console.Write(table);
            if (path is not null)
            {
                await File.WriteAllTextAsync(path, table, cancellation);
            }
            return ExitCodes.Valid;
        }));
        return command;
    }

    private static async Task<ComparisonRow> CompareAsync(IAlgorithmDefinition algorithm, IReadOnlyList<FaultKind> kinds, int seeds,
        double timeLimitS, double intervalS, int dockerRuns, string scratch, CancellationToken cancellation)
    {
        var row = await Task.Run(() => AlgorithmComparison.Simulate(algorithm, kinds, seeds, timeLimitS, intervalS, scratch, cancellation), cancellation);
        var exitCodes = new List<int>();
        for (var seed = 1; seed <= dockerRuns; seed++)
        {
            cancellation.ThrowIfCancellationRequested();
            var plan = new RunPlan { Algorithm = algorithm.Name, Seed = seed, Nemesis = kinds, TimeLimitS = timeLimitS, IntervalS = intervalS }.Validated();
            exitCodes.Add(await new Runner(plan, TextWriter.Null).RunAsync(cancellation));
        }
        cancellation.ThrowIfCancellationRequested();
        var containerCost = dockerRuns > 0 ? await Docker.ElectionCounter.MeasureKillsAsync(algorithm.Name, nodes: 5, kills: ContainerCostKills, cancellation) : null;
        Console.Error.WriteLine($"{algorithm.Name}: {row.Invalid}/{row.Runs} invalid in the simulator; containers: {string.Join(",", exitCodes)}");
        return row with { ContainerExitCodes = exitCodes, ContainerCost = containerCost, ContainerCostMeasured = dockerRuns > 0 };
    }

    /// <summary>The algorithms <c>--algorithms</c> names, each known and named once; all when absent.</summary>
    private static IReadOnlyList<IAlgorithmDefinition> Chosen(string? names)
    {
        if (names is null)
        {
            return [.. Algorithms.All];
        }
        var chosen = new List<IAlgorithmDefinition>();
        foreach (var name in names.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Algorithms.IsKnown(name))
            {
                throw CoupException.Usage($"unknown algorithm '{name}' in --algorithms; choose from: {string.Join(", ", Algorithms.Names)}");
            }
            if (chosen.Any(a => a.Name == name))
            {
                throw CoupException.Usage($"--algorithms names {name} twice; name each once");
            }
            chosen.Add(Algorithms.Get(name));
        }
        return chosen;
    }
}
