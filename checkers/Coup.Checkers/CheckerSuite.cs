using System.Text.Json;
using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers;

/// <summary>Runs every checker over one history, Jepsen's compose: a throw is unknown, any invalid wins.</summary>
public static class CheckerSuite
{
    public static IReadOnlyList<IChecker> All { get; } =
    [
        new ElectionSafetyChecker(),
        new SplitBrainChecker(),
        new DuelingWritesChecker(),
        new TermMonotonicityChecker(),
        new LivenessChecker(),
        new FailoverChecker(),
        new AvailabilityChecker(),
    ];

    public static Results Run(RunHistory history, IEnumerable<IChecker>? checkers = null)
    {
        var checks = new List<CheckResult>();
        if (history.End is null)
        {
            var cutShort = history.TornLine is { } torn
                ? $"history was cut short: line {torn} is torn, and there is no run-end line"
                : "history was cut short: no run-end line";
            checks.Add(new CheckResult { Checker = "history", Verdict = Verdict.Unknown, Summary = cutShort });
        }
        else if (history.End.Reason == "error")
        {
            checks.Add(new CheckResult { Checker = "run", Verdict = Verdict.Unknown, Summary = $"the run ended with an error: {history.End.Error ?? "unrecorded"}" });
        }
        foreach (var checker in checkers ?? All)
        {
            try
            {
                checks.Add(checker.Check(history));
            }
            catch (Exception e)
            {
                checks.Add(new CheckResult { Checker = checker.Name, Verdict = Verdict.Unknown, Summary = $"checker threw: {e.GetType().Name}: {e.Message}" });
            }
        }
        return new Results { Verdict = checks.Aggregate(Verdict.Valid, (v, c) => v.Combine(c.Verdict)), Checks = checks };
    }
}

/// <summary><c>results.json</c>: the verdict and every checker's answer, indented for people.</summary>
public static class ResultsFile
{
    public static void Write(string path, Results results) =>
        File.WriteAllText(path, JsonSerializer.Serialize(results, HistoryJson.Indented));

    public static Results Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Results>(File.ReadAllText(path), HistoryJson.Options)
                ?? throw new HistoryFormatException($"{path}: empty results");
        }
        catch (JsonException e)
        {
            throw new HistoryFormatException($"{path}: not a results file ({HistoryJson.Reason(e)}); run `coup check` on the run again");
        }
    }
}
