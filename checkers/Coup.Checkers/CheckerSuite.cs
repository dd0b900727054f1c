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

    /// <summary>Checks a history read whole.</summary>
    public static Results Run(RunHistory history, IEnumerable<IChecker>? checkers = null) =>
        Run(history.Events, () => history.TornLine, checkers);

    /// <summary>
    /// Checks the history <paramref name="reader"/> reads, in one pass, holding no more of it than the
    /// checkers keep. A line that breaks a rule throws as <see cref="RunHistory.Read"/> does.
    /// </summary>
    public static Results Run(HistoryReader reader, IEnumerable<IChecker>? checkers = null) =>
        Run(Events(reader), () => reader.TornLine, checkers);

    /// <summary>
    /// Checks the <c>history.jsonl</c> at <paramref name="path"/> as it reads it, reading on a second thread
    /// a few thousand events ahead (<see cref="HistoryReader.ReadAhead"/>).
    /// </summary>
    public static Results Check(string path, IEnumerable<IChecker>? checkers = null)
    {
        using var reader = HistoryReader.Open(path);
        return Run(reader.ReadAhead(), () => reader.TornLine, checkers);
    }

    /// <summary>One checker's pass; once it throws it is shown nothing more and answers unknown.</summary>
    private sealed class Pass
    {
        private readonly IChecker _checker;
        private readonly ICheck? _check;
        private Exception? _thrown;

        public Pass(IChecker checker, RunStarted run)
        {
            _checker = checker;
            try
            {
                _check = checker.Start(run);
            }
            catch (Exception e)
            {
                _thrown = e;
            }
        }

        public void Observe(HistoryEvent historyEvent)
        {
            if (_thrown is not null)
            {
                return;
            }
            try
            {
                _check!.Observe(historyEvent);
            }
            catch (Exception e)
            {
                _thrown = e;
            }
        }

        public CheckResult Finish(HistoryFacts facts)
        {
            if (_thrown is null)
            {
                try
                {
                    return _check!.Finish(facts);
                }
                catch (Exception e)
                {
                    _thrown = e;
                }
            }
            return new CheckResult
            {
                Checker = _checker.Name,
                Verdict = Verdict.Unknown,
                Summary = $"checker threw: {_thrown.GetType().Name}: {_thrown.Message}",
            };
        }
    }

    private static Results Run(IEnumerable<HistoryEvent> events, Func<int?> tornLine, IEnumerable<IChecker>? checkers)
    {
        using var each = events.GetEnumerator();
        each.MoveNext();
        var run = (RunStarted)each.Current;
        var facts = new HistoryFacts(run);
        var passes = (checkers ?? All).Select(c => new Pass(c, run)).ToList();
        while (each.MoveNext())
        {
            var historyEvent = each.Current;
            facts.Observe(historyEvent);
            foreach (var pass in passes)
            {
                pass.Observe(historyEvent);
            }
        }
        var checks = new List<CheckResult>();
        if (facts.End is null)
        {
            var cutShort = tornLine() is { } torn
                ? $"history was cut short: line {torn} is torn, and there is no run-end line"
                : "history was cut short: no run-end line";
            checks.Add(new CheckResult { Checker = "history", Verdict = Verdict.Unknown, Summary = cutShort });
        }
        else if (facts.End.Reason == "error")
        {
            checks.Add(new CheckResult
            {
                Checker = "run",
                Verdict = Verdict.Unknown,
                Summary = $"the run ended with an error: {facts.End.Error ?? "unrecorded"}",
            });
        }
        checks.AddRange(passes.Select(p => p.Finish(facts)));
        return new Results
        {
            Verdict = checks.Aggregate(Verdict.Valid, (v, c) => v.Combine(c.Verdict)),
            Checks = checks,
        };
    }

    private static IEnumerable<HistoryEvent> Events(HistoryReader reader)
    {
        while (reader.TryRead(out var historyEvent))
        {
            yield return historyEvent;
        }
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
            throw new HistoryFormatException(
                $"{path}: not a results file ({HistoryJson.Reason(e)}); run `coup check` on the run again");
        }
    }
}
