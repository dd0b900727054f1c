using System.Text;
using System.Text.Json;
using Coup.History;

namespace Coup.Checkers.Tests;

/// <summary>
/// The writer writes state and op lines itself, straight to bytes: they must be the serializer's bytes, or
/// histories would change with the writer. And a writer that holds lines back loses none of them.
/// </summary>
public sealed class HistoryWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");

    public static TheoryData<HistoryEvent> CommonEvents => new()
    {
        new StateObserved { TimeNs = 5, Node = "n1", Role = "follower", Term = 0 },
        new StateObserved
        {
            TimeNs = long.MaxValue, Node = "n2", Role = "leader", Term = 7, Leader = "n2", Group = "p-3",
            Source = "final", NodeWallMs = -12, LagNs = 40,
        },
        new StateObserved { TimeNs = 1, Node = "n\u00e9<&>'\"\\", Role = "leader\n", Term = long.MinValue },
        new ClientOp { TimeNs = 9, Process = 2, Phase = "invoke", Node = "n3", Value = 17 },
        new ClientOp
        {
            TimeNs = 19, Process = int.MaxValue, Phase = "ok", F = "write", Node = "n3", Value = -1, LatencyNs = 10,
            Term = 4, Group = "default", Error = "e", AcknowledgedBy = ClientOp.UnknownLeader,
        },
        new ClientOp
        {
            TimeNs = 29, Process = 0, Phase = "info", F = "cas", Node = "\u65e5", Value = 3, Error = "timed out </x>",
        },
    };

    [Theory]
    [MemberData(nameof(CommonEvents))]
    public void GivenACommonEvent_WhenWritten_ThenItsLineIsTheSerializersBytes(HistoryEvent historyEvent)
    {
        using (var writer = new HistoryWriter(_path))
        {
            writer.Append(historyEvent);
        }

        Assert.Equal(JsonSerializer.Serialize(historyEvent, HistoryJson.Options) + "\n", File.ReadAllText(_path));
    }

    /// <summary>
    /// The writer encodes a repeated value once and copies it after: the copy must be the same bytes.
    /// </summary>
    [Fact]
    public void GivenCommonEventsWrittenTwice_WhenRead_ThenEveryLineIsTheSerializersBytes()
    {
        var events = ((IEnumerable<object[]>)CommonEvents).Select(row => (HistoryEvent)row[0]).ToList();
        using (var writer = new HistoryWriter(_path))
        {
            foreach (var historyEvent in events.Concat(events))
            {
                writer.Append(historyEvent);
            }
        }

        Assert.Equal(
            events.Concat(events).Select(e => JsonSerializer.Serialize(e, HistoryJson.Options)),
            File.ReadAllLines(_path));
    }

    [Fact]
    public void GivenAWriterThatHoldsLinesBack_WhenFlushed_ThenEveryLineIsInTheFile()
    {
        var events = Enumerable.Range(0, 2000)
            .Select(i => new ClientOp { TimeNs = i, Process = 0, Phase = "invoke", Node = "n1", Value = i })
            .ToList();
        using var writer = new HistoryWriter(_path) { FlushesEachLine = false };
        events.ForEach(writer.Append);

        writer.Flush();

        var expected = string.Concat(
            events.Select(e => JsonSerializer.Serialize<HistoryEvent>(e, HistoryJson.Options) + "\n"));
        Assert.Equal(expected, ReadShared());
    }

    [Fact]
    public void GivenAWriterThatHoldsLinesBack_WhenDisposedUnflushed_ThenEveryLineIsInTheFileInOrder()
    {
        var events = Invokes(5000);
        using (var writer = new HistoryWriter(_path) { FlushesEachLine = false })
        {
            events.ForEach(writer.Append);
            Assert.Equal(5000, writer.Count);
        }

        Assert.Equal(events.Select(e => JsonSerializer.Serialize<HistoryEvent>(e, HistoryJson.Options)),
            File.ReadAllLines(_path));
    }

    [Fact]
    public void GivenAWriterThatHoldsLinesBack_WhenTheRunEnds_ThenEveryLineIsInTheFileAndLaterOnesAreNot()
    {
        using var writer = new HistoryWriter(_path) { FlushesEachLine = false };
        Invokes(10).ForEach(writer.Append);

        writer.Append(new RunEnded { TimeNs = 11, Reason = "time-limit" });
        writer.Append(new ClientOp { TimeNs = 12, Process = 0, Phase = "invoke", Node = "n1", Value = 12 });

        Assert.Equal(11, ReadShared().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(11, writer.Count);
    }

    /// <summary>An event the serializer cannot write fails on the writer's own thread: the appender learns of it
    /// at its next flush, and nothing after it is written.</summary>
    [Fact]
    public void GivenAWriterThatHoldsLinesBack_WhenALineCannotBeWritten_ThenTheNextFlushThrowsIt()
    {
        using var writer = new HistoryWriter(_path) { FlushesEachLine = false };
        Invokes(3).ForEach(writer.Append);
        writer.Append(new Unwritable { TimeNs = 4 });
        Invokes(3).ForEach(writer.Append);

        Assert.Throws<NotSupportedException>(writer.Flush);
        Assert.Equal(3, File.ReadAllLines(_path).Length);
    }

    [Fact]
    public void GivenAWriterThatFlushesEachLine_WhenALineCannotBeWritten_ThenAppendThrowsAndTheNextIsWritten()
    {
        using var writer = new HistoryWriter(_path);

        Assert.Throws<NotSupportedException>(() => writer.Append(new Unwritable { TimeNs = 4 }));
        Invokes(1).ForEach(writer.Append);

        Assert.Equal([JsonSerializer.Serialize<HistoryEvent>(Invokes(1)[0], HistoryJson.Options)],
            File.ReadAllLines(_path));
    }

    private static List<ClientOp> Invokes(int count) => [.. Enumerable.Range(0, count)
        .Select(i => new ClientOp { TimeNs = i, Process = 0, Phase = "invoke", Node = "n1", Value = i })];

    /// <summary>Not one of the history's event types.</summary>
    private sealed record Unwritable : HistoryEvent;

    [Fact]
    public void GivenAWriterThatFlushesEachLine_WhenALineIsAppended_ThenItIsInTheFileAtOnce()
    {
        using var writer = new HistoryWriter(_path);

        writer.Append(new ObserverEvent { TimeNs = 3, Node = "n1", Phase = "up" });

        Assert.Equal(
            "{\"type\":\"observer\",\"node\":\"n1\",\"phase\":\"up\",\"detail\":\"\",\"time\":3}\n", ReadShared());
    }

    private string ReadShared()
    {
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public void Dispose() => File.Delete(_path);
}
