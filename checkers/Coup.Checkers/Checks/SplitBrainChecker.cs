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

    public ICheck Start(RunStarted run) => new Fold(Name, run);

    private sealed class Fold : ICheck
    {
        private readonly string _name;
        private readonly LeadershipReplay _replay;
        /// <summary>Each group's window open now and its anomalies so far, listed group by group at the end.</summary>
        private readonly Dictionary<string, Windows> _groups = [];

        private sealed class Windows
        {
            public Window? Open { get; set; }
            public Examples Anomalies { get; } = new();
            /// <summary>Every window's length, summed in the order they are listed.</summary>
            public List<double> DurationsMs { get; } = [];
            public int Violations { get; set; }

            public void Add(Anomaly anomaly)
            {
                Anomalies.Add(anomaly);
                DurationsMs.Add((anomaly.EndNs!.Value - anomaly.StartNs) / 1e6);
                Violations += anomaly.Violation ? 1 : 0;
            }
        }

        public Fold(string name, RunStarted run)
        {
            _name = name;
            _replay = new LeadershipReplay(run, Observe);
        }

        public void Observe(HistoryEvent historyEvent) => _replay.Observe(historyEvent);

        private void Observe(string group, LeadershipInstant instant)
        {
            var windows = _groups.TryGetValue(group, out var known) ? known : _groups[group] = new Windows();
            if (instant.Claims.Count >= 2)
            {
                windows.Open ??= new Window(instant.TimeNs);
                windows.Open.Add(instant.Claims);
            }
            else if (windows.Open is not null)
            {
                windows.Add(Close(windows.Open, instant.TimeNs, group));
                windows.Open = null;
            }
        }

        public CheckResult Finish(HistoryFacts facts)
        {
            _replay.Finish();
            var groups = _replay.Groups.Where(_groups.ContainsKey)
                .Select(g => (Group: g, Windows: _groups[g]))
                .ToList();
            foreach (var (group, windows) in groups.Where(g => g.Windows.Open is not null))
            {
                windows.Add(Close(windows.Open!, facts.EndNs, group));
            }
            var count = groups.Sum(g => g.Windows.Anomalies.Count);
            var violations = groups.Sum(g => g.Windows.Violations);
            var durationsMs = groups.SelectMany(g => g.Windows.DurationsMs).ToList();
            var kept = groups.SelectMany(g => g.Windows.Anomalies.Kept).Take(Examples.KeptMax).ToList();
            var leftOut = kept.Count < count ? $" (the first {kept.Count} listed)" : "";
            return Evidence.Judge(new CheckResult
            {
                Checker = _name,
                Verdict = violations == 0 ? Verdict.Valid : Verdict.Invalid,
                Summary = count == 0 ? "never more than one leader at a time"
                    : $"{count} windows with several leaders, {durationsMs.Sum():0} ms in all; "
                        + $"{violations} with two leaders of the same term{leftOut}",
                Anomalies = kept,
                Figures = new Dictionary<string, double>
                {
                    ["windows"] = count,
                    ["sameTermWindows"] = violations,
                    ["splitBrainMs"] = durationsMs.Sum(),
                    ["longestMs"] = durationsMs.DefaultIfEmpty(0).Max(),
                },
            }, facts, Needs.Reports | Needs.Claims);
        }
    }

    private static string HeldTerms(KeyValuePair<string, List<long>> claimant) =>
        $"{claimant.Key} in term {string.Join(" then ", claimant.Value)}";

    private static Anomaly Close(Window window, long endNs, string group)
    {
        // Stale first: each claimant by the first term it held in the window.
        var claimants = window.TermsOf.OrderBy(c => c.Value[0]).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var description = window.SharedTerms.Count > 0
            ? "same term: " + string.Join(
                "; ", window.SharedTerms.Select(t => $"{string.Join(" and ", t.Value)} claimed term {t.Key} at once"))
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
