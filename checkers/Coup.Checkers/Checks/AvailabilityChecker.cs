using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// How long the cluster went without a leader that a majority acknowledges, and how the client
/// operations fared. Informational: the verdict comes from safety and liveness; this one is valid or,
/// when a node never reported or the clients ran and recorded nothing, unknown.
/// </summary>
public sealed class AvailabilityChecker : IChecker
{
    public string Name => "availability";

    /// <summary>The figure counting <c>fail</c>s that are refusals by a node not leading.</summary>
    public const string Refused = "refused";

    /// <summary>One group's leaderless time; a group that never had a majority leader was unavailable the whole run.</summary>
    private sealed record Leaderless(long? FirstLeaderNs, long TotalNs, long LongestNs);

    public CheckResult Check(RunHistory history)
    {
        var groups = LeadershipTimeline.Groups(history).Select(g => Measure(history, g)).ToList();
        // A refusal by a node that does not lead is the client's miss, counted apart from real failures.
        var ops = history.Ops.GroupBy(o => OpErrors.IsNotLeader(o) ? Refused : o.Phase)
            .ToDictionary(g => g.Key, g => g.Count());
        var invoked = ops.GetValueOrDefault(OpPhases.Invoke);
        var ok = ops.GetValueOrDefault(OpPhases.Ok);
        var figures = new Dictionary<string, double>
        {
            ["unavailableMs"] = groups.Sum(g => g.TotalNs) / 1e6,
            ["longestUnavailableMs"] = groups.Max(g => g.LongestNs) / 1e6,
            ["invoked"] = invoked,
            ["ok"] = ok,
            ["fail"] = ops.GetValueOrDefault(OpPhases.Fail),
            [Refused] = ops.GetValueOrDefault(Refused),
            ["info"] = ops.GetValueOrDefault(OpPhases.Info),
        };
        // Undefined figures are left out rather than written as NaN.
        if (groups.All(g => g.FirstLeaderNs is not null))
        {
            figures["firstLeaderMs"] = groups.Max(g => g.FirstLeaderNs!.Value) / 1e6;
        }
        if (invoked > 0)
        {
            figures["availability"] = (double)ok / invoked;
            figures["longestWithoutAckMs"] = LongestWithoutAcknowledgementNs(history) / 1e6;
        }
        var leaders = figures.TryGetValue("firstLeaderMs", out var firstMs)
            ? $"first majority leader after {firstMs:0} ms, then none for {figures["unavailableMs"]:0} ms (longest {figures["longestUnavailableMs"]:0} ms)"
            : "no majority leader in some group for the whole run";
        var clients = invoked == 0 ? "no client operations"
            : $"{ok}/{invoked} operations acknowledged ({figures["availability"]:P1}), " +
              $"{figures[Refused]} refused by a node not leading, " +
              $"{figures["fail"]} failed, {figures["info"]} indeterminate; " +
              $"longest with writes sent and none acknowledged {figures["longestWithoutAckMs"]:0} ms";
        var found = new CheckResult
        {
            Checker = Name,
            Verdict = Verdict.Valid,
            Summary = $"{leaders}; {clients}",
            Figures = figures,
        };
        return Evidence.Judge(found, history, Needs.Reports | Needs.Operations);
    }

    /// <summary>
    /// The longest stretch in which clients were writing and no write was acknowledged: from the first
    /// invoke after an acknowledgement (or the run's first invoke) to the next acknowledgement, or to the
    /// clients' last operation when none came. A leader that is claimed but cannot commit (its answers
    /// cut off) leaves no leaderless time, and shows here.
    /// </summary>
    private static long LongestWithoutAcknowledgementNs(RunHistory history)
    {
        long? stretchStartNs = null;
        var longestNs = 0L;
        var lastNs = 0L;
        foreach (var op in history.Ops)
        {
            lastNs = op.TimeNs;
            if (op.Phase == OpPhases.Ok)
            {
                longestNs = Math.Max(longestNs, op.TimeNs - (stretchStartNs ?? op.TimeNs));
                stretchStartNs = null;
            }
            else if (op.Phase == OpPhases.Invoke)
            {
                stretchStartNs ??= op.TimeNs;
            }
        }
        return stretchStartNs is { } openNs ? Math.Max(longestNs, lastNs - openNs) : longestNs;
    }

    private static Leaderless Measure(RunHistory history, string group)
    {
        long? firstLeaderNs = null;
        long? gapStartNs = null;
        var totalNs = 0L;
        var longestNs = 0L;
        void CloseGap(long endNs)
        {
            totalNs += endNs - gapStartNs!.Value;
            longestNs = Math.Max(longestNs, endNs - gapStartNs.Value);
            gapStartNs = null;
        }
        foreach (var instant in LeadershipTimeline.Replay(history, group))
        {
            if (instant.MajorityLeader is not null)
            {
                firstLeaderNs ??= instant.TimeNs;
                if (gapStartNs is not null)
                {
                    CloseGap(instant.TimeNs);
                }
            }
            else if (firstLeaderNs is not null)
            {
                gapStartNs ??= instant.TimeNs;
            }
        }
        if (firstLeaderNs is null)
        {
            return new Leaderless(null, history.EndNs, history.EndNs);
        }
        if (gapStartNs is not null)
        {
            CloseGap(history.EndNs);
        }
        return new Leaderless(firstLeaderNs, totalNs, longestNs);
    }
}
