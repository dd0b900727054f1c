using System.Text.Json.Nodes;
using Coup.Faults;
using Coup.Faults.Timelines;
using Coup.Nodes;
using Coup.Reports;
using RunStarted = Coup.History.RunStarted;

namespace Coup.Harness.Run;

public enum RuntimeKind { Docker, Sim }

/// <summary>Everything needed to run a test again, seed included; saved as <c>plan.json</c>.</summary>
public sealed record RunPlan
{
    /// <summary>What <c>--algorithm</c> defaults to, and what a system's plan carries in its place.</summary>
    public const string DefaultAlgorithm = "raft";

    public required string Algorithm { get; init; }
    public int Nodes { get; init; } = OptionLimits.Nodes.Default;
    public double TimeLimitS { get; init; } = OptionLimits.TimeLimitS.Default;
    public IReadOnlyList<FaultChoice> Nemesis { get; init; } = [];
    /// <summary>
    /// A scripted timeline instead of <see cref="Nemesis"/> (docs/timelines.md), as the one-line JSON
    /// <see cref="TimelineWriter.ToCompactJson"/> writes: saved with the run, carried by its reproduce line.
    /// </summary>
    public string? Timeline { get; init; }
    public double IntervalS { get; init; } = OptionLimits.IntervalS.Default;
    public required int Seed { get; init; }
    public RuntimeKind Runtime { get; init; } = RuntimeKind.Docker;
    public string Store { get; init; } = RunStore.DefaultRoot;
    /// <summary>Concurrent client processes, each with one write outstanding at a time.</summary>
    public int Clients { get; init; } = OptionLimits.Clients.Default;
    /// <summary>Writes each client issues per second.</summary>
    public double WriteRateHz { get; init; } = OptionLimits.WriteRateHz.Default;
    /// <summary>After the final heal: how long the cluster gets to converge before the final observation.</summary>
    public double QuietS { get; init; } = OptionLimits.QuietS.Default;
    /// <summary>
    /// A real system (etcd, zookeeper, redis-sentinel) instead of Coup's node host; then <see cref="Algorithm"/> is
    /// ignored.
    /// </summary>
    public string? System { get; init; }
    /// <summary>
    /// The system's settings, <c>name=value</c>, over its defaults; without a system, the algorithm's
    /// (<see cref="Run.AlgorithmSettings"/>).
    /// </summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
    /// <summary>How often each member of a real system is asked for its role and term.</summary>
    public int ObservePeriodMs { get; init; } = OptionLimits.ObservePeriodMs.Default;

    /// <summary>What is elected: the system's name, or the algorithm's.</summary>
    public string Target => System ?? Algorithm;

    public string TestName => Timeline is not null ? $"{Target}-timeline"
        : $"{Target}-{(Nemesis.Count == 0 ? "none" : string.Join("-", Nemesis.Select(k => k.Name)))}";

    /// <summary>The faults the run may play: the timeline's, or <see cref="Nemesis"/>.</summary>
    public IReadOnlyList<FaultChoice> Choices => ReadTimeline()?.Choices ?? Nemesis;

    /// <summary>Coup's algorithm's settings (defaults for a real system, which ignores them).</summary>
    public AlgorithmSettings AlgorithmSettings => System is null ? AlgorithmSettings.From(Settings) : new();

    public IReadOnlyList<string> NodeNames => Coup.Nodes.NodeNames.ForCount(Nodes);

    /// <summary>Checks every option; the first problem becomes a one-line usage error.</summary>
    public RunPlan Validated()
    {
        if (System is not null)
        {
            ValidateSystem();
        }
        else if (!Algorithms.IsKnown(Algorithm))
        {
            throw CoupException.Usage(
                $"unknown algorithm '{Algorithm}'; choose one of: {string.Join(", ", Algorithms.Names)}");
        }
        else
        {
            AlgorithmSettings.From(Settings);
        }
        OptionLimits.Nodes.Checked(Nodes);
        if (Choices.Contains(FaultKind.Amnesia) && Nodes < FaultKinds.AmnesiaNodesMin)
        {
            throw CoupException.Usage(
                $"--nemesis amnesia needs at least {FaultKinds.AmnesiaNodesMin}"
                + $" nodes (the leader and the sleeper cut off, a majority left to elect a successor), got --nodes "
                + $"{Nodes}; use --nodes {FaultKinds.AmnesiaNodesMin} or drop amnesia");
        }
        if (Choices.Select(c => c.Partition?.Target).OfType<NodeTarget>().FirstOrDefault(t =>
            t.Kind == NodeTargetKind.Listed && (t.Listed.Except(NodeNames).Any() || t.Listed.Count >= Nodes))
            is { } listed)
        {
            throw CoupException.Usage($"--nemesis names the nodes {listed}, which must be some of " +
                $"{string.Join(",", NodeNames)}, not all of them");
        }
        if (Choices.Select(c => c.Packet?.Target ?? c.Strobe?.Target).OfType<NodeTarget>().FirstOrDefault(t =>
            t.Kind == NodeTargetKind.Listed && t.Listed.Except(NodeNames).Any()) is { } shaped)
        {
            throw CoupException.Usage($"--nemesis names the nodes {shaped}, which must be some of " +
                $"{string.Join(",", NodeNames)}");
        }
        OptionLimits.TimeLimitS.Checked(TimeLimitS);
        OptionLimits.IntervalS.Checked(IntervalS);
        OptionLimits.Seed.Checked(Seed);
        OptionLimits.Clients.Checked(Clients);
        OptionLimits.WriteRateHz.Checked(WriteRateHz);
        OptionLimits.QuietS.Checked(QuietS);
        OptionLimits.ObservePeriodMs.Checked(ObservePeriodMs);
        if (Timeline is not null && Nemesis.Count > 0)
        {
            throw CoupException.Usage("--timeline and --nemesis both name faults; a timeline names its own: drop one");
        }
        Tracks();
        if (Nemesis.Distinct().Count() != Nemesis.Count)
        {
            throw CoupException.Usage("--nemesis names a kind twice; name each kind once");
        }
        if (OptionLimits.Problem(Timeline is null && Nemesis.Count > 0, TimeLimitS, IntervalS, Clients, WriteRateHz,
            QuietS) is { } problem)
        {
            throw CoupException.Usage(problem);
        }
        return this;
    }

    private void ValidateSystem()
    {
        var system = Systems.ClusterSystems.Find(System!);
        if (Runtime != RuntimeKind.Docker)
        {
            throw CoupException.Usage(
                $"{system.Name} runs only in containers; drop --runtime {Runtime.ToString().ToLowerInvariant()}");
        }
        if (Choices.Any(c => c.Kind == FaultKind.Clock) && system.ClockRefusal is { } refusal)
        {
            throw CoupException.Usage(refusal);
        }
        if (Docker.PacketPaths.Refusal(Choices, system.Name, Docker.PacketPaths.KernelHasNetem) is { } packets)
        {
            throw CoupException.Usage(packets);
        }
        if (Nodes < system.NodesMin)
        {
            throw CoupException.Usage($"{system.Name} needs at least {system.NodesMin} nodes, got --nodes {Nodes}");
        }
        if (Choices.FirstOrDefault(c => c.Partition?.CutsOneWay(Nodes) == true) is { } oneWay)
        {
            throw CoupException.Usage($"--nemesis {oneWay.Name} cuts links one way, which {system.Name} " +
                "cannot take: it carries both directions on one connection (docs/partitions.md); use a two-way shape");
        }
        Systems.SystemSettings.From(system, Settings);
    }

    public IReadOnlyList<PlannedFault> Schedule() => FaultSchedule.Plan(Nemesis, TimeLimitS, IntervalS, Seed);

    /// <summary>
    /// The faults the run plays, each track sequential and all tracks at once: the timeline compiled for
    /// this seed and time limit, or the one seeded schedule of <see cref="Nemesis"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<PlannedFault>> Tracks()
    {
        if (ReadTimeline() is not { } timeline)
        {
            return [Schedule()];
        }
        var (tracks, problem) = TimelineCompiler.Compile(timeline, Seed, TimeLimitS);
        return problem is null ? tracks : throw CoupException.Usage(problem.Line("--timeline"));
    }

    /// <summary>What the run plays: one nemesis, or a timeline's tracks as one.</summary>
    public INemesis PlayedNemesis()
    {
        var tracks = Tracks();
        return tracks.Count == 1 ? new Nemesis(tracks[0], NodeNames)
            : new NemesisTracks([.. tracks.Select(t => new Nemesis(t, NodeNames))]);
    }

    private Timeline? ReadTimeline()
    {
        if (Timeline is null)
        {
            return null;
        }
        var (timeline, problems) = TimelineReader.Read(JsonNode.Parse(Timeline));
        return timeline ?? throw CoupException.Usage(problems[0].Line("--timeline"));
    }

    /// <summary>
    /// The plan a run-start describes (the inverse of <see cref="Events.Started"/>): what <c>coup shrink</c>
    /// and <c>coup replay</c> run again. Options an older history did not record take their defaults.
    /// </summary>
    public static RunPlan FromStarted(RunStarted run, string store)
    {
        IReadOnlyList<FaultChoice> nemesis = run.Timeline is not null ? []
            : Cli.Inputs.ParseNemesis(string.Join(",", run.Nemesis), out var problem)
                ?? throw CoupException.Usage($"the run's nemesis cannot be read: {problem}");
        return new RunPlan
        {
            Algorithm = run.System is null ? run.Algorithm : DefaultAlgorithm,
            System = run.System,
            Settings = run.Settings ?? [],
            Nodes = run.Nodes.Count,
            Seed = run.Seed,
            Nemesis = nemesis,
            Timeline = run.Timeline?.ToJsonString(),
            TimeLimitS = run.TimeLimitS,
            IntervalS = run.IntervalS,
            Runtime = Enum.Parse<RuntimeKind>(run.Runtime, ignoreCase: true),
            Clients = run.Clients ?? OptionLimits.Clients.Default,
            WriteRateHz = run.WriteRateHz ?? OptionLimits.WriteRateHz.Default,
            QuietS = run.QuietS ?? OptionLimits.QuietS.Default,
            ObservePeriodMs = run.ObservePeriodMs ?? OptionLimits.ObservePeriodMs.Default,
            Store = store,
        };
    }

    /// <summary>
    /// The command line that runs this plan again: built from its run-start, as the report builds it.
    /// </summary>
    public string Command => Report.Reproduce(Events.Started(this, DateTimeOffset.UnixEpoch));
}
