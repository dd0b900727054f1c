using System.Globalization;
using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>What a checker needs a history to hold before finding nothing wrong can mean valid.</summary>
[Flags]
public enum Needs
{
    None = 0,
    /// <summary>At least one <c>state</c> from every node the run-start lists.</summary>
    Reports = 1,
    /// <summary>At least one leadership claim.</summary>
    Claims = 2,
    /// <summary>Client operations, when the run-start says clients ran.</summary>
    Operations = 4,
    /// <summary>A <c>run-end</c> with <c>healedNs</c>: the run healed everything and kept quiet.</summary>
    FinalHeal = 8,
    /// <summary>A <c>stop</c>, by the final heal, of every fault that started.</summary>
    StoppedFaults = 16,
    /// <summary>
    /// A final state of every node: none whose observation was lost (an <c>observer</c> <c>down</c>)
    /// and then neither came back (<c>up</c>) nor was heard from (a <c>state</c>) before the end.
    /// </summary>
    FinalStates = 32,
}

/// <summary>
/// The evidence rule every checker follows: a violation the history proves (a cut-short prefix
/// included) is invalid whatever else is missing; otherwise missing evidence makes the verdict
/// unknown and the summary names it; only a checker that has all it needs can say valid.
/// </summary>
public static class Evidence
{
    /// <summary>How many faults that never stopped are named before the rest are counted.</summary>
    private const int UnstoppedFaultsNamedMax = 3;

    /// <summary>What the history of <paramref name="facts"/> lacks of <paramref name="needs"/>, one phrase
    /// each.</summary>
    public static IReadOnlyList<string> Missing(HistoryFacts facts, Needs needs)
    {
        var missing = new List<string>();
        if (needs.HasFlag(Needs.FinalHeal))
        {
            missing.AddRange(facts.End switch
            {
                null => ["no run-end line: the history was cut short, so there was no final heal"],
                { HealedNs: null } end => [$"the run ended ({end.Reason}) without a final heal and quiet period"],
                _ => [],
            });
        }
        var reported = facts.Reported;
        if (needs.HasFlag(Needs.Reports))
        {
            var silent = facts.Run.Nodes.Where(n => !reported.Contains(n)).ToList();
            if (reported.Count == 0)
            {
                missing.Add("no node ever reported a state");
            }
            else if (silent.Count > 0)
            {
                missing.Add($"{string.Join(", ", silent)} never reported a state");
            }
        }
        if (needs.HasFlag(Needs.Claims) && reported.Count > 0 && !facts.AnyClaim)
        {
            missing.Add("no node ever claimed to lead");
        }
        if (needs.HasFlag(Needs.Operations) && facts.Run.Clients is { } clients && clients > 0 && !facts.AnyOp)
        {
            var ran = clients == 1 ? "1 client ran" : $"{clients} clients ran";
            missing.Add($"the run-start says {ran}, but no operation was recorded");
        }
        if (needs.HasFlag(Needs.StoppedFaults) && facts.End?.HealedNs is { } healedNs)
        {
            missing.AddRange(Unstopped(facts, healedNs));
        }
        if (needs.HasFlag(Needs.FinalStates))
        {
            missing.AddRange(LostAtEnd(facts));
        }
        return missing;
    }

    /// <summary>
    /// The verdict of <paramref name="found"/> once <paramref name="missing"/> is known: invalid
    /// stands (the history proves it), valid becomes unknown when something is missing.
    /// </summary>
    public static CheckResult Judge(CheckResult found, IReadOnlyList<string> missing) =>
        found.Verdict == Verdict.Invalid || missing.Count == 0 ? found
        : found with { Verdict = Verdict.Unknown, Summary = $"{Describe(missing)} (recorded: {found.Summary})" };

    /// <summary>Judges <paramref name="found"/> by what the history of <paramref name="facts"/> lacks.</summary>
    public static CheckResult Judge(CheckResult found, HistoryFacts facts, Needs needs) =>
        Judge(found, Missing(facts, needs));

    /// <summary>An answer that says only what was missing, for a checker that cannot start without it.</summary>
    public static CheckResult Unknown(string checker, IReadOnlyList<string> missing) =>
        new() { Checker = checker, Verdict = Verdict.Unknown, Summary = Describe(missing) };

    private static string Describe(IReadOnlyList<string> missing) => $"missing evidence: {string.Join("; ", missing)}";

    /// <summary>
    /// Names the faults that started by <paramref name="healedNs"/> and had not stopped by then
    /// (<see cref="HistoryFacts.FaultSpans"/>), in the order they started: none, or one phrase.
    /// </summary>
    private static IEnumerable<string> Unstopped(HistoryFacts facts, long healedNs)
    {
        var open = facts.FaultSpans
            .Where(s => s.Start.TimeNs <= healedNs && !(s.Stop?.TimeNs <= healedNs))
            .Select(s => s.Start)
            .ToList();
        if (open.Count == 0)
        {
            return [];
        }
        var named = open.Take(UnstoppedFaultsNamedMax)
            .Select(f => $"the {f.Kind} of {string.Join(",", f.Targets)} (started at {Seconds(f.TimeNs)} s)");
        var more = open.Count > UnstoppedFaultsNamedMax ? $" and {open.Count - UnstoppedFaultsNamedMax} more" : "";
        return [$"{string.Join("; ", named)}{more} never stopped before the final heal"];
    }

    /// <summary>
    /// Names the nodes whose observation was lost and never came back: an <c>observer</c> <c>down</c>
    /// followed by no <c>up</c> and no <c>state</c> of the node. Their last word is not their final state.
    /// </summary>
    private static IEnumerable<string> LostAtEnd(HistoryFacts facts)
    {
        var lostAtNs = facts.LostAtNs;
        if (lostAtNs.Count == 0)
        {
            return [];
        }
        var lost = facts.Run.Nodes.Where(lostAtNs.ContainsKey)
            .Select(n => $"{n} at {Seconds(lostAtNs[n])} s")
            .ToList();
        var named = lost.Count == 1 ? lost[0] : $"{string.Join(", ", lost[..^1])} and {lost[^1]}";
        var (them, states) = lost.Count == 1 ? ("it", "its final state is") : ("them", "their final states are");
        return [$"the observer lost {named} and never heard from {them} again, so {states} unobserved"];
    }

    private static string Seconds(long ns) => (ns / 1e9).ToString("0.000", CultureInfo.InvariantCulture);
}
