using System.CommandLine;
using Coup.Harness.Run;

namespace Coup.Harness.Cli;

internal static class RunCommand
{
    public static Command Create() => Create((plan, cancellation) => new Runner(plan, Console.Out).RunAsync(cancellation));

    /// <summary>The command, handing the validated plan to <paramref name="run"/> (tests see what the parser made).</summary>
    internal static Command Create(Func<RunPlan, CancellationToken, Task<int>> run)
    {
        var algorithm = new Option<string>("--algorithm", "-a")
        {
            Description = "election algorithm to run (see coup algorithms)",
            DefaultValueFactory = _ => "raft",
        };
        var nodes = Inputs.Whole(OptionLimits.Nodes, "cluster size", "-n");
        var timeLimit = Inputs.Number(OptionLimits.TimeLimitS,
            "seconds of faults and workload, before the final heal", "-t");
        var nemesis = Inputs.Nemesis("none",
            "comma-separated fault kinds, each once: kill,pause,partition,clock,chase,amnesia (or none)");
        var interval = Inputs.Number(OptionLimits.IntervalS,
            "seconds between faults (jittered); each is healed before the next; at most --time-limit, and at most "
            + $"{OptionLimits.FaultsMax} faults a run");
        var seed = Inputs.Seed("seed for every random choice (default: a fresh one, printed)");
        var runtime = Inputs.Runtime();
        var store = new Option<string>("--store")
        {
            Description = "directory that keeps every run; must be writable",
            DefaultValueFactory = _ => RunStore.DefaultRoot,
        };
        var clients = Inputs.Whole(OptionLimits.Clients, "concurrent client processes");
        var rate = Inputs.Number(OptionLimits.WriteRateHz,
            $"writes per second per client; clients x rate x (time-limit + quiet) at most {OptionLimits.WritesMax}");
        var system = new Option<string?>("--system")
        {
            Description = "a real system instead of Coup's nodes: etcd, zookeeper or redis-sentinel (containers only)",
        };
        var set = new Option<string[]>("--set")
        {
            Description = "a system setting, name=value (repeatable; see docs/systems.md)",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var observe = Inputs.Whole(OptionLimits.ObservePeriodMs,
            "how often each member of a real system is asked for its role and term");
        var quiet = Inputs.Number(OptionLimits.QuietS, "seconds after the final heal before the final observation");

        var command = new Command("run", "start a cluster, inject faults, record, check and report")
        {
            algorithm, system, set, observe, nodes, timeLimit, nemesis, interval, seed, runtime, store, clients, rate, quiet,
        };
        command.SetAction((parse, cancellation) => Guard.Run(() =>
        {
            var plan = new RunPlan
            {
                Algorithm = parse.GetValue(algorithm)!,
                Nodes = parse.GetValue(nodes),
                TimeLimitS = parse.GetValue(timeLimit),
                Nemesis = parse.GetValue(nemesis)!,
                IntervalS = parse.GetValue(interval),
                Seed = parse.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000),
                Runtime = parse.GetValue(runtime),
                Store = parse.GetValue(store)!,
                Clients = parse.GetValue(clients),
                WriteRateHz = parse.GetValue(rate),
                QuietS = parse.GetValue(quiet),
                System = parse.GetValue(system),
                Settings = parse.GetValue(set) ?? [],
                ObservePeriodMs = parse.GetValue(observe),
            }.Validated();
            Inputs.WritableDirectory(plan.Store, "--store");
            return run(plan, cancellation);
        }));
        return command;
    }
}
