using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// Windows, on the controller's clock, when two or more nodes claim to lead the same group. A
/// claim lasts until the node's next state for the group or until it is killed; a paused node
/// keeps its claim, since it still believes it leads. Two claimants of the same term are a
/// violation; a stale leader of an older term beside a newer one is reported for information
/// (a majority-based algorithm cannot let it acknowledge anything: dueling-writes tells whether
/// it did).
/// </summary>
public sealed class SplitBrainChecker : IChecker
{
    public string Name => "split-brain";

    /// <summary>A maximal stretch with two or more claimants; it may see claimants come and go.</summary>
    private sealed class Window(long startNs)
    {
        public long StartNs { get; } = startNs;
        /// <summary>Each node that claimed during the window, with the terms it claimed, in order.</summary>
        public Dictionary<string, List<long>> TermsOf { get; } = [];
        /// <summary>Terms that two or more nodes claimed at one instant, with those nodes.</summary>
        public SortedDictionary<long, SortedSet<string>> SharedTerms { get; } = [];

        public void Add(IReadOnlyList<StateObserved> claims)
        {
            foreach (var claim in claims)
            {
                var terms = TermsOf.TryGetValue(claim.Node, out var held) ? held : TermsOf[claim.Node] = [];
                if (terms.Count == 0 || terms[^1] != claim.Term)
                {
                    terms.Add(claim.Term);
                }
            }
            foreach (var shared in claims.GroupBy(c => c.Term).Where(g => g.Count() > 1))
            {
                SharedTerms.TryAdd(shared.Key, new SortedSet<string>(StringComparer.Ordinal));
                SharedTerms[shared.Key].UnionWith(shared.Select(c => c.Node));
            }
        }
    }

    public CheckResult Check(RunHistory history)
    {
        var anomalies = new List<Anomaly>();
        foreach (var group in LeadershipTimeline.Groups(history))
        {
            Window? open = null;
            foreach (var instant in LeadershipTimeline.Replay(history, group))
            {
                if (instant.Claims.Count >= 2)
                {
                    open ??= new Window(instant.TimeNs);
                    open.Add(instant.Claims);
                }
                else if (open is not null)
                {
                    anomalies.Add(Close(open, instant.TimeNs, group));
                    open = null;
                }
            }
            if (open is not null)
            {
                anomalies.Add(Close(open, history.EndNs, group));
            }
        }
        var durationsMs = anomalies.Select(a => (a.EndNs!.Value - a.StartNs) / 1e6).ToList();
        var violations = anomalies.Count(a => a.Violation);
        return Evidence.Judge(new CheckResult
        {
            Checker = Name,
            Verdict = violations == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = anomalies.Count == 0 ? "never more than one leader at a time"
                : $"{anomalies.Count} windows with several leaders, {durationsMs.Sum():0} ms in all; {violations} with two leaders of the same term",
            Anomalies = anomalies,
            Figures = new Dictionary<string, double>
            {
                ["windows"] = anomalies.Count,
                ["sameTermWindows"] = violations,
                ["splitBrainMs"] = durationsMs.Sum(),
                ["longestMs"] = durationsMs.DefaultIfEmpty(0).Max(),
            },
        }, history, Needs.Reports | Needs.Claims);
    }

    private static string HeldTerms(KeyValuePair<string, List<long>> claimant) =>
        $"{claimant.Key} in term {string.Join(" then ", claimant.Value)}";

    private static Anomaly Close(Window window, long endNs, string group)
    {
        // Stale first: each claimant by the first term it held in the window.
        var claimants = window.TermsOf.OrderBy(c => c.Value[0]).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var description = window.SharedTerms.Count > 0
            ? $"same term: {string.Join("; ", window.SharedTerms.Select(t => $"{string.Join(" and ", t.Value)} claimed term {t.Key} at once"))}"
            : $"leaders of different terms at once: {string.Join(", ", claimants.Select(HeldTerms))}";
        return new Anomaly
        {
            Kind = "split-brain",
            Description = $"{description}, for {(endNs - window.StartNs) / 1e6:0.###} ms",
            Nodes = [.. claimants.Select(c => c.Key)],
            Terms = [.. claimants.SelectMany(c => c.Value).Distinct().Order()],
            Group = group,
            StartNs = window.StartNs,
            EndNs = endNs,
            Violation = window.SharedTerms.Count > 0,
        };
    }
}
