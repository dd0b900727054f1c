using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>Raft's Election Safety: at most one leader can be elected in a given term (per group).</summary>
public sealed class ElectionSafetyChecker : IChecker
{
    public string Name => "election-safety";

    public CheckResult Check(RunHistory history)
    {
        var firstClaim = new Dictionary<(string Group, long Term), StateObserved>();
        var reported = new HashSet<(string, long, string)>();
        var anomalies = new List<Anomaly>();
        foreach (var claim in history.States.Where(s => s.IsLeader))
        {
            var key = (claim.Group, claim.Term);
            if (!firstClaim.TryGetValue(key, out var first))
            {
                firstClaim[key] = claim;
                continue;
            }
            if (first.Node != claim.Node && reported.Add((claim.Group, claim.Term, claim.Node)))
            {
                anomalies.Add(new Anomaly
                {
                    Kind = "same-term-leaders",
                    Description = $"{first.Node} and {claim.Node} both claimed leadership of term {claim.Term}",
                    Nodes = [first.Node, claim.Node],
                    Terms = [claim.Term],
                    Group = claim.Group,
                    StartNs = claim.TimeNs,
                });
            }
        }
        return Evidence.Judge(new CheckResult
        {
            Checker = Name,
            Verdict = anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = anomalies.Count == 0
                ? $"{firstClaim.Count} terms had a leader, each exactly one"
                : $"{anomalies.Count} terms had two or more leaders",
            Anomalies = anomalies,
            Figures = new Dictionary<string, double> { ["terms"] = firstClaim.Count, ["violations"] = anomalies.Count },
        }, history, Needs.Reports | Needs.Claims);
    }
}
