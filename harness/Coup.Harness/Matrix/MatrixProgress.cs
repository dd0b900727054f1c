using System.Globalization;
using Coup.Harness.Plans;
using Coup.Harness.Run;
using Coup.Reports.Matrix;
using Spectre.Console;

namespace Coup.Harness.Matrix;

/// <summary>How far a matrix is: what it counts, and its estimate of the time left.</summary>
public sealed class MatrixTally(IReadOnlyList<PlanCell> cells)
{
    private readonly Dictionary<RuntimeKind, List<double>> _durationsS = [];
    private readonly Dictionary<string, int> _runsLeft = cells.ToDictionary(c => c.Id, c => c.Seeds.Count);

    public int CellsTotal => cells.Count;
    public int CellsDone => _runsLeft.Count(c => c.Value == 0);
    public int RunsTotal { get; } = cells.Sum(c => c.Seeds.Count);
    public int RunsDone { get; private set; }

    public void Finished(PlanCell cell, RunOutcome outcome)
    {
        _runsLeft[cell.Id]--;
        RunsDone++;
        var durations = _durationsS.TryGetValue(cell.Runtime, out var list) ? list : _durationsS[cell.Runtime] = [];
        durations.Add(outcome.DurationS);
    }

    /// <summary>
    /// Runs left times the mean duration of the finished runs of their runtime (sim and docker runs differ
    /// by a hundredfold); of all finished runs where a runtime has none yet. Null before any run finished.
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
            var seconds = cells.Sum(c =>
                _runsLeft[c.Id] * (_durationsS.TryGetValue(c.Runtime, out var d) ? d.Average() : all.Average()));
            return TimeSpan.FromSeconds(seconds);
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

    void Starting(PlanCell cell, int seed);

    void Finished(PlanCell cell, RunOutcome outcome);

    /// <summary>A line that must be seen (a run's refusal or crash), kept above the live display.</summary>
    void Note(string line);
}

/// <summary>One line per finished run, for CI logs and pipes.</summary>
public sealed class PlainProgress(TextWriter output) : IMatrixProgress
{
    private MatrixTally? _tally;
    private readonly System.Diagnostics.Stopwatch _elapsed = new();

    public Task<T> ShowAsync<T>(MatrixTally tally, Func<Task<T>> work)
    {
        _tally = tally;
        _elapsed.Start();
        output.WriteLine($"matrix: {tally.CellsTotal} cells, {tally.RunsTotal} runs");
        return work();
    }

    public void Starting(PlanCell cell, int seed)
    {
    }

    public void Finished(PlanCell cell, RunOutcome outcome)
    {
        var tally = _tally!;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{tally.RunsDone}/{tally.RunsTotal} runs, {tally.CellsDone}/{tally.CellsTotal} cells] {cell.Id} "
            + $"seed {outcome.Seed}: {outcome.Verdict.ToString().ToLowerInvariant()} (exit {outcome.ExitCode}, "
            + $"{outcome.DurationS:0.0} s); elapsed {MatrixTally.Clock(_elapsed.Elapsed)}, "
            + $"remaining ~{MatrixTally.Clock(tally.Remaining)}"));
    }

    public void Note(string line) => output.WriteLine(line);
}

/// <summary>
/// Spectre.Console's live progress: cells and runs done, the current cell, elapsed, estimated remaining.
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

    public void Starting(PlanCell cell, int seed)
    {
        _current = $"{cell.Id} seed {seed}";
        _task!.Description = Description();
    }

    public void Finished(PlanCell cell, RunOutcome outcome)
    {
        _task!.Increment(1);
        _task.Description = Description();
    }

    public void Note(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    private string Description()
    {
        var tally = _tally!;
        return Markup.Escape($"cells {tally.CellsDone}/{tally.CellsTotal}, runs {tally.RunsDone}/{tally.RunsTotal} | "
            + $"{_current} | remaining ~{MatrixTally.Clock(tally.Remaining)}");
    }
}
