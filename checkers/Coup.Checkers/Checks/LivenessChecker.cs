using Coup.Checkers.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// After the final heal the cluster must settle: a leader that a majority acknowledges, with no
/// change of leader or term from then to the end of the run.
/// </summary>
public sealed class LivenessChecker : IChecker
{
    public string Name => "liveness";

    public CheckResult Check(History.History history)
    {
        if (history.End is null)
        {
            return Unknown("the history was cut short: no run-end line");
        }
        if (history.End.HealedNs is not { } healedNs)
        {
            return Unknown($"the run ended ({history.End.Reason}) without a final heal and quiet period");
        }
        var groups = LeadershipTimeline.Groups(history).Where(g => g == "default" || history.States.Any(s => s.Group == g));
        var anomalies = new List<Anomaly>();
        var convergeMs = 0.0;
        foreach (var group in groups)
        {
            var timeline = new LeadershipTimeline(history.Run.Nodes, group);
            var stableSinceNs = (long?)null;
            (string Node, long Term)? stable = null;
            foreach (var historyEvent in history.Events)
            {
                if (!timeline.Apply(historyEvent))
                {
                    continue;
                }
                var leader = timeline.MajorityLeader;
                var current = leader is null ? ((string, long)?)null : (leader.Node, leader.Term);
                var rival = timeline.Claims.Any(c => leader is null || c.Term > leader.Term || (c.Term == leader.Term && c.Node != leader.Node));
                if (current != stable || rival)
                {
                    stable = rival ? null : current;
                    stableSinceNs = stable is null ? null : historyEvent.TimeNs;
                }
            }
            if (stable is null)
            {
                anomalies.Add(new Anomaly
                {
                    Kind = "no-leader-after-heal",
                    Description = $"{(history.End.TimeNs - healedNs) / 1e6:0} ms after the final heal no leader was acknowledged by a majority (of {history.Run.Nodes.Count})",
                    Group = group,
                    StartNs = healedNs,
                    EndNs = history.End.TimeNs,
                });
                continue;
            }
            convergeMs = Math.Max(convergeMs, Math.Max(0, stableSinceNs!.Value - healedNs) / 1e6);
        }
        return new CheckResult
        {
            Checker = Name,
            Verdict = anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = anomalies.Count == 0 ? $"one stable leader {convergeMs:0} ms after the final heal" : anomalies[0].Description,
            Anomalies = anomalies,
            Figures = new Dictionary<string, double> { ["convergeMs"] = convergeMs },
        };
    }

    private CheckResult Unknown(string why) => new() { Checker = Name, Verdict = Verdict.Unknown, Summary = why };
}
