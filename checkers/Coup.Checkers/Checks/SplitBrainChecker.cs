using Coup.Checkers.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// Instants, on the controller's clock, when two or more nodes act as leader of the same group.
/// A same-term overlap is a violation; a stale leader of an older term beside the new one is
/// reported for information (it cannot acknowledge writes in a majority-based algorithm; the
/// dueling-writes checker tells whether it did).
/// </summary>
public sealed class SplitBrainChecker : IChecker
{
    public string Name => "split-brain";

    private sealed class Window(long startNs)
    {
        public long StartNs { get; } = startNs;
        public SortedSet<(string Node, long Term)> Claimants { get; } = [];
        public bool SameTerm { get; set; }
    }

    public CheckResult Check(History.History history)
    {
        var anomalies = new List<Anomaly>();
        foreach (var group in LeadershipTimeline.Groups(history))
        {
            var timeline = new LeadershipTimeline(history.Run.Nodes, group);
            Window? open = null;
            foreach (var historyEvent in history.Events)
            {
                if (!timeline.Apply(historyEvent))
                {
                    continue;
                }
                var claims = timeline.Claims.ToList();
                if (claims.Count >= 2)
                {
                    open ??= new Window(historyEvent.TimeNs);
                    open.Claimants.UnionWith(claims.Select(c => (c.Node, c.Term)));
                    open.SameTerm |= claims.GroupBy(c => c.Term).Any(g => g.Count() > 1);
                }
                else if (open is not null)
                {
                    anomalies.Add(Close(open, historyEvent.TimeNs, group));
                    open = null;
                }
            }
            if (open is not null)
            {
                anomalies.Add(Close(open, history.EndNs, group));
            }
        }
        var totalMs = anomalies.Sum(a => (a.EndNs!.Value - a.StartNs) / 1e6);
        var violations = anomalies.Count(a => a.Violation);
        return new CheckResult
        {
            Checker = Name,
            Verdict = violations == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = anomalies.Count == 0 ? "never more than one leader at a time"
                : $"{anomalies.Count} windows with several leaders, {totalMs:0} ms in all; {violations} in the same term",
            Anomalies = anomalies,
            Figures = new Dictionary<string, double>
            {
                ["windows"] = anomalies.Count,
                ["splitBrainMs"] = totalMs,
                ["longestMs"] = anomalies.Count == 0 ? 0 : anomalies.Max(a => (a.EndNs!.Value - a.StartNs) / 1e6),
            },
        };
    }

    private static Anomaly Close(Window window, long endNs, string group)
    {
        var claimants = window.Claimants.ToList();
        var newest = claimants.Max(c => c.Term);
        var description = window.SameTerm
            ? $"two leaders in the same term: {Describe(claimants)}"
            : $"stale leader{(claimants.Count(c => c.Term < newest) > 1 ? "s" : "")} {Describe(claimants.Where(c => c.Term < newest))} beside leader {Describe(claimants.Where(c => c.Term == newest))}";
        return new Anomaly
        {
            Kind = "split-brain",
            Description = $"{description} for {(endNs - window.StartNs) / 1e6:0} ms",
            Nodes = [.. claimants.Select(c => c.Node).Distinct()],
            Terms = [.. claimants.Select(c => c.Term).Distinct().Order()],
            Group = group,
            StartNs = window.StartNs,
            EndNs = endNs,
            Violation = window.SameTerm,
        };
    }

    private static string Describe(IEnumerable<(string Node, long Term)> claimants) =>
        string.Join(", ", claimants.Select(c => $"{c.Node} (term {c.Term})"));
}
