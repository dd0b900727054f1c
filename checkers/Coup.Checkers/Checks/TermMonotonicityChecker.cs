using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>A node's term never goes back, restarts included: the term is persisted before it is used.</summary>
public sealed class TermMonotonicityChecker : IChecker
{
    public string Name => "term-monotonic";

    public ICheck Start(RunStarted run) => new Fold(Name);

    private sealed class Fold(string name) : ICheck
    {
        private readonly Dictionary<(string Node, string Group), StateObserved> _last = [];
        private readonly Examples _anomalies = new();

        public void Observe(HistoryEvent historyEvent)
        {
            if (historyEvent is not StateObserved state)
            {
                return;
            }
            var key = (state.Node, state.Group);
            if (_last.TryGetValue(key, out var previous) && state.Term < previous.Term)
            {
                _anomalies.Add(new Anomaly
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
            _last[key] = state;
        }

        public CheckResult Finish(HistoryFacts facts) => Evidence.Judge(new CheckResult
        {
            Checker = name,
            Verdict = _anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = _anomalies.Count == 0
                ? "no node's term ever went back"
                : $"{_anomalies.Count} term regressions{_anomalies.LeftOut}",
            Anomalies = _anomalies.Kept,
            Figures = new Dictionary<string, double> { ["regressions"] = _anomalies.Count },
        }, facts, Needs.Reports);
    }
}
