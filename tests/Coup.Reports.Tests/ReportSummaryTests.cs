using System.IO.Compression;
using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

/// <summary>
/// The report is drawn from a summary folded one event at a time (<see cref="ReportSummary"/>): on recorded
/// simulator histories it must give every view the report draws exactly as the whole history gives it.
/// </summary>
public sealed class ReportSummaryTests
{
    public static TheoryData<string> Recorded() =>
    [
        "raft", "raft-forgets-vote", "bully", "kafka-unfenced", "invitation", "zab-early-claim", "ring",
        "raft-no-term-check", "raft-forgets-vote-torn", "raft-cut-short",
    ];

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Given_a_recorded_history_When_summarised_Then_every_drawn_view_equals_the_whole_historys(string name)
    {
        var path = Unzipped(name);
        try
        {
            var history = RunHistory.Read(path);
            var results = CheckerSuite.Check(path);

            var summary = ReportSummary.Read(path, results);
            var changes = summary.Changes;

            Assert.Equal(history.Events.Count, summary.EventCount);
            Assert.Equal(history.EndNs, changes.EndNs);
            Assert.Equal(history.End, changes.End);
            Assert.Equal(history.TornLine, changes.TornLine);
            Assert.Equal(Intervals.Nodes(history), Intervals.Nodes(changes));
            Assert.Equal(LeadershipTimeline.Groups(history), LeadershipTimeline.Groups(changes));
            Assert.Equal(Intervals.MainGroup(history), Intervals.MainGroup(changes));
            Assert.Equal(Intervals.Faults(history), Intervals.Faults(changes), FaultIntervalComparer.Instance);
            foreach (var group in LeadershipTimeline.Groups(history))
            {
                Assert.Equal(Intervals.Roles(history, group), Intervals.Roles(changes, group));
                Assert.Equal(Intervals.MajorityLeader(history, group), Intervals.MajorityLeader(changes, group));
            }
            var completions = history.Ops.Where(o => o.Phase != OpPhases.Invoke).ToList();
            foreach (var (outcome, perSecond) in summary.CompletionsPerSecond)
            {
                var mine = completions.Where(o => ReportSummary.OutcomeOf(o) == outcome).ToList();
                Assert.Equal(mine.Count, perSecond.Sum());
                Assert.All(mine.GroupBy(o => (int)(o.TimeNs / 1_000_000_000)),
                    second => Assert.Equal(second.Count(), perSecond[second.Key]));
            }
            Assert.Equal(completions.Count, summary.CompletionsPerSecond.Values.Sum(s => s.Sum()));
            foreach (var anomaly in results.Anomalies)
            {
                var whole = AnomalyWrites.Within(history, anomaly);
                var (named, count) = summary.WritesIn(anomaly);
                Assert.Equal(whole.Count, count);
                Assert.Equal(whole.Take(AnomalyWrites.NamedMax), named);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_a_long_steady_run_When_summarised_Then_only_what_changes_is_kept()
    {
        var builder = new HistoryBuilder(["n1", "n2", "n3"], []);
        builder.State(0.5, "n1", Roles.Leader, 1).State(0.5, "n2", Roles.Follower, 1, "n1")
            .State(0.5, "n3", Roles.Follower, 1, "n1");
        for (var i = 1; i < 5000; i++)
        {
            builder.State(i * 0.01, $"n{1 + i % 3}", i % 3 == 0 ? Roles.Leader : Roles.Follower, 1,
                i % 3 == 0 ? null : "n1");
            builder.Write(i * 0.01, i % 3, "n1", "ok", 1);
        }
        var history = builder.Build(60);

        var summary = ReportSummary.Of(history, CheckerSuite.Run(history));

        Assert.Equal(history.Events.Count, summary.EventCount);
        // The run start, the three first words and the run end.
        Assert.Equal(5, summary.Changes.Events.Count);
        Assert.Equal(4999, summary.CompletionsPerSecond[OpPhases.Ok].Sum());
    }

    [Fact]
    public void Given_a_leader_killed_and_reporting_the_same_word_again_When_summarised_Then_its_roles_resume()
    {
        var history = new HistoryBuilder(["n1", "n2", "n3"], ["kill"])
            .State(1, "n1", Roles.Leader, 1).State(2, "n1", Roles.Leader, 1)
            .Fault(4, "start", FaultKinds.Kill, "n1")
            .Fault(5, "stop", FaultKinds.Kill, "n1")
            .State(6, "n1", Roles.Leader, 1).State(7, "n1", Roles.Leader, 1)
            .Build(10);

        var changes = ReportSummary.Of(history, CheckerSuite.Run(history)).Changes;

        Assert.Equal([new RoleInterval("n1", Roles.Leader, 1, 1, 4), new RoleInterval("n1", Roles.Leader, 1, 6, 10)],
            Intervals.Roles(changes, "default"));
        Assert.Equal(Intervals.Roles(history, "default"), Intervals.Roles(changes, "default"));
        Assert.Equal(2, changes.States.Count());
    }

    [Fact]
    public void Given_many_clock_readings_in_one_slice_When_summarised_Then_its_first_lowest_and_highest_are_kept()
    {
        // A 60 s run has slices of 30 ms: ten readings 1 ms apart fall in the first one.
        var builder = new HistoryBuilder(["n1"], ["clock"]);
        double[] skewsMs = [5, 3, 9, -4, 7, 2, 12, 0, 6, 1];
        for (var i = 0; i < skewsMs.Length; i++)
        {
            builder.State(0.001 * i, "n1", Roles.Follower, 1, skewMs: skewsMs[i]);
        }
        var history = builder.Build(60);

        var readings = ReportSummary.Of(history, CheckerSuite.Run(history)).ClockReadings["n1"];

        Assert.Equal(3, readings.Count);
        Assert.Equal(readings.OrderBy(r => r.TimeNs), readings);
        Assert.Equal(skewsMs[0], readings[0].OffsetMs, 3);
        Assert.Equal(skewsMs.Min(), readings.Min(r => r.OffsetMs), 3);
        Assert.Equal(skewsMs.Max(), readings.Max(r => r.OffsetMs), 3);
    }

    private static string Unzipped(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coup-summary-{name}-{Guid.NewGuid():N}.jsonl");
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Recorded",
            $"{name}.jsonl.gz")), CompressionMode.Decompress);
        using var file = File.Create(path);
        gzip.CopyTo(file);
        return path;
    }

    private sealed class FaultIntervalComparer : IEqualityComparer<FaultInterval>
    {
        public static readonly FaultIntervalComparer Instance = new();

        public bool Equals(FaultInterval? x, FaultInterval? y) =>
            x is not null && y is not null && x.Targets.SequenceEqual(y.Targets)
            && (x.Kind, x.Detail, x.StartS, x.EndS) == (y.Kind, y.Detail, y.StartS, y.EndS);

        public int GetHashCode(FaultInterval obj) => obj.Kind.GetHashCode();
    }
}
