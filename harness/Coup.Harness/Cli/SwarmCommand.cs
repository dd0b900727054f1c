using System.CommandLine;
using Coup.Harness.Matrix;
using Coup.Harness.Run;
using Coup.Harness.Swarm;

namespace Coup.Harness.Cli;

/// <summary>
/// <c>coup swarm --algorithm NAME --seeds N [--first-seed S] [--parallel P] [--store DIR] [--keep-all]</c>:
/// every seed draws its own faults, size and workload, runs in the simulator, and is checked.
/// </summary>
internal static class SwarmCommand
{
    public static Command Create() => Create(RunAsync);

    private static async Task<int> RunAsync(SwarmOptions options, CancellationToken cancellation)
    {
        IMatrixProgress progress = Console.IsOutputRedirected
            ? new PlainProgress(Console.Out, "swarm") : new LiveProgress();
        var (summary, directory) = await new SwarmRunner(options, progress, Console.Error).RunAsync(cancellation);
        summary.Print(Console.Out, directory);
        return summary.ExitCode;
    }

    /// <summary>
    /// The command, handing the validated options to <paramref name="run"/> (tests see what the parser made).
    /// </summary>
    internal static Command Create(Func<SwarmOptions, CancellationToken, Task<int>> run)
    {
        var algorithm = new Option<string>("--algorithm", "-a")
        {
            Description = "election algorithm to run (see coup algorithms)",
            Required = true,
        };
        var seeds = Inputs.Whole(OptionLimits.SwarmSeeds, "seeds to run, from --first-seed on");
        var firstSeed = Inputs.Whole(
            OptionLimits.Seed with { Option = "--first-seed", Default = 1 }, "the first seed");
        var parallel = Inputs.Whole(OptionLimits.Parallel, "seeds run at once (default: one per core)");
        var store = new Option<string>("--store")
        {
            Description = "directory that keeps the swarm's summary and its failing seeds' histories; "
                + "must be writable",
            DefaultValueFactory = _ => RunStore.DefaultRoot,
        };
        var keepAll = new Option<bool>("--keep-all")
        {
            Description = "keep every seed's history, not only the failing ones'",
        };
        var command = new Command("swarm",
            $"run many seeds, each drawing its own faults and cluster ({SwarmDraw.Ranges}); "
            + "group the failing seeds by anomaly, each with its reproduce line")
        {
            algorithm, seeds, firstSeed, parallel, store, keepAll,
        };
        command.SetAction((parse, cancellation) => Guard.Run(() =>
        {
            var options = new SwarmOptions
            {
                Algorithm = parse.GetValue(algorithm)!,
                Seeds = parse.GetValue(seeds),
                FirstSeed = parse.GetValue(firstSeed),
                Parallel = parse.GetValue(parallel),
                Store = parse.GetValue(store)!,
                KeepAll = parse.GetValue(keepAll),
            }.Validated();
            Inputs.WritableDirectory(options.Store, "--store");
            return run(options, cancellation);
        }));
        return command;
    }
}
