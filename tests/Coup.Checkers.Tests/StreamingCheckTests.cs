using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Coup.History;

namespace Coup.Checkers.Tests;

/// <summary>
/// The suite checks a history as it reads it, one event at a time. Its results for recorded histories
/// are those the checkers gave when they read the whole history first (Fixtures/Recorded/README.md).
/// </summary>
public sealed class StreamingCheckTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("coup-streaming-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string Recorded(string file) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Recorded", file);

    /// <summary>A recorded history, written out as the harness wrote it.</summary>
    private string History(string name)
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", $"{name}.jsonl");
        if (File.Exists(fixture))
        {
            return fixture;
        }
        var path = Path.Combine(_scratch, $"{name}.jsonl");
        using var gzip = new GZipStream(File.OpenRead(Recorded($"{name}.jsonl.gz")), CompressionMode.Decompress);
        using var file = File.Create(path);
        gzip.CopyTo(file);
        return path;
    }

    private static string Json(Results results) => JsonSerializer.Serialize(results, HistoryJson.Indented);

    [Theory]
    [InlineData("raft-valid")]
    [InlineData("bully-stale-writes")]
    [InlineData("raft-forgets-vote-same-term")]
    [InlineData("raft")]
    [InlineData("raft-forgets-vote")]
    [InlineData("raft-no-term-check")]
    [InlineData("bully")]
    [InlineData("kafka-unfenced")]
    [InlineData("invitation")]
    [InlineData("zab-early-claim")]
    [InlineData("ring")]
    [InlineData("raft-forgets-vote-torn")]
    [InlineData("raft-cut-short")]
    public void Given_a_recorded_history_When_the_suite_checks_it_as_it_reads_Then_the_results_are_as_before(
        string name)
    {
        var path = History(name);

        var streamed = CheckerSuite.Check(path);

        Assert.Equal(File.ReadAllText(Recorded($"{name}.results.json")), Json(streamed));
        Assert.Equal(Json(streamed), Json(CheckerSuite.Run(RunHistory.Read(path))));
    }

    [Fact]
    public void Given_a_broken_algorithms_history_When_streamed_Then_it_is_invalid_with_the_violations_it_showed()
    {
        var results = CheckerSuite.Check(History("raft-forgets-vote"));

        Assert.Equal(Verdict.Invalid, results.Verdict);
        Assert.Equal(
            ["dueling-writes", "election-safety", "split-brain"],
            results.Checks.Where(c => c.Verdict == Verdict.Invalid).Select(c => c.Checker).Order());
    }

    [Fact]
    public void Given_a_torn_last_line_When_streamed_Then_the_history_reads_as_cut_short_at_that_line()
    {
        var path = History("raft-forgets-vote-torn");

        var results = CheckerSuite.Check(path);

        var history = results.Checks.Single(c => c.Checker == "history");
        Assert.Equal("history was cut short: line 1552 is torn, and there is no run-end line", history.Summary);
        Assert.Equal(1552, RunHistory.Read(path).TornLine);
    }

    [Fact]
    public void Given_a_history_broken_deep_inside_When_checked_as_it_is_read_Then_the_reader_names_the_line()
    {
        var lines = File.ReadAllLines(History("raft"));
        var broken = Array.FindIndex(lines, 2000, l => l.Contains("\"role\":\"follower\"", StringComparison.Ordinal));
        lines[broken] = lines[broken].Replace("\"role\":\"follower\"", "\"role\":\"boss\"", StringComparison.Ordinal);
        var path = Path.Combine(_scratch, "broken.jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        var thrown = Assert.Throws<HistoryFormatException>(() => CheckerSuite.Check(path));

        Assert.StartsWith($"{path}:{broken + 1}: role 'boss' is not one of ", thrown.Message);
        Assert.Equal(Assert.Throws<HistoryFormatException>(() => RunHistory.Read(path)).Message, thrown.Message);
    }

    [Fact]
    public void Given_a_reader_reading_ahead_When_its_caller_stops_early_Then_it_stops_too()
    {
        using var reader = HistoryReader.Open(History("raft"));

        var first = reader.ReadAhead().Take(10).ToList();

        Assert.Equal(10, first.Count);
        Assert.IsType<RunStarted>(first[0]);
    }

    [Fact]
    public void Given_a_line_longer_than_the_readers_buffer_When_read_Then_every_event_is_read()
    {
        var lines = File.ReadAllLines(History("raft-forgets-vote"));
        var longName = new string('t', 3 << 20);
        lines[0] = lines[0].Replace("\"test\":\"", $"\"test\":\"{longName}", StringComparison.Ordinal);
        var path = Path.Combine(_scratch, "long.jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        var read = RunHistory.Read(path);

        var parsed = RunHistory.Parse(File.ReadAllBytes(path), path);
        Assert.Equal(lines.Length, read.Events.Count);
        Assert.StartsWith(longName, read.Run.Test, StringComparison.Ordinal);
        Assert.Equal(parsed.Events.Select(Serialized), read.Events.Select(Serialized));
    }

    private static string Serialized(HistoryEvent historyEvent) =>
        JsonSerializer.Serialize(historyEvent, HistoryJson.Options);
}
