using Coup.Checkers.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// How long the cluster went without a leader a majority acknowledges, and how the client
/// writes fared. Informational: the verdict comes from safety and liveness.
/// </summary>
public sealed class AvailabilityChecker : IChecker
{
    public string Name => "availability";

    public CheckResult Check(History.History history)
    {
        long? firstLeaderNs = null;
        long? gapStartNs = null;
        var leaderlessNs = 0L;
        var longestNs = 0L;
        foreach (var (timeNs, leader) in LeadershipTimeline.MajorityLeaderOverTime(history, "default"))
        {
            if (leader is not null)
            {
                firstLeaderNs ??= timeNs;
                if (gapStartNs is { } start)
                {
                    leaderlessNs += timeNs - start;
                    longestNs = Math.Max(longestNs, timeNs - start);
                    gapStartNs = null;
                }
            }
            else if (firstLeaderNs is not null && gapStartNs is null)
            {
                gapStartNs = timeNs;
            }
        }
        if (gapStartNs is { } open)
        {
            leaderlessNs += history.EndNs - open;
            longestNs = Math.Max(longestNs, history.EndNs - open);
        }
        var ops = history.Ops.ToList();
        double Count(string phase) => ops.Count(o => o.Phase == phase);
        var invoked = Count(OpPhases.Invoke);
        var ok = Count(OpPhases.Ok);
        var availability = invoked == 0 ? 1 : ok / invoked;
        return new CheckResult
        {
            Checker = Name,
            Verdict = Verdict.Valid,
            Summary = $"no majority leader for {leaderlessNs / 1e6:0} ms (longest {longestNs / 1e6:0} ms); {ok:0}/{invoked:0} writes acknowledged ({availability:P1})",
            Figures = new Dictionary<string, double>
            {
                ["firstLeaderMs"] = firstLeaderNs is { } first ? first / 1e6 : double.NaN,
                ["unavailableMs"] = leaderlessNs / 1e6,
                ["longestUnavailableMs"] = longestNs / 1e6,
                ["invoked"] = invoked,
                ["ok"] = ok,
                ["fail"] = Count(OpPhases.Fail),
                ["info"] = Count(OpPhases.Info),
                ["availability"] = availability,
            },
        };
    }
}
