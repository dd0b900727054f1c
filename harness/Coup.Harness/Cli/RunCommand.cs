using System.CommandLine;
using Coup.Faults.Timelines;
using Coup.Harness.Plans;
using Coup.Harness.Run;
using Coup.Reports.Matrix;

namespace Coup.Harness.Cli;

internal static class RunCommand
{
    public static Command Create() => Create(RunAndIndexAsync);

    /// <summary>
    /// One run, then the store's index.html again, so the store lists it. The run's exit code (or its
    /// exception) is what counts: an index that cannot be written is one warning line, not a new outcome.
    /// </summary>
    private static async Task<int> RunAndIndexAsync(RunPlan plan, CancellationToken cancellation)
    {
        try
        {
            return await new Runner(plan, Console.Out).RunAsync(cancellation);
        }
        finally
        {
            WriteIndex(plan.Store);
        }
    }

    internal static void WriteIndex(string store)
    {
        try
        {
            StoreIndex.Write(store);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"coup: warning: {Path.Combine(store, StoreIndex.FileName)} was not rewritten "
                + $"({Inputs.OneLine(e.Message)}); the run itself is stored");
        }
    }

    /// <summary>
    /// The command, handing the validated plan to <paramref name="run"/> (tests see what the parser made).
    /// </summary>
    internal static Command Create(Func<RunPlan, CancellationToken, Task<int>> run)
    {
        var algorithm = new Option<string>("--algorithm", "-a")
        {
            Description = "election algorithm to run (see coup algorithms)",
            DefaultValueFactory = _ => RunPlan.DefaultAlgorithm,
        };
        var nodes = Inputs.Whole(OptionLimits.Nodes, "cluster size", "-n");
        var timeLimit = Inputs.Number(OptionLimits.TimeLimitS,
            "seconds of faults and workload, before the final heal", "-t");
        var nemesis = Inputs.Nemesis("none",
            "comma-separated fault kinds, each once: kill,pause,partition,clock,chase,amnesia, or partition shapes " +
            "partition-halves|isolate|one-way-in|one-way-out|bridge|ring|minority[:TARGET] " +
            "(docs/partitions.md), or packet faults packet-loss[=P]|delay[=MS[~J]]|dup[=P]|reorder[=P][:TARGET] " +
            "(docs/packets.md) (or none)");
        var interval = Inputs.Number(OptionLimits.IntervalS,
            "seconds between faults (jittered); each is healed before the next; at most --time-limit, and at most "
            + $"{OptionLimits.FaultsMax} faults a run");
        var timeline = new Option<string?>("--timeline")
        {
            Description = "a scripted nemesis instead of --nemesis and --interval: a YAML or JSON timeline file, "
                + "or the timeline itself inline as a reproduce line gives it (docs/timelines.md)",
        };
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
            Description = "a setting, name=value (repeatable): a system's (docs/systems.md), or without --system "
                + $"the algorithm's: {AlgorithmSettings.ElectionTimeoutName} "
                + $"({AlgorithmSettings.ElectionTimeoutMs.Help}, "
                + $"default {AlgorithmSettings.ElectionTimeoutMs.Default})",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var observe = Inputs.Whole(OptionLimits.ObservePeriodMs,
            "how often each member of a real system is asked for its role and term");
        var quiet = Inputs.Number(OptionLimits.QuietS, "seconds after the final heal before the final observation");

        var planFile = new Option<string?>("--plan")
        {
            Description =
                "run one cell of a plan file (with --cell; the plan sets every other option but --seed and --store)",
        };
        var cell = new Option<string?>("--cell")
        {
            Description = "the cell's id, as coup plan validate and matrix.json name it, e.g. raft/partition/sim/5",
        };
        var command = new Command("run", "start a cluster, inject faults, record, check and report")
        {
            algorithm, system, set, observe, nodes, timeLimit, nemesis, interval, timeline, seed, runtime, store,
            clients, rate, quiet, planFile, cell,
        };
        Option[] planned =
        [
            algorithm, system, set, observe, nodes, timeLimit, nemesis, interval, timeline, runtime, clients, rate,
            quiet,
        ];
        command.SetAction((parse, cancellation) => Guard.Run(() =>
        {
            if (parse.GetValue(planFile) is { } file)
            {
                var given = planned.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
                var cellPlan = FromPlan(
                    file, parse.GetValue(cell), parse.GetValue(seed), parse.GetValue(store)!, given);
                Inputs.WritableDirectory(cellPlan.Store, "--store");
                return run(cellPlan, cancellation);
            }
            if (parse.GetValue(cell) is not null)
            {
                throw CoupException.Usage("--cell names a cell of a plan; add --plan FILE");
            }
            var scripted = parse.GetValue(timeline) is { } text ? TimelineText(text, parse, nemesis, interval) : null;
            var plan = new RunPlan
            {
                Timeline = scripted,
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

    /// <summary>
    /// The timeline's one-line JSON; refused beside <c>--nemesis</c> or <c>--interval</c>, which it replaces.
    /// </summary>
    private static string TimelineText(string given, ParseResult parse, params Option[] replaced)
    {
        if (replaced.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } both)
        {
            throw CoupException.Usage($"--timeline replaces {both.Name}: a timeline says which faults and when; " +
                $"drop {both.Name} or --timeline");
        }
        return TimelineWriter.ToCompactJson(TimelineFile.Load(given));
    }

    /// <summary>The run of one cell of a plan file, for <paramref name="seed"/> or the cell's first seed.</summary>
    private static RunPlan FromPlan(string file, string? cellId, int? seed, string store, Option? given)
    {
        if (given is not null)
        {
            throw CoupException.Usage($"{given.Name} is set by the plan with --plan; drop {given.Name} or --plan");
        }
        if (cellId is null)
        {
            throw CoupException.Usage(
                "--plan runs one cell: add --cell ID (matrix.json and docs/plans.md show the ids)");
        }
        var (plan, expansion) = PlanCommand.Load(file);
        var cell = expansion.Find(cellId) ?? throw CoupException.Usage(
            $"{file} has no cell '{cellId}'; its cells are: "
            + string.Join(", ", expansion.Cells.Take(12).Select(c => c.Id))
            + (expansion.Cells.Count > 12 ? $" and {expansion.Cells.Count - 12} more" : ""));
        return cell.RunPlan(plan, seed ?? cell.Seeds[0], store).Validated();
    }
}
