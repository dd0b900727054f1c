using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>A node's term never goes back, restarts included: the term is persisted before it is used.</summary>
public sealed class TermMonotonicityChecker : IChecker
{
    public string Name => "term-monotonic";

    public CheckResult Check(RunHistory history)
    {
        var last = new Dictionary<(string Node, string Group), StateObserved>();
        var anomalies = new List<Anomaly>();
        foreach (var state in history.States)
        {
            var key = (state.Node, state.Group);
            if (last.TryGetValue(key, out var previous) && state.Term < previous.Term)
            {
                anomalies.Add(new Anomaly
                {
                    Kind = "term-regression",
                    Description = $"{state.Node}'s term went from {previous.Term} back to {state.Term}",
                    Nodes = [state.Node],
                    Terms = [previous.Term, state.Term],
                    Group = state.Group,
                    StartNs = previous.TimeNs,
                    EndNs = state.TimeNs,
                });
            }
            last[key] = state;
        }
        return Evidence.Judge(new CheckResult
        {
            Checker = Name,
            Verdict = anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = anomalies.Count == 0 ? "no node's term ever went back" : $"{anomalies.Count} term regressions",
            Anomalies = anomalies,
            Figures = new Dictionary<string, double> { ["regressions"] = anomalies.Count },
        }, history, Needs.Reports);
    }
}
