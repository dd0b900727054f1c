using System.Globalization;
using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Swarm;

/// <summary>
/// Swarm testing (Groce et al., ISSTA 2012; TigerBeetle's VOPR): each seed draws its own run options,
/// so that some runs leave most fault kinds out and rare combinations get hit. Pure: one seed, one
/// algorithm, one plan, drawn from <see cref="Seeds.Swarm"/>; the run then draws from its own sources
/// as any <c>coup run</c> does, so the plan's command line replays the seed without the swarm.
/// The ranges, every end inclusive, are documented in docs/swarm.md.
/// </summary>
public static class SwarmDraw
{
    public const int NodesMin = 3;
    public const int NodesMax = 7;
    /// <summary>Seconds of faults (the safety phase), whole seconds.</summary>
    public const int TimeLimitSMin = 80;
    public const int TimeLimitSMax = 180;
    /// <summary>Seconds between faults, in tenths; at most half the time limit, so at least one fault fits.</summary>
    public const double IntervalSMin = 4;
    public const double IntervalSMax = 10;
    /// <summary>The liveness phase: faults stopped and healed, the cluster must settle on one leader.</summary>
    public const int QuietSMin = 5;
    public const int QuietSMax = 10;
    public const int ClientsMin = 1;
    public const int ClientsMax = 5;
    public const int WriteRateHzMin = 2;
    public const int WriteRateHzMax = 20;
    /// <summary>
    /// How likely each fault family is to be in a seed's nemesis. Swarm testing leaves features out
    /// at random; this is the chance a family stays in (at least one always does).
    /// </summary>
    public const double FamilyChance = 0.3;
    /// <summary>
    /// The chance of the three families that aim at a known kind of bug rather than at random (chase:
    /// leaders that claim before their quorum; amnesia: voters that forget; packet delays: messages of
    /// an older term arriving late): left out less often.
    /// </summary>
    public const double AimedFamilyChance = 0.95;
    /// <summary>
    /// The algorithms' least election timeout (<c>--set election-timeout-ms</c>), in tens of ms: short
    /// ones make elections, and messages from an older term, more frequent under packet delays.
    /// </summary>
    public const int ElectionTimeoutMsMin = 100;
    /// <summary>
    /// A packet delay's mean, above the election timeout, to set off elections with messages in flight.
    /// </summary>
    public const int DelayMsMin = 250;
    public const int DelayMsMax = 600;
    public const int ElectionTimeoutMsMax = 200;

    /// <summary>Whom the fault families that take a target may hit.</summary>
    private static readonly string[] Targets = ["leader", "one", "minority", "majority", "all"];

    /// <summary>
    /// Whom a packet delay hits: several senders, so that messages of an older term from more than one
    /// node are in flight when a newer term starts (one delayed node was caught about half as often).
    /// </summary>
    private static readonly string[] DelayTargets = ["minority", "majority", "all"];

    /// <summary>
    /// The fault families a seed draws from, each with how it writes itself out given the seed's random
    /// source and node count. Amnesia needs <see cref="FaultKinds.AmnesiaNodesMin"/> nodes.
    /// </summary>
    private static readonly IReadOnlyList<(string Family, Func<Random, int, string?> Name)> Families =
    [
        ("kill", (_, _) => "kill"),
        ("pause", (_, _) => "pause"),
        ("partition", (_, _) => "partition"),
        ("partition-shape", (r, _) => Shape(r)),
        ("chase", (_, _) => "chase"),
        ("amnesia", (_, nodes) => nodes >= FaultKinds.AmnesiaNodesMin ? "amnesia" : null),
        ("clock", (_, _) => "clock"),
        ("clock-strobe", (r, _) =>
            $"{ClockStrobe.Name}={r.Next(50, 2001)}ms/{r.Next(ClockStrobe.PeriodMsMin, 3001)}ms:{Target(r)}"),
        ("packet-loss", (r, _) => $"packet-loss={r.Next(5, 61)}:{Target(r)}"),
        ("packet-delay", (r, _) => Delay(r)),
        ("packet-dup", (r, _) => $"packet-dup={r.Next(5, 51)}:{Target(r)}"),
        ("packet-reorder", (r, _) => $"packet-reorder={r.Next(10, 61)}:{Target(r)}"),
    ];

    /// <summary>Every fault family a draw may include, for docs and tests.</summary>
    public static IReadOnlyList<string> FamilyNames { get; } = [.. Families.Select(f => f.Family)];

    /// <summary>The run <paramref name="seed"/> draws for <paramref name="algorithm"/>, in the simulator.</summary>
    public static RunPlan Plan(string algorithm, int seed, string store)
    {
        var random = new Random(Seeds.Swarm(seed));
        // Amnesia needs a cluster of its size: when it is kept, the size is drawn from there up.
        var amnesia = random.NextDouble() < AimedFamilyChance;
        var nodes = random.Next(amnesia ? FaultKinds.AmnesiaNodesMin : NodesMin, NodesMax + 1);
        var timeLimitS = random.Next(TimeLimitSMin, TimeLimitSMax + 1);
        var intervalS = Math.Min(Tenths(random, IntervalSMin, IntervalSMax), timeLimitS / 2.0);
        // Every family's draw is made whether or not it is kept, so one family's parameters never shift another's.
        var drawn = Families.Select(f => (
                Name: f.Name(random, nodes),
                Kept: f.Family == "amnesia" ? amnesia : random.NextDouble() < Chance(f.Family)))
            .Where(f => f.Name is not null).ToList();
        var kept = drawn.Where(f => f.Kept).Select(f => f.Name!).ToList();
        if (kept.Count == 0)
        {
            kept.Add(drawn[random.Next(drawn.Count)].Name!);
        }
        var nemesis = Inputs.ParseNemesis(string.Join(",", kept), out var problem)
            ?? throw new InvalidOperationException($"the swarm drew a nemesis coup run refuses: {problem}");
        return new RunPlan
        {
            Algorithm = algorithm,
            Seed = seed,
            Runtime = RuntimeKind.Sim,
            Store = store,
            Nodes = nodes,
            TimeLimitS = timeLimitS,
            IntervalS = intervalS,
            Nemesis = nemesis,
            Clients = random.Next(ClientsMin, ClientsMax + 1),
            WriteRateHz = random.Next(WriteRateHzMin, WriteRateHzMax + 1),
            QuietS = random.Next(QuietSMin, QuietSMax + 1),
            Settings = [ElectionTimeout(random)],
        };
    }

    private static string ElectionTimeout(Random random) => string.Create(CultureInfo.InvariantCulture,
        $"{AlgorithmSettings.ElectionTimeoutName}="
        + $"{random.Next(ElectionTimeoutMsMin / 10, ElectionTimeoutMsMax / 10 + 1) * 10}");

    private static double Chance(string family) =>
        family is "chase" or "packet-delay" ? AimedFamilyChance : FamilyChance;

    private static string Shape(Random random)
    {
        var name = PartitionSpec.Names[random.Next(PartitionSpec.Names.Count)];
        var shape = PartitionSpec.Parse(name, out _)!.Shape;
        // A partition cannot cut off every node: its targets stop short of all.
        return PartitionSpec.TakesTarget(shape) ? $"{name}:{Targets[random.Next(Targets.Length - 1)]}" : name;
    }

    private static string Delay(Random random)
    {
        var delayMs = random.Next(DelayMsMin, DelayMsMax + 1);
        var target = DelayTargets[random.Next(DelayTargets.Length)];
        return $"packet-delay={delayMs}~{random.Next(0, delayMs / 2 + 1)}:{target}";
    }

    private static string Target(Random random) => Targets[random.Next(Targets.Length)];

    private static double Tenths(Random random, double min, double max) =>
        Math.Round(min + random.Next(0, (int)Math.Round((max - min) * 10) + 1) / 10.0, 1);

    /// <summary>The ranges for people: docs/swarm.md and <c>coup swarm --help</c> say the same.</summary>
    public static string Ranges => string.Create(CultureInfo.InvariantCulture,
        $"nodes {NodesMin}-{NodesMax}, election timeout {ElectionTimeoutMsMin}-{ElectionTimeoutMsMax} ms, "
        + $"time limit {TimeLimitSMin}-{TimeLimitSMax} s, interval {IntervalSMin}-"
        + $"{IntervalSMax} s, quiet {QuietSMin}-{QuietSMax} s, clients {ClientsMin}-{ClientsMax} at "
        + $"{WriteRateHzMin}-{WriteRateHzMax} writes/s, each fault family kept with chance {FamilyChance} "
        + $"(chase, amnesia and packet-delay {AimedFamilyChance}; with amnesia, {FaultKinds.AmnesiaNodesMin}+ nodes)");
}
