using Coup.Nodes;

namespace Coup.Faults;

/// <summary>
/// The seeded fault schedule: one fault every <c>interval</c> seconds with jitter, each healed
/// before the next, kinds taken in a seeded rotation so a short run still sees every kind.
/// The first fault waits one interval so the cluster can elect; the last heals before the limit.
/// </summary>
public static class FaultSchedule
{
    public const double JitterFraction = 0.2;
    public const double HoldFraction = 0.5;

    public static IReadOnlyList<PlannedFault> Plan(
        IReadOnlyList<FaultChoice> choices, double timeLimitS, double intervalS, int seed)
    {
        if (choices.Count == 0 || intervalS <= 0)
        {
            return [];
        }
        var random = new Random(Seeds.Schedule(seed));
        var rotation = choices.OrderBy(_ => random.Next()).ToList();
        var faults = new List<PlannedFault>();
        var startS = intervalS * (1 + Jitter(random));
        while (true)
        {
            var holdS = intervalS * HoldFraction * (1 + Jitter(random));
            if (startS + holdS > timeLimitS)
            {
                break;
            }
            var choice = rotation[faults.Count % rotation.Count];
            var kind = choice.Kind;
            faults.Add(new PlannedFault
            {
                StartS = startS,
                HoldS = holdS,
                Kind = kind,
                Target = ChooseTarget(kind, random),
                ChoiceSeed = random.Next(),
                // A strobe's jump is the user's, so it draws nothing: runs without one keep their draws.
                Clock = kind != FaultKind.Clock ? null : choice.Strobe?.Forward ?? ChooseClockChange(random),
                Strobe = choice.Strobe,
                Partition = choice.Partition,
                Packet = choice.Packet,
            });
            startS += intervalS * (1 + Jitter(random));
        }
        return faults;
    }

    private static double Jitter(Random random) => (random.NextDouble() * 2 - 1) * JitterFraction;

    /// <summary>
    /// The targets a fault of <paramref name="kind"/> may be given, the one it takes by default last
    /// (the leader): a draw between two, none for one.
    /// </summary>
    public static IReadOnlyList<TargetChoice> Targets(FaultKind kind) => kind switch
    {
        FaultKind.Partition => [TargetChoice.RandomHalves, TargetChoice.IsolateLeader],
        FaultKind.Chase or FaultKind.Amnesia => [TargetChoice.IsolateLeader],
        _ => [TargetChoice.RandomNode, TargetChoice.Leader],
    };

    public static TargetChoice ChooseTarget(FaultKind kind, Random random) =>
        Targets(kind) is { Count: 1 } only ? only[0] : Targets(kind)[random.Next(2)];

    /// <summary>An offset bump of a few seconds either way, or timers running at half or double speed.</summary>
    public static ClockChange ChooseClockChange(Random random) => random.Next(2) == 0
        ? new ClockChange { OffsetS = (random.Next(2) == 0 ? -1 : 1) * (1 + random.Next(5)) }
        : new ClockChange { Rate = random.Next(2) == 0 ? 0.5 : 2 };
}
