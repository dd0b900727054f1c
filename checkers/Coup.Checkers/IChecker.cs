using Coup.History;

namespace Coup.Checkers;

/// <summary>
/// A pure function from a saved history to a verdict, computed as a fold: it is shown the run, then
/// every event in order, then asked for its answer, so a history of any length is checked in one pass
/// and the checker keeps only what its verdict and evidence need. Checkers never touch the cluster.
/// </summary>
public interface IChecker
{
    string Name { get; }

    /// <summary>Starts checking the run that <paramref name="run"/> begins.</summary>
    ICheck Start(RunStarted run);
}

/// <summary>One checker's pass over one history.</summary>
public interface ICheck
{
    /// <summary>The next event after run-start, run-end included.</summary>
    void Observe(HistoryEvent historyEvent);

    /// <summary>
    /// The answer once every event was observed; <paramref name="facts"/> hold what the evidence rule needs.
    /// </summary>
    CheckResult Finish(HistoryFacts facts);
}

public static class CheckerExtensions
{
    /// <summary>Checks a history read whole.</summary>
    public static CheckResult Check(this IChecker checker, RunHistory history)
    {
        var facts = new HistoryFacts(history.Run);
        var check = checker.Start(history.Run);
        foreach (var historyEvent in history.Events.Skip(1))
        {
            facts.Observe(historyEvent);
            check.Observe(historyEvent);
        }
        return check.Finish(facts);
    }
}
