using System.Globalization;
using Coup.Harness.Plans;
using Coup.Harness.Run;
using Coup.Reports.Matrix;
using Spectre.Console;

namespace Coup.Harness.Matrix;

/// <summary>One part of what a tally counts: a matrix's cell, or a swarm's seeds.</summary>
public sealed record TallyPart(string Id, int Runs, RuntimeKind Runtime);

/// <summary>
/// How far a matrix (or a swarm) is: what it counts, the failures so far, and its estimate of the time left.
/// </summary>
/// <param name="parallel">How many runs go at once: the time left is the runs' time shared among them.</param>
public sealed class MatrixTally(IReadOnlyList<TallyPart> parts, int parallel = 1)
{
    private readonly Dictionary<RuntimeKind, List<double>> _durationsS = [];
    private readonly Dictionary<string, int> _runsLeft = parts.ToDictionary(c => c.Id, c => c.Runs);
    private readonly System.Diagnostics.Stopwatch _elapsed = System.Diagnostics.Stopwatch.StartNew();

    public MatrixTally(IReadOnlyList<PlanCell> cells)
        : this([.. cells.Select(c => new TallyPart(c.Id, c.Seeds.Count, c.Runtime))])
    {
    }

    public int CellsTotal => parts.Count;
    public int CellsDone => _runsLeft.Count(c => c.Value == 0);
    public int RunsTotal { get; } = parts.Sum(c => c.Runs);
    public int RunsDone { get; private set; }
    public int Invalid { get; private set; }
    public int Unknown { get; private set; }

    /// <summary>Finished runs per minute of wall-clock time since the tally began.</summary>
    public double RunsPerMinute => RunsDone / Math.Max(_elapsed.Elapsed.TotalMinutes, 1e-9);

    /// <summary>The failures so far and the pace, for a progress line.</summary>
    public string Failures => string.Create(CultureInfo.InvariantCulture,
        $"{Invalid} invalid, {Unknown} unknown, {RunsPerMinute:0} runs/min");

    public void Finished(string id, RunOutcome outcome)
    {
        _runsLeft[id]--;
        RunsDone++;
        Invalid += outcome.Verdict == Checkers.Verdict.Invalid ? 1 : 0;
        Unknown += outcome.Verdict == Checkers.Verdict.Unknown ? 1 : 0;
        var runtime = parts.First(p => p.Id == id).Runtime;
        var durations = _durationsS.TryGetValue(runtime, out var list) ? list : _durationsS[runtime] = [];
        durations.Add(outcome.DurationS);
    }

    /// <summary>
    /// Runs left times the mean duration of the finished runs of their runtime (sim and docker runs differ
    /// by a hundredfold); of all finished runs where a runtime has none yet; shared among the runs at once.
    /// Null before any run finished.
    /// </summary>
    public TimeSpan? Remaining
    {
        get
        {
            var all = _durationsS.Values.SelectMany(d => d).ToList();
            if (all.Count == 0)
            {
                return null;
            }
            var seconds = parts.Sum(c =>
                _runsLeft[c.Id] * (_durationsS.TryGetValue(c.Runtime, out var d) ? d.Average() : all.Average()));
            return TimeSpan.FromSeconds(seconds / parallel);
        }
    }

    public static string Clock(TimeSpan? span) => span is not { } s ? "?"
        : s.TotalHours >= 1 ? s.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : s.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

/// <summary>Where a matrix tells its progress: a live display on a terminal, plain lines elsewhere.</summary>
public interface IMatrixProgress
{
    /// <summary>Runs <paramref name="work"/> while the progress is shown.</summary>
    Task<T> ShowAsync<T>(MatrixTally tally, Func<Task<T>> work);

    void Starting(string id, int seed);

    void Finished(string id, RunOutcome outcome);

    /// <summary>A line that must be seen (a run's refusal or crash), kept above the live display.</summary>
    void Note(string line);
}

/// <summary>One line per finished run, for CI logs and pipes; <paramref name="name"/> heads the first line.</summary>
public sealed class PlainProgress(TextWriter output, string name = "matrix") : IMatrixProgress
{
    private MatrixTally? _tally;
    private readonly System.Diagnostics.Stopwatch _elapsed = new();

    public Task<T> ShowAsync<T>(MatrixTally tally, Func<Task<T>> work)
    {
        _tally = tally;
        _elapsed.Start();
        output.WriteLine($"{name}: {tally.CellsTotal} cells, {tally.RunsTotal} runs");
        return work();
    }

    public void Starting(string id, int seed)
    {
    }

    public void Finished(string id, RunOutcome outcome)
    {
        var tally = _tally!;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{tally.RunsDone}/{tally.RunsTotal} runs, {tally.CellsDone}/{tally.CellsTotal} cells] {id} "
            + $"seed {outcome.Seed}: {outcome.Verdict.ToString().ToLowerInvariant()} (exit {outcome.ExitCode}, "
            + $"{outcome.DurationS:0.0} s); {tally.Failures}; elapsed {MatrixTally.Clock(_elapsed.Elapsed)}, "
            + $"remaining ~{MatrixTally.Clock(tally.Remaining)}"));
    }

    public void Note(string line) => output.WriteLine(line);
}

/// <summary>
/// Spectre.Console's live progress: cells and runs done, the current run, failures so far and runs per
/// minute, elapsed, estimated remaining.
/// </summary>
public sealed class LiveProgress : IMatrixProgress
{
    private MatrixTally? _tally;
    private ProgressTask? _task;
    private string _current = "";

    public async Task<T> ShowAsync<T>(MatrixTally tally, Func<Task<T>> work)
    {
        _tally = tally;
        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask(Description(), maxValue: tally.RunsTotal);
                return await work();
            });
    }

    public void Starting(string id, int seed)
    {
        _current = $"{id} seed {seed}";
        _task!.Description = Description();
    }

    public void Finished(string id, RunOutcome outcome)
    {
        _task!.Increment(1);
        _task.Description = Description();
    }

    public void Note(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    private string Description()
    {
        var tally = _tally!;
        return Markup.Escape($"cells {tally.CellsDone}/{tally.CellsTotal}, runs {tally.RunsDone}/{tally.RunsTotal} | "
            + $"{_current} | {tally.Failures} | remaining ~{MatrixTally.Clock(tally.Remaining)}");
    }
}
