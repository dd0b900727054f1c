using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>Raft's Election Safety: at most one leader can be elected in a given term (per group).</summary>
public sealed class ElectionSafetyChecker : IChecker
{
    public string Name => "election-safety";

    public ICheck Start(RunStarted run) => new Fold(Name);

    private sealed class Fold(string name) : ICheck
    {
        private readonly Dictionary<(string Group, long Term), string> _firstClaimant = [];
        private readonly HashSet<(string, long, string)> _reported = [];
        private readonly Examples _anomalies = new();

        public void Observe(HistoryEvent historyEvent)
        {
            if (historyEvent is not StateObserved { IsLeader: true } claim)
            {
                return;
            }
            if (!_firstClaimant.TryAdd((claim.Group, claim.Term), claim.Node)
                && _firstClaimant[(claim.Group, claim.Term)] is var first && first != claim.Node
                && _reported.Add((claim.Group, claim.Term, claim.Node)))
            {
                _anomalies.Add(new Anomaly
                {
                    Kind = "same-term-leaders",
                    Description = $"{first} and {claim.Node} both claimed leadership of term {claim.Term}",
                    Nodes = [first, claim.Node],
                    Terms = [claim.Term],
                    Group = claim.Group,
                    StartNs = claim.TimeNs,
                });
            }
        }

        public CheckResult Finish(HistoryFacts facts) => Evidence.Judge(new CheckResult
        {
            Checker = name,
            Verdict = _anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = _anomalies.Count == 0
                ? $"{_firstClaimant.Count} terms had a leader, each exactly one"
                : $"{_anomalies.Count} terms had two or more leaders{_anomalies.LeftOut}",
            Anomalies = _anomalies.Kept,
            Figures = new Dictionary<string, double>
            {
                ["terms"] = _firstClaimant.Count,
                ["violations"] = _anomalies.Count,
            },
        }, facts, Needs.Reports | Needs.Claims);
    }
}
