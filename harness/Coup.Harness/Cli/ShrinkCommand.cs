using System.CommandLine;
using Coup.Harness.Run;
using Coup.Harness.Shrink;

namespace Coup.Harness.Cli;

/// <summary>
/// <c>coup shrink RUN [--anomaly KEY] [--runs-max N] [--store DIR]</c> and
/// <c>coup replay RUN [--runtime docker|sim] [--store DIR]</c>.
/// </summary>
internal static class ShrinkCommand
{
    public static Command Create()
    {
        var directory = RunDirectory("a failing simulator run, e.g. store/latest or a swarm's seeds/N");
        var anomaly = new Option<string?>("--anomaly")
        {
            Description = "the anomaly to keep, as swarm and replay print it "
                + "(e.g. 'election-safety: same-term-leaders'); "
                + "default: the run's first",
        };
        var runsMax = Inputs.Whole(OptionLimits.ShrinkRuns, "simulator runs to try at most");
        var store = Store();
        var command = new Command("shrink",
            "reduce a failing simulator run to a smaller one that still shows its anomaly (fewer faults, shorter, "
            + "fewer nodes and clients); writes it as a run with its report and timeline.yaml")
        {
            directory, anomaly, runsMax, store,
        };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            var root = Inputs.WritableDirectory(parse.GetValue(store)!, "--store");
            try
            {
                return await new ShrinkRun(parse.GetValue(directory)!, parse.GetValue(anomaly),
                    parse.GetValue(runsMax), root, Console.Out).RunAsync(cancellation);
            }
            finally
            {
                RunCommand.WriteIndex(root);
            }
        }));
        return command;
    }

    public static Command CreateReplay()
    {
        var directory = RunDirectory("a saved run, e.g. the run a shrink wrote");
        var runtime = Inputs.Runtime();
        var store = Store();
        var command = new Command("replay",
            "run a saved run again (same algorithm, nodes, seed, workload and faults) in the runtime asked for, "
            + "and say which of its anomalies came back")
        {
            directory, runtime, store,
        };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            var root = Inputs.WritableDirectory(parse.GetValue(store)!, "--store");
            try
            {
                return await new ReplayRun(parse.GetValue(directory)!, parse.GetValue(runtime), root, Console.Out)
                    .RunAsync(cancellation);
            }
            finally
            {
                RunCommand.WriteIndex(root);
            }
        }));
        return command;
    }

    private static Argument<string> RunDirectory(string description) => new("run-dir") { Description = description };

    private static Option<string> Store() => new("--store")
    {
        Description = "directory that keeps the new run; must be writable",
        DefaultValueFactory = _ => RunStore.DefaultRoot,
    };
}
