using System.CommandLine;
using System.Globalization;
using Coup.Faults;
using Coup.Harness.Compare;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Cli;

internal static class CompareCommand
{
    /// <summary>
    /// Leader kills per algorithm whose elections are counted in containers (with <c>--docker-runs</c>).
    /// </summary>
    private const int ContainerCostKills = 5;

    private const string NemesisDefault = "partition";

    /// <summary>What one comparison asks for, read and checked before any run.</summary>
    private sealed record Request(
        IReadOnlyList<IAlgorithmDefinition> Algorithms, IReadOnlyList<FaultChoice> Nemesis, int Seeds,
        double TimeLimitS, double IntervalS, int DockerRuns);

    public static Command Create()
    {
        var seeds = Inputs.Whole(OptionLimits.Seeds, "simulator runs per algorithm (seeds 1..N)");
        var nemesis = Inputs.Nemesis(NemesisDefault, "fault kinds for every run, each once");
        var timeLimit = Inputs.Number(OptionLimits.TimeLimitS, "seconds per run");
        var interval = Inputs.Number(OptionLimits.IntervalS, "seconds between faults; at most --time-limit");
        var algorithms = new Option<string?>("--algorithms")
        {
            Description = "comma-separated names, each once (default: all)",
        };
        var dockerRuns = Inputs.Whole(OptionLimits.DockerRuns, "container runs per algorithm (seeds 1..N)");
        var output = new Option<string?>("--output") { Description = "also write the table to this markdown file" };
        var command = new Command("compare", "run every algorithm under the same faults and seeds; print a table")
        {
            seeds, nemesis, timeLimit, interval, algorithms, dockerRuns, output,
        };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            var request = Validated(new Request(
                Chosen(parse.GetValue(algorithms)), parse.GetValue(nemesis)!, parse.GetValue(seeds),
                parse.GetValue(timeLimit), parse.GetValue(interval), parse.GetValue(dockerRuns)));
            var path = parse.GetValue(output) is { } file ? Inputs.WritableFile(file, "--output") : null;
            var scratch = Directory.CreateTempSubdirectory("coup-compare-").FullName;
            var rows = new List<ComparisonRow>();
            try
            {
                foreach (var algorithm in request.Algorithms)
                {
                    rows.Add(await CompareAsync(algorithm, request, scratch, cancellation));
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            var named = parse.GetValue(algorithms) is not null;
            var table = AlgorithmComparison.Markdown(
                rows, NemesisText(request), request.TimeLimitS, CommandLine(request, named), every: !named);
            Console.Write(table);
            if (path is not null)
            {
                await File.WriteAllTextAsync(path, table, cancellation);
            }
            return ExitCodes.Valid;
        }));
        return command;
    }

    /// <summary>
    /// Each simulated run keeps to a run's own budgets at a run's default workload, and the whole
    /// comparison to <see cref="OptionLimits.CompareSimulatedSMax"/> per algorithm.
    /// </summary>
    private static Request Validated(Request request)
    {
        var (clients, rate) = (OptionLimits.Clients.Default, OptionLimits.WriteRateHz.Default);
        var quietS = OptionLimits.QuietS.Default;
        var faults = request.Nemesis.Count > 0;
        if (OptionLimits.Problem(faults, request.TimeLimitS, request.IntervalS, clients, rate, quietS) is { } problem)
        {
            throw CoupException.Usage(problem);
        }
        var simulatedS = request.Seeds * (request.TimeLimitS + quietS);
        if (simulatedS > OptionLimits.CompareSimulatedSMax)
        {
            throw CoupException.Usage(string.Create(CultureInfo.InvariantCulture,
                $"--seeds {request.Seeds} of --time-limit {request.TimeLimitS}"
                + $" simulate {simulatedS:0} s an algorithm, "
                + $"at most {OptionLimits.CompareSimulatedSMax}; lower --seeds or --time-limit"));
        }
        if (request.DockerRuns > 0)
        {
            Inputs.WritableDirectory(RunStore.DefaultRoot, "the run store");
        }
        return request;
    }

    private static async Task<ComparisonRow> CompareAsync(
        IAlgorithmDefinition algorithm, Request request, string scratch, CancellationToken cancellation)
    {
        var row = await Task.Run(
            () => AlgorithmComparison.Simulate(algorithm, request.Nemesis, request.Seeds, request.TimeLimitS,
                request.IntervalS, scratch, cancellation),
            cancellation);
        var exitCodes = new List<int>();
        for (var seed = 1; seed <= request.DockerRuns; seed++)
        {
            cancellation.ThrowIfCancellationRequested();
            var plan = new RunPlan
            {
                Algorithm = algorithm.Name,
                Seed = seed,
                Nemesis = request.Nemesis,
                TimeLimitS = request.TimeLimitS,
                IntervalS = request.IntervalS,
            }.Validated();
            exitCodes.Add(await new Runner(plan, TextWriter.Null).RunAsync(cancellation));
        }
        cancellation.ThrowIfCancellationRequested();
        var containerCost = request.DockerRuns > 0
            ? await Docker.ElectionCounter.MeasureKillsAsync(
                algorithm.Name, nodes: 5, kills: ContainerCostKills, cancellation)
            : null;
        Console.Error.WriteLine(
            $"{algorithm.Name}: {row.Invalid}/{row.Runs} invalid in the simulator; "
            + $"containers: {string.Join(",", exitCodes)}");
        return row with
        {
            ContainerExitCodes = exitCodes,
            ContainerCost = containerCost,
            ContainerCostMeasured = request.DockerRuns > 0,
        };
    }

    private static string NemesisText(Request request) =>
        request.Nemesis.Count == 0 ? "none" : string.Join(",", request.Nemesis.Select(k => k.Name));

    /// <summary>The command that produces the table again, numbers as the parser reads them.</summary>
    private static string CommandLine(Request request, bool named)
    {
        var only = named ? $" --algorithms {string.Join(",", request.Algorithms.Select(a => a.Name))}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"coup compare --seeds {request.Seeds} --nemesis {NemesisText(request)} "
            + $"--time-limit {request.TimeLimitS} --interval {request.IntervalS} "
            + $"--docker-runs {request.DockerRuns}{only}");
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
                throw CoupException.Usage(
                    $"unknown algorithm '{name}' in --algorithms; choose from: {string.Join(", ", Algorithms.Names)}");
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
